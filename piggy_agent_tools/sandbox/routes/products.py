"""Sandbox routes: Products. Product categories."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
