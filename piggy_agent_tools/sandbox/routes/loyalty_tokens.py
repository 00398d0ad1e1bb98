"""Sandbox routes: Loyalty tokens: create and claim, plus the offline token URL recipe."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
