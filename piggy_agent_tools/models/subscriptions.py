"""Subscription types and a contact's subscriptions (contacts.md §4)."""

from __future__ import annotations

from piggy_agent_tools.models._base import PiggyModel


class SubscriptionType(PiggyModel):
    """A kind of message a contact can (un)subscribe to; ``strategy`` is OPT_IN, OPT_OUT or DOUBLE_OPT_IN."""

    id: int | None = None
    uuid: str | None = None
    name: str = ""
    description: str | None = None
    active: bool = True
    strategy: str | None = None


class Subscription(PiggyModel):
    """A contact's status for one type: SUBSCRIBED, UNSUBSCRIBED or PENDING_CONFIRMATION (DOCS once show ``0``)."""

    is_subscribed: bool = False
    status: str | int | None = None
    subscription_type: SubscriptionType | None = None
