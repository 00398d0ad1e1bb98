"""The objects carried by webhook events (``data.<entity>``), typed loosely: unknown fields are kept.

Only the voucher and contact fields are evidenced (the official WP plugin reads them); the rest follow the
sandbox's API views and are inferred (webhooks.md "Payload shape"). Every field but the contact's uuid is optional.
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class EntityRef(PiggyModel):
    """A related object given by uuid (Piggy often sends only that)."""

    uuid: str | None = None


class ContactRef(EntityRef):
    email: str | None = None


class WebhookContactIdentifier(PiggyModel):
    uuid: str | None = None
    name: str | None = None
    value: str | None = None
    active: bool | None = None
    contact: ContactRef | None = None


class WebhookCreditReception(PiggyModel):
    uuid: str | None = None
    credits: int | None = None
    unit_value: float | None = None
    contact: ContactRef | None = None
    shop: EntityRef | None = None
    created_at: str | None = None


class WebhookPrepaidTransaction(PiggyModel):
    uuid: str | None = None
    amount_in_cents: int | None = None
    contact: ContactRef | None = None
    shop: EntityRef | None = None
    created_at: str | None = None


class WebhookGiftcardTransaction(PiggyModel):
    uuid: str | None = None
    amount_in_cents: int | None = None
    type: str | None = None
    card: EntityRef | None = None
    shop: EntityRef | None = None
    created_at: str | None = None


class WebhookVoucher(PiggyModel):
    """The keys the official WP plugin reads from voucher events."""

    uuid: str | None = None
    code: str | None = None
    name: str | None = None
    status: str | None = None
    description: str | None = None
    contact: ContactRef | None = None
    promotion: EntityRef | None = None
    expiration_date: str | None = None
    activation_date: str | None = None
    redeemed_at: str | None = None
    is_redeemed: bool | None = None


class WebhookPromotion(PiggyModel):
    uuid: str | None = None
    name: str | None = None
    description: str | None = None
    type: str | None = None


class WebhookReward(PiggyModel):
    uuid: str | None = None
    title: str | None = None
    description: str | None = None
    required_credits: int | None = None
    active: bool | None = None


class WebhookFormSubmission(PiggyModel):
    uuid: str | None = None
    form: EntityRef | None = None
    contact: ContactRef | None = None
    data: Any = None
    created_at: str | None = None


class WebhookReferral(PiggyModel):
    uuid: str | None = None
    status: str | None = None
    referring_contact: ContactRef | None = None
    referred_contact: ContactRef | None = None
    created_at: str | None = None
