"""Sandbox routes: Reward receptions: claim a reward with credits, reverse."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
