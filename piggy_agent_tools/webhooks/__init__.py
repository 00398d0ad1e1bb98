"""Receiving Piggy webhooks: verify the ``Signature`` header, parse typed events, and a FastAPI router.

``verify_signature`` and ``parse_event`` need nothing extra; ``webhook_router`` needs FastAPI (imported lazily).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from piggy_agent_tools.webhooks.events import (
    EVENT_MODELS,
    ContactCreatedEvent,
    ContactIdentifierCreatedEvent,
    ContactUpdatedEvent,
    CreditReceptionCreatedEvent,
    FormSubmissionCompletedEvent,
    GenericEvent,
    GiftcardTransactionCreatedEvent,
    PrepaidTransactionCreatedEvent,
    PromotionUpdatedEvent,
    ReferralCompletedEvent,
    RewardUpdatedEvent,
    VoucherCreatedEvent,
    VoucherRedeemedEvent,
    VoucherUpdatedEvent,
    WebhookEvent,
    WebhookPayloadError,
    parse_event,
)
from piggy_agent_tools.webhooks.replay import (
    InMemoryReplayGuard,
    ReplayGuard,
    SQLiteReplayGuard,
    delivery_identity,
)
from piggy_agent_tools.webhooks.signature import SIGNATURE_HEADER, compute_signature, verify_signature

if TYPE_CHECKING:
    from fastapi import APIRouter

    from piggy_agent_tools.webhooks.router import Handler


def webhook_router(
    secret: str,
    handlers: Mapping[str, Handler],
    *,
    path: str = "/piggy/webhooks",
    default: Handler | None = None,
    max_body_bytes: int = 1024 * 1024,
    replay_guard: ReplayGuard | None = None,
) -> APIRouter:
    """A FastAPI router receiving Piggy webhooks at ``path``: 413 over ``max_body_bytes`` (before reading), 401 on
    a bad signature, 400 on a body that is not an event, then dispatch by type (once per body with ``replay_guard``).

    See ``piggy_agent_tools.webhooks.router.webhook_router``; FastAPI is imported only when this is called.
    """
    try:
        from piggy_agent_tools.webhooks.router import webhook_router as build
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ImportError("webhook_router needs FastAPI: pip install 'piggy-agent-tools[sandbox]'") from exc
    return build(secret, handlers, path=path, default=default, max_body_bytes=max_body_bytes, replay_guard=replay_guard)


__all__ = [
    "EVENT_MODELS",
    "SIGNATURE_HEADER",
    "ContactCreatedEvent",
    "ContactIdentifierCreatedEvent",
    "ContactUpdatedEvent",
    "CreditReceptionCreatedEvent",
    "FormSubmissionCompletedEvent",
    "GenericEvent",
    "GiftcardTransactionCreatedEvent",
    "InMemoryReplayGuard",
    "PrepaidTransactionCreatedEvent",
    "PromotionUpdatedEvent",
    "ReferralCompletedEvent",
    "ReplayGuard",
    "RewardUpdatedEvent",
    "SQLiteReplayGuard",
    "VoucherCreatedEvent",
    "VoucherRedeemedEvent",
    "VoucherUpdatedEvent",
    "WebhookEvent",
    "WebhookPayloadError",
    "compute_signature",
    "delivery_identity",
    "parse_event",
    "verify_signature",
    "webhook_router",
]
