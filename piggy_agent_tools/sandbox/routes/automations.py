"""Sandbox routes: Automations: list and run for a contact."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
