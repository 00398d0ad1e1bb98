"""Sandbox routes: Rewards: list, get, update.

Reward attribute definitions.
Collectable rewards: list, collect, reverse.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
