"""Sandbox routes: Promotions: list, get, create. Promotion attribute definitions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
