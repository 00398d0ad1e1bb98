"""Webhook subscription (webhooks.md "Subscription object") and the 13 webhook event types Piggy delivers."""

from __future__ import annotations

from typing import Any, Literal, get_args

from piggy_agent_tools.models._base import PiggyModel

WebhookEventType = Literal[
    "contact_created",
    "contact_updated",
    "contact_identifier_created",
    "credit_reception_created",
    "prepaid_transaction_created",
    "giftcard_transaction_created",
    "voucher_created",
    "voucher_updated",
    "voucher_redeemed",
    "promotion_updated",
    "reward_updated",
    "form_submission_completed",
    "referral_completed",
]
WebhookStatus = Literal["ACTIVE", "INACTIVE"]

EVENT_TYPES: tuple[str, ...] = get_args(WebhookEventType)


class WebhookSubscription(PiggyModel):
    """Where Piggy POSTs one event type. The signing secret is never returned (it cannot be read back).

    ``properties`` holds the contact attribute names that trigger a ``contact_updated`` subscription
    (inferred: the recordings only show ``[]``).
    """

    uuid: str
    name: str = ""
    event_type: str = ""
    url: str = ""
    properties: list[Any] = []
    status: str = "ACTIVE"
    version: str | None = None
    created_at: str | None = None
