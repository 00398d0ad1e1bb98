"""Sandbox routes: Contact identifiers (cards, QR codes): find, create, link, unlink, update, delete."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
