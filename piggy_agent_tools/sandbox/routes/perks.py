"""Sandbox routes: Perks of tiers (loyalty-program.md)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
