"""Loyalty tokens: create and claim, plus the offline token URL recipe."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class LoyaltyTokensResource(SyncAPIResource):
    """Loyalty tokens: create and claim, plus the offline token URL recipe."""
