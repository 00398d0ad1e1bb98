"""Sandbox routes: The account's loyalty program. Loyalty tiers. Loyalty units (what credits are earned on)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
