"""Sandbox routes: Contact verification by email login code (contacts.md §5).

Contact session tokens (contacts.md §6).
Contacts Portal authenticated URL (contacts.md §7).
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
