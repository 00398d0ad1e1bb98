"""Subscription types (contacts.md §4.1).; A contact's subscriptions: list, subscribe, unsubscribe (contacts.md §4)."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class SubscriptionTypesResource(SyncAPIResource):
    """Subscription types (contacts.md §4.1)."""


class ContactSubscriptionsResource(SyncAPIResource):
    """A contact's subscriptions: list, subscribe, unsubscribe (contacts.md §4)."""
