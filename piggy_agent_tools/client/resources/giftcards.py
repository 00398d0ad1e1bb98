"""Gift-card programs.

Gift cards: list, get, find by hash, create.
Gift-card transactions: create, list, get, reverse.
"""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class GiftcardProgramsResource(SyncAPIResource):
    """Gift-card programs."""


class GiftcardsResource(SyncAPIResource):
    """Gift cards: list, get, find by hash, create."""


class GiftcardTransactionsResource(SyncAPIResource):
    """Gift-card transactions: create, list, get, reverse."""
