"""Sandbox routes: Prepaid transactions: top up or spend, list, reverse."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
