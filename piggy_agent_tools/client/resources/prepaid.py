"""Prepaid transactions: top up or spend, list, reverse."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class PrepaidTransactionsResource(SyncAPIResource):
    """Prepaid transactions: top up or spend, list, reverse."""
