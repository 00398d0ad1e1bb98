"""Sandbox routes: Webhook subscriptions CRUD."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
