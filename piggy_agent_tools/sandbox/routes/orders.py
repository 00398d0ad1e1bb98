"""Sandbox routes: Orders: create, process, find, update, simulate, list. Order returns."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
