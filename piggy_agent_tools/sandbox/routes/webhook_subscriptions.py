"""Sandbox routes: webhook subscriptions CRUD (webhooks.md). Delivery itself lives in ``sandbox/delivery.py``."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, Field

from piggy_agent_tools.models.webhooks import WebhookEventType, WebhookStatus
from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contact_attributes import definitions
from piggy_agent_tools.sandbox.domain.webhooks import KIND, require_subscription, subscription_view
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.errors import invalid
from piggy_agent_tools.sandbox.store import Tx, now_iso

router = APIRouter()


def _check_url(value: str) -> str:
    """Laravel's ``url`` rule, roughly: an absolute http(s) URL with a host."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be a valid http or https URL")
    return value.strip()


Url = Annotated[str, Field(min_length=1, max_length=2048), AfterValidator(_check_url)]


class ListArgs(BaseModel):
    event_type: WebhookEventType | None = None
    status: WebhookStatus | None = None


class CreateArgs(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    url: Url
    event_type: WebhookEventType
    secret: str | None = Field(None, min_length=1, max_length=255)
    attributes: list[str] | None = None
    # Inferred (webhooks.md, Create): undocumented, but the WP plugin sends ACTIVE on create.
    status: WebhookStatus = "ACTIVE"


class UpdateArgs(BaseModel):
    """``event_type`` and ``secret`` are immutable: when sent (the WP plugin sends ``secret``) they are ignored."""

    name: str | None = Field(None, min_length=1, max_length=255)
    url: Url | None = None
    status: WebhookStatus | None = None
    attributes: list[str] | None = None


def _trigger_attributes(tx: Tx, event_type: str, attributes: list[str] | None) -> list[str]:
    """The contact attribute names that trigger ``contact_updated``: required, non-empty and known (1003)."""
    if event_type != "contact_updated":
        return []  # Inferred: attributes only mean something for contact_updated; ignored otherwise.
    if not attributes:
        raise invalid({"attributes": ["The attributes field is required when event type is contact_updated."]})
    known = {d["name"] for d in definitions(tx)}
    bad = {
        f"attributes.{i}": [f"The selected attributes.{i} is invalid."]
        for i, a in enumerate(attributes)
        if a not in known
    }
    if bad:
        raise invalid(bad)
    return list(dict.fromkeys(attributes))


@router.get("/webhook-subscriptions")
def list_subscriptions(ctx: CtxDep) -> JSONResponse:
    """Every subscription, oldest first, optionally filtered; unpaginated with empty meta (README §6)."""
    args = ctx.args(ListArgs)
    filters = {k: v for k, v in (("event_type", args.event_type), ("status", args.status)) if v is not None}
    with ctx.read() as tx:
        return ok([subscription_view(d) for d in tx.find(KIND, **filters)])


@router.post("/webhook-subscriptions")
def create_subscription(ctx: CtxDep) -> JSONResponse:
    """Subscribe a URL to one event type; recorded with HTTP 201 (README §5)."""
    args = ctx.args(CreateArgs)
    with ctx.write("webhook_subscriptions.create") as tx:
        doc = tx.insert(
            KIND,
            {
                "name": args.name,
                "event_type": args.event_type,
                "url": args.url,
                "secret": args.secret,
                "attributes": _trigger_attributes(tx, args.event_type, args.attributes),
                "status": args.status,
                "version": "V1",
                "created_at": now_iso(),
            },
        )
        return ok(subscription_view(doc), status=201)


@router.get("/webhook-subscriptions/{webhook_subscription_uuid}")
def get_subscription(webhook_subscription_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(subscription_view(require_subscription(tx, webhook_subscription_uuid)))


@router.put("/webhook-subscriptions/{webhook_subscription_uuid}")
def update_subscription(webhook_subscription_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Change name, url, status or trigger attributes. INACTIVE stops delivery, pending retries included."""
    args = ctx.args(UpdateArgs)
    with ctx.write("webhook_subscriptions.update", webhook_subscription_uuid=webhook_subscription_uuid) as tx:
        doc = require_subscription(tx, webhook_subscription_uuid)
        for field in ("name", "url", "status"):
            value = getattr(args, field)
            if value is not None:
                doc[field] = value
        # Inferred (webhooks.md, Update): "attributes required for contact_updated" is read as "the subscription
        # must keep a non-empty list"; omitting it keeps the current one, an empty list is 1003.
        if args.attributes is not None:
            doc["attributes"] = _trigger_attributes(tx, doc["event_type"], args.attributes)
        tx.put(KIND, doc)
        return ok(subscription_view(doc))


@router.delete("/webhook-subscriptions/{webhook_subscription_uuid}")
def delete_subscription(webhook_subscription_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Remove the subscription; nothing more is delivered for it. PM records ``{"data": [], "meta": {}}``."""
    with ctx.write("webhook_subscriptions.delete", webhook_subscription_uuid=webhook_subscription_uuid) as tx:
        require_subscription(tx, webhook_subscription_uuid)
        tx.delete(KIND, webhook_subscription_uuid)
    return ok([], {})
