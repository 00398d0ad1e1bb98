"""Sandbox routes: Subscription types (contacts.md §4.1).

A contact's subscriptions: list, subscribe, unsubscribe (contacts.md §4).
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
