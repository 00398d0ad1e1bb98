"""Webhook subscriptions: list, create, get, update, delete (webhooks.md "Subscription endpoints")."""

from __future__ import annotations

import builtins

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.webhooks import WebhookEventType, WebhookStatus, WebhookSubscription


class WebhookSubscriptionsResource(SyncAPIResource):
    """Webhook subscriptions: which event types Piggy POSTs, signed, to which URL."""

    def list(
        self, *, event_type: WebhookEventType | None = None, status: WebhookStatus | None = None
    ) -> builtins.list[WebhookSubscription]:
        """GET /webhook-subscriptions: every subscription (unpaginated), optionally by event type or status."""
        params = {"event_type": event_type, "status": status}
        return self._list(RequestSpec("GET", "/webhook-subscriptions", params=params), WebhookSubscription)

    def create(
        self,
        *,
        name: str,
        url: str,
        event_type: WebhookEventType,
        secret: str | None = None,
        attributes: builtins.list[str] | None = None,
        status: WebhookStatus | None = None,
    ) -> WebhookSubscription:
        """POST /webhook-subscriptions: subscribe ``url`` to one event type.

        ``secret`` signs deliveries (the account secret does when omitted) and cannot be changed later.
        ``attributes`` (contact attribute names) is required for ``contact_updated``: only changes to those
        attributes are delivered.
        """
        body = {
            "name": name,
            "url": url,
            "event_type": event_type,
            "secret": secret,
            "attributes": attributes,
            "status": status,
        }
        return self._request(RequestSpec("POST", "/webhook-subscriptions", body=body), WebhookSubscription)

    def get(self, webhook_subscription_uuid: str) -> WebhookSubscription:
        """GET /webhook-subscriptions/{uuid}: one subscription; NotFoundError 80300 when unknown."""
        path = f"/webhook-subscriptions/{uuid_segment('webhook_subscription_uuid', webhook_subscription_uuid)}"
        return self._request(RequestSpec("GET", path), WebhookSubscription)

    def update(
        self,
        webhook_subscription_uuid: str,
        *,
        name: str | None = None,
        url: str | None = None,
        status: WebhookStatus | None = None,
        attributes: builtins.list[str] | None = None,
    ) -> WebhookSubscription:
        """PUT /webhook-subscriptions/{uuid}: rename, move, pause (INACTIVE) or resume; event type and secret
        are fixed. Deactivating stops delivery, including pending retries."""
        path = f"/webhook-subscriptions/{uuid_segment('webhook_subscription_uuid', webhook_subscription_uuid)}"
        body = {"name": name, "url": url, "status": status, "attributes": attributes}
        return self._request(RequestSpec("PUT", path, body=body), WebhookSubscription)

    def delete(self, webhook_subscription_uuid: str) -> None:
        """DELETE /webhook-subscriptions/{uuid}: stop and remove the subscription; NotFoundError 80300 if unknown."""
        path = f"/webhook-subscriptions/{uuid_segment('webhook_subscription_uuid', webhook_subscription_uuid)}"
        self._raw(RequestSpec("DELETE", path))
