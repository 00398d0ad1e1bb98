"""Loyalty transactions (credit and reward receptions...).; Loyalty transaction attribute definitions."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class LoyaltyTransactionsResource(SyncAPIResource):
    """Loyalty transactions (credit and reward receptions...)."""


class LoyaltyTransactionAttributesResource(SyncAPIResource):
    """Loyalty transaction attribute definitions."""
