"""Sandbox routes: Gift-card programs.

Gift cards: list, get, find by hash, create.
Gift-card transactions: create, list, get, reverse.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
