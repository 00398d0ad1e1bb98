"""The account's loyalty program.; Loyalty tiers.; Loyalty units (what credits are earned on)."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class LoyaltyProgramResource(SyncAPIResource):
    """The account's loyalty program."""


class TiersResource(SyncAPIResource):
    """Loyalty tiers."""


class UnitsResource(SyncAPIResource):
    """Loyalty units (what credits are earned on)."""
