"""Subscription types (contacts.md §4.1) and a contact's subscriptions: list, subscribe, unsubscribe (§4.2-4.4)."""

from __future__ import annotations

import builtins

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.subscriptions import Subscription, SubscriptionType


class SubscriptionTypesResource(SyncAPIResource):
    """Subscription types (contacts.md §4.1)."""

    def list(self) -> builtins.list[SubscriptionType]:
        """GET /subscription-types: every type with its strategy (OPT_IN, OPT_OUT, DOUBLE_OPT_IN)."""
        return self._list(RequestSpec("GET", "/subscription-types"), SubscriptionType)


class ContactSubscriptionsResource(SyncAPIResource):
    """A contact's subscriptions: list, subscribe, unsubscribe (contacts.md §4)."""

    def list(self, contact_uuid: str) -> builtins.list[Subscription]:
        """GET /contact-subscriptions/{contact_uuid}: the contact's status for every subscription type."""
        path = f"/contact-subscriptions/{uuid_segment('contact_uuid', contact_uuid)}"
        return self._list(RequestSpec("GET", path), Subscription)

    def subscribe(self, contact_uuid: str, *, subscription_type_uuid: str) -> Subscription:
        """PUT .../subscribe: SUBSCRIBED, or PENDING_CONFIRMATION for a DOUBLE_OPT_IN type (Piggy emails the contact).

        NotFoundError 55030 for an unknown subscription type.
        """
        path = f"/contact-subscriptions/{uuid_segment('contact_uuid', contact_uuid)}/subscribe"
        body = {"subscription_type_uuid": subscription_type_uuid}
        return self._request(RequestSpec("PUT", path, body=body), Subscription)

    def unsubscribe(self, contact_uuid: str, *, subscription_type_uuid: str) -> Subscription:
        """PUT .../unsubscribe: the subscription with status UNSUBSCRIBED."""
        path = f"/contact-subscriptions/{uuid_segment('contact_uuid', contact_uuid)}/unsubscribe"
        body = {"subscription_type_uuid": subscription_type_uuid}
        return self._request(RequestSpec("PUT", path, body=body), Subscription)
