"""Sandbox routes: Credit receptions: award credits, reverse, calculate."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
