"""Typed webhook events and ``parse_event``: one model per Piggy event type, ``GenericEvent`` for any other.

A delivery body is ``{"type": <event_type>, "data": {<entity>: {...}}}`` (webhooks.md "Payload shape"); each
event model exposes its entity as a typed attribute (``ContactCreatedEvent.contact``) and keeps ``data`` raw.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import ValidationError

from piggy_agent_tools.models._base import PiggyModel
from piggy_agent_tools.models.contacts import Contact
from piggy_agent_tools.webhooks.entities import (
    WebhookContactIdentifier,
    WebhookCreditReception,
    WebhookFormSubmission,
    WebhookGiftcardTransaction,
    WebhookPrepaidTransaction,
    WebhookPromotion,
    WebhookReferral,
    WebhookReward,
    WebhookVoucher,
)


class WebhookPayloadError(ValueError):
    """The body is not a webhook event: malformed JSON, no ``type``, or an entity that does not parse."""


class WebhookEvent(PiggyModel):
    """Any webhook event: ``type`` and the raw ``data`` object."""

    type: str
    data: dict[str, Any] = {}


class GenericEvent(WebhookEvent):
    """An event type this library does not know (yet): nothing is typed beyond ``type`` and ``data``."""


class ContactCreatedEvent(WebhookEvent):
    type: Literal["contact_created"] = "contact_created"
    contact: Contact


class ContactUpdatedEvent(WebhookEvent):
    type: Literal["contact_updated"] = "contact_updated"
    contact: Contact


class ContactIdentifierCreatedEvent(WebhookEvent):
    type: Literal["contact_identifier_created"] = "contact_identifier_created"
    contact_identifier: WebhookContactIdentifier


class CreditReceptionCreatedEvent(WebhookEvent):
    type: Literal["credit_reception_created"] = "credit_reception_created"
    credit_reception: WebhookCreditReception


class PrepaidTransactionCreatedEvent(WebhookEvent):
    type: Literal["prepaid_transaction_created"] = "prepaid_transaction_created"
    prepaid_transaction: WebhookPrepaidTransaction


class GiftcardTransactionCreatedEvent(WebhookEvent):
    type: Literal["giftcard_transaction_created"] = "giftcard_transaction_created"
    giftcard_transaction: WebhookGiftcardTransaction


class VoucherCreatedEvent(WebhookEvent):
    type: Literal["voucher_created"] = "voucher_created"
    voucher: WebhookVoucher


class VoucherUpdatedEvent(WebhookEvent):
    type: Literal["voucher_updated"] = "voucher_updated"
    voucher: WebhookVoucher


class VoucherRedeemedEvent(WebhookEvent):
    type: Literal["voucher_redeemed"] = "voucher_redeemed"
    voucher: WebhookVoucher


class PromotionUpdatedEvent(WebhookEvent):
    type: Literal["promotion_updated"] = "promotion_updated"
    promotion: WebhookPromotion


class RewardUpdatedEvent(WebhookEvent):
    type: Literal["reward_updated"] = "reward_updated"
    reward: WebhookReward


class FormSubmissionCompletedEvent(WebhookEvent):
    type: Literal["form_submission_completed"] = "form_submission_completed"
    form_submission: WebhookFormSubmission


class ReferralCompletedEvent(WebhookEvent):
    type: Literal["referral_completed"] = "referral_completed"
    referral: WebhookReferral


# event type -> (model, the key of its entity under ``data``)
EVENT_MODELS: dict[str, tuple[type[WebhookEvent], str]] = {
    "contact_created": (ContactCreatedEvent, "contact"),
    "contact_updated": (ContactUpdatedEvent, "contact"),
    "contact_identifier_created": (ContactIdentifierCreatedEvent, "contact_identifier"),
    "credit_reception_created": (CreditReceptionCreatedEvent, "credit_reception"),
    "prepaid_transaction_created": (PrepaidTransactionCreatedEvent, "prepaid_transaction"),
    "giftcard_transaction_created": (GiftcardTransactionCreatedEvent, "giftcard_transaction"),
    "voucher_created": (VoucherCreatedEvent, "voucher"),
    "voucher_updated": (VoucherUpdatedEvent, "voucher"),
    "voucher_redeemed": (VoucherRedeemedEvent, "voucher"),
    "promotion_updated": (PromotionUpdatedEvent, "promotion"),
    "reward_updated": (RewardUpdatedEvent, "reward"),
    "form_submission_completed": (FormSubmissionCompletedEvent, "form_submission"),
    "referral_completed": (ReferralCompletedEvent, "referral"),
}


def parse_event(raw_body: bytes | str) -> WebhookEvent:
    """Parse a delivery body into its typed event; an unknown ``type`` gives a ``GenericEvent``.

    Raises ``WebhookPayloadError`` (a ``ValueError``) for malformed or absurdly nested JSON, a missing ``type``, or
    a known event whose entity is missing or does not validate.
    """
    try:
        body = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookPayloadError(f"webhook body is not valid JSON: {exc}") from None
    except RecursionError:  # e.g. 100,000 nested arrays: no event is shaped like that
        raise WebhookPayloadError("webhook body is nested too deeply to be an event") from None
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        raise WebhookPayloadError('webhook body must be a JSON object with a string "type"')
    data = body.get("data") if body.get("data") is not None else {}
    if not isinstance(data, dict):
        raise WebhookPayloadError('webhook "data" must be a JSON object')
    event_type: str = body["type"]
    known = EVENT_MODELS.get(event_type)
    if known is None:
        return GenericEvent(type=event_type, data=data)
    model, key = known
    # Inferred (webhooks.md "Payload shape"): the entity sits under data.<entity>; one third-party integration
    # reads it from ``data`` itself, so a body without the key but with the entity's uuid is accepted too.
    entity = data.get(key, data if "uuid" in data else None)
    if not isinstance(entity, dict):
        raise WebhookPayloadError(f'{event_type} event has no "data.{key}" object')
    try:
        return model.model_validate({"type": event_type, "data": data, key: entity})
    except RecursionError:
        raise WebhookPayloadError(f"{event_type} event is nested too deeply to validate") from None
    except ValidationError as exc:
        raise WebhookPayloadError(f"{event_type} event does not validate: {exc}") from None
