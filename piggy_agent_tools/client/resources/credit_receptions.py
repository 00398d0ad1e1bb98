"""Credit receptions: award credits, reverse, calculate."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class CreditReceptionsResource(SyncAPIResource):
    """Credit receptions: award credits, reverse, calculate."""
