"""Shops (business profiles)."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class ShopsResource(SyncAPIResource):
    """Shops (business profiles)."""
