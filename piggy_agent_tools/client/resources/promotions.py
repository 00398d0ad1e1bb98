"""Promotions: list, get, create.; Promotion attribute definitions."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class PromotionsResource(SyncAPIResource):
    """Promotions: list, get, create."""


class PromotionAttributesResource(SyncAPIResource):
    """Promotion attribute definitions."""
