"""Sandbox routes: Vouchers: create, batch, list, find, update, validate, redeem, lock, release, reverse."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
