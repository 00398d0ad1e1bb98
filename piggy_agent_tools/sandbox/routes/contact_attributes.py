"""Sandbox routes: Contact attribute definitions (contacts.md §3)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
