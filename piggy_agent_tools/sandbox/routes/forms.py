"""Sandbox routes: Forms."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
