"""Webhook subscription rules shared by the routes and the delivery engine: view, lookup, matching, secret."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx

KIND = "webhook_subscription"


def subscription_view(doc: Doc) -> dict[str, Any]:
    """The API's subscription object. The secret is never shown; ``properties`` carries the trigger attributes.

    Inferred (webhooks.md "Subscription object"): recordings only show ``properties: []``; the sandbox lists the
    ``contact_updated`` trigger attributes there so an agent can see them.
    """
    return {
        "uuid": doc["uuid"],
        "name": doc["name"],
        "event_type": doc["event_type"],
        "url": doc["url"],
        "properties": list(doc.get("attributes") or []),
        "status": doc["status"],
        "version": doc.get("version", "V1"),
        "created_at": doc["created_at"],
    }


def require_subscription(tx: Tx, subscription_uuid: str) -> Doc:
    """The stored subscription, or 80300 Webhook subscription not found."""
    doc = tx.get(KIND, subscription_uuid)
    if doc is None:
        raise fail(80300)
    return doc


def is_deliverable(doc: Doc | None) -> bool:
    """True while the subscription exists and is ACTIVE (deleting or deactivating stops delivery)."""
    return doc is not None and doc.get("status") == "ACTIVE"


def wants(doc: Doc, event_type: str, payload: Doc) -> bool:
    """Does this subscription receive the event? ``contact_updated`` only for its chosen attributes."""
    if not is_deliverable(doc) or doc.get("event_type") != event_type:
        return False
    if event_type == "contact_updated" and "_changed_attributes" in payload:
        changed = set(payload.get("_changed_attributes") or [])
        return bool(changed & set(doc.get("attributes") or []))
    return True


def signing_secret(tx: Tx, doc: Doc) -> str:
    """The subscription's own secret, else the account secret (webhooks.md "Delivery")."""
    if doc.get("secret"):
        return str(doc["secret"])
    account = tx.get("account", "account") or {}
    return str(account.get("secret") or "")


def public_payload(value: Any) -> Any:
    """The event payload without sandbox-only keys (those starting with ``_``), at every level."""
    if isinstance(value, dict):
        return {k: public_payload(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list):
        return [public_payload(v) for v in value]
    return value
