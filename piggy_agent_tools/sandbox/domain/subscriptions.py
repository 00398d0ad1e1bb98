"""Subscription types and a contact's subscription statuses (contacts.md §4).

Statuses are stored on the contact document as ``subscriptions: {subscription_type_uuid: status}``.
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx

KIND = "subscription_type"
SUBSCRIBED, UNSUBSCRIBED, PENDING = "SUBSCRIBED", "UNSUBSCRIBED", "PENDING_CONFIRMATION"


def type_view(stype: Doc) -> dict[str, Any]:
    """``{name, description, active, strategy, uuid, id}`` in the recorded key order."""
    return {k: stype.get(k) for k in ("name", "description", "active", "strategy", "uuid", "id")}


def require_type(tx: Tx, subscription_type_uuid: Any) -> Doc:
    """The subscription type, or 55030 Subscription type not found (inactive types count as not found)."""
    stype = tx.get(KIND, str(subscription_type_uuid)) if subscription_type_uuid else None
    if stype is None or not stype.get("active", True):
        raise fail(55030)
    return stype


def status_of(contact: Doc, stype: Doc) -> str:
    """The contact's status for a type. Inferred: without a choice, OPT_OUT types count as subscribed."""
    stored = (contact.get("subscriptions") or {}) if isinstance(contact.get("subscriptions"), dict) else {}
    default = SUBSCRIBED if stype.get("strategy") == "OPT_OUT" else UNSUBSCRIBED
    return str(stored.get(stype["uuid"], default))


def subscription_view(contact: Doc, stype: Doc) -> dict[str, Any]:
    """The Subscription object ``{is_subscribed, status, subscription_type}``."""
    status = status_of(contact, stype)
    return {"is_subscribed": status == SUBSCRIBED, "status": status, "subscription_type": type_view(stype)}


def subscriptions_of(tx: Tx, contact: Doc) -> list[dict[str, Any]]:
    """Every subscription type with this contact's status (what the Contact object's ``subscriptions`` shows)."""
    return [subscription_view(contact, stype) for stype in tx.all(KIND)]


def set_status(contact: Doc, stype: Doc, *, subscribe: bool) -> str:
    """Change the contact document in place; returns the new status.

    Subscribing to a DOUBLE_OPT_IN type only reaches PENDING_CONFIRMATION (the confirmation email decides);
    a contact already SUBSCRIBED stays subscribed.
    """
    current = status_of(contact, stype)
    if not subscribe:
        new = UNSUBSCRIBED
    elif stype.get("strategy") == "DOUBLE_OPT_IN" and current != SUBSCRIBED:
        new = PENDING
    else:
        new = SUBSCRIBED
    stored = contact.get("subscriptions")
    contact["subscriptions"] = {**(stored if isinstance(stored, dict) else {}), stype["uuid"]: new}
    return new


def ensure_default_types(tx: Tx, types: list[tuple[str, str, str, str]]) -> None:
    """Insert subscription types ``(uuid, name, description, strategy)`` that do not exist yet."""
    for uuid, name, description, strategy in types:
        if tx.get(KIND, uuid) is None:
            tx.insert(KIND, {"name": name, "description": description, "active": True, "strategy": strategy}, uuid=uuid)
