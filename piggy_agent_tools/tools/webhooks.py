"""Webhook subscription tools: list, create and delete the URLs Piggy POSTs events to (account-wide, staff only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from piggy_agent_tools.models.webhooks import WebhookEventType, WebhookStatus
from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import Uuid
from piggy_agent_tools.tools._present import list_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.webhooks import WebhookSubscription


def _upper(value: Any) -> Any:
    """Enum values are upper case; accept ``active`` too rather than send the model round in circles."""
    return value.upper() if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


EventType = Annotated[WebhookEventType, BeforeValidator(_lower)]
Status = Annotated[WebhookStatus, BeforeValidator(_upper)]


def subscription_summary(sub: WebhookSubscription) -> dict[str, Any]:
    """What an agent needs of a subscription: id, name, event, target URL, status, trigger attributes."""
    return {
        "uuid": sub.uuid,
        "name": sub.name,
        "event_type": sub.event_type,
        "url": sub.url,
        "status": sub.status,
        "attributes": [str(p) for p in sub.properties] or None,
    }


class ListWebhookSubscriptionsArgs(ArgsModel):
    model_config = ConfigDict(extra="forbid")

    event_type: EventType | None = Field(None, description="Only subscriptions for this event type.")
    status: Status | None = Field(None, description="Only ACTIVE (delivering) or INACTIVE (paused) ones.")


class CreateWebhookSubscriptionArgs(ArgsModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="A label for people, e.g. 'CRM sync'.")
    event_type: EventType = Field(description="The one event type to deliver.")
    url: str = Field(description="Absolute http(s) URL that receives the POSTs.")
    attributes: list[str] | None = Field(
        None,
        validate_default=True,
        description="Required for contact_updated only: the contact attribute names to watch.",
    )

    @field_validator("name")
    @classmethod
    def _short_label(cls, value: str) -> str:
        if not 1 <= len(value.strip()) <= 255:
            raise ValueError("must be 1 to 255 characters")
        return value.strip()

    @field_validator("url")
    @classmethod
    def _absolute_http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or len(value) > 2048:
            raise ValueError("must be an absolute http or https URL, e.g. https://example.com/piggy/webhooks")
        return value.strip()

    @field_validator("attributes")
    @classmethod
    def _only_for_contact_updated(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if "event_type" not in info.data:
            return value  # the event type itself is invalid; that error is reported
        event_type = info.data["event_type"]
        if event_type == "contact_updated" and not value:
            raise ValueError("is required for contact_updated: name the contact attributes to watch")
        if event_type != "contact_updated" and value:
            raise ValueError("only applies to contact_updated; leave it out for other event types")
        return value


class DeleteWebhookSubscriptionArgs(ArgsModel):
    model_config = ConfigDict(extra="forbid")

    webhook_subscription_uuid: Uuid = Field(description="The subscription's UUID (from list_webhook_subscriptions).")


SPECS = [
    ToolSpec(
        name="list_webhook_subscriptions",
        group="webhooks",
        title="List webhook subscriptions",
        description=(
            "List the account's webhook subscriptions (which event types Piggy POSTs to which URLs), optionally "
            "by event type or status. Check here before creating one. Returns uuid, name, event type, url, status."
        ),
        args=ListWebhookSubscriptionsArgs,
        call=lambda c, a: c.webhook_subscriptions.list(event_type=a.event_type, status=a.status),
        present=lambda r, a: list_summary([subscription_summary(s) for s in r], "subscriptions"),
        risk=Risk.READ,
        idempotent=True,
        scope="exclude",
    ),
    ToolSpec(
        name="create_webhook_subscription",
        group="webhooks",
        title="Create webhook subscription",
        description=(
            "Subscribe a URL to one event type: Piggy then POSTs every such event there, signed with the account "
            "secret. Check list_webhook_subscriptions first to avoid duplicates. Returns the new subscription's uuid."
        ),
        args=CreateWebhookSubscriptionArgs,
        call=lambda c, a: c.webhook_subscriptions.create(
            name=a.name, url=a.url, event_type=a.event_type, attributes=a.attributes
        ),
        present=lambda r, a: {"created": True, **subscription_summary(r)},
        risk=Risk.WRITE,
        scope="exclude",
    ),
    ToolSpec(
        name="delete_webhook_subscription",
        group="webhooks",
        title="Delete webhook subscription",
        description=(
            "Permanently remove a webhook subscription: Piggy stops delivering its events, pending retries "
            "included, so the integration behind the URL gets no more updates. Cannot be undone."
        ),
        args=DeleteWebhookSubscriptionArgs,
        call=lambda c, a: c.webhook_subscriptions.delete(a.webhook_subscription_uuid),
        present=lambda r, a: {"deleted": a.webhook_subscription_uuid},
        risk=Risk.DESTRUCTIVE,
        scope="exclude",
    ),
]
