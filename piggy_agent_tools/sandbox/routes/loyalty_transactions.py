"""Sandbox routes: Loyalty transactions (credit and reward receptions...). Loyalty transaction attribute definitions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
