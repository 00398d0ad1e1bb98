"""Sandbox routes: Referrals and referral settings."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
