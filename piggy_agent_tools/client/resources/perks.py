"""Perks of tiers (loyalty-program.md)."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class PerksResource(SyncAPIResource):
    """Perks of tiers (loyalty-program.md)."""
