"""Rewards: list, get, update.; Reward attribute definitions.; Collectable rewards: list, collect, reverse."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class RewardsResource(SyncAPIResource):
    """Rewards: list, get, update."""


class RewardAttributesResource(SyncAPIResource):
    """Reward attribute definitions."""


class CollectableRewardsResource(SyncAPIResource):
    """Collectable rewards: list, collect, reverse."""
