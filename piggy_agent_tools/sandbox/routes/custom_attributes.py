"""Sandbox routes: Generic custom attributes for every entity. Custom attribute groups."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
