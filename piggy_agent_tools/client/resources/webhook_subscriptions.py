"""Webhook subscriptions CRUD."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class WebhookSubscriptionsResource(SyncAPIResource):
    """Webhook subscriptions CRUD."""
