"""Reward receptions: claim a reward with credits, reverse."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class RewardReceptionsResource(SyncAPIResource):
    """Reward receptions: claim a reward with credits, reverse."""
