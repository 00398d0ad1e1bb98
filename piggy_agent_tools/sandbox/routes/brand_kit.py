"""Sandbox routes: The account's brand kit."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
