"""Contacts as stored (kind ``contact``) and as Piggy shows them, plus the credit balance rules."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "contact"
# Profile attributes every account has (contacts.md §3.1); custom ones are added by contact-attributes routes.
SYSTEM_ATTRIBUTES = (
    "firstname",
    "lastname",
    "avatar",
    "locale",
    "address",
    "channel",
    "birthdate",
    "postalcode",
    "housenumber",
    "city",
    "phonenumber",
)


def new_contact(
    tx: Tx,
    email: str,
    *,
    uuid: str | None = None,
    anonymous: bool = False,
    attributes: dict[str, Any] | None = None,
    created_at: str | None = None,
) -> Doc:
    """Insert a contact with zero balances and emit ``contact_created``."""
    stamp = created_at or now_iso()
    doc = tx.insert(
        KIND,
        {
            "email": email.lower(),
            "is_anonymous": anonymous,
            "attributes": dict(attributes or {}),
            "credit_balance": 0,
            "credits_received": 0,
            "transactions": 0,
            "prepaid_balance_in_cents": 0,
            "status": "ACTIVE",
            "created_at": stamp,
            "updated_at": stamp,
        },
        uuid=uuid,
    )
    doc["credit_balance_id"] = doc["id"] + 900
    tx.put(KIND, doc)
    tx.emit("contact_created", {"contact": contact_view(tx, doc)})
    return doc


def require_contact(tx: Tx, contact_uuid: Any) -> Doc:
    """The stored contact, or 55031 Contact not found."""
    doc = tx.get(KIND, str(contact_uuid)) if contact_uuid else None
    if doc is None:
        raise fail(55031)
    return doc


def find_by_email(tx: Tx, email: str) -> Doc | None:
    return tx.find_one(KIND, email=email.strip().lower())


def tier_for(tx: Tx, credits_received: int) -> Doc | None:
    """The highest tier whose threshold the contact's received credits reach (thresholds are sandbox data)."""
    best: Doc | None = None
    for tier in tx.all("tier"):
        if credits_received >= int(tier.get("min_credits", 0)) and (
            best is None or tier["position"] > best["position"]
        ):
            best = tier
    return best


def tier_view(tier: Doc | None) -> dict[str, Any] | None:
    if tier is None:
        return None
    return {k: tier.get(k) for k in ("uuid", "name", "description", "position", "media")}


def prepaid_display(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}€{abs(cents) / 100:.2f}"


def contact_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The full Contact object of contacts.md §1."""
    tier = tier_for(tx, int(doc.get("credits_received", 0)))
    values: dict[str, Any] = {
        "uuid": doc["uuid"],
        "email": doc["email"],
        **{name: None for name in ("firstname", "lastname", "birthdate", "phonenumber", "address", "city")},
        **doc.get("attributes", {}),
        "status": doc.get("status", "ACTIVE"),
        "is_anonymous": bool(doc.get("is_anonymous")),
        "loyalty_balance": doc.get("credit_balance", 0),
        "loyalty_total_credits_received": doc.get("credits_received", 0),
        "loyalty_number_of_transactions": doc.get("transactions", 0),
        "prepaid_balance": doc.get("prepaid_balance_in_cents", 0) / 100,
        "tier": tier["name"] if tier else None,
        "created_at": doc.get("created_at"),
        "updated_at": doc.get("updated_at"),
    }
    display = {k: _display(v) for k, v in values.items()}
    return {
        "id": doc["id"],
        "uuid": doc["uuid"],
        "email": doc["email"],
        "tier": tier_view(tier),
        "subscriptions": doc.get("subscriptions", []),
        "credit_balance": {"balance": doc.get("credit_balance", 0)},
        "prepaid_balance": {"balance_in_cents": doc.get("prepaid_balance_in_cents", 0)},
        "current_values": values,
        "current_display_values": display,
    }


def contact_brief(doc: Doc) -> dict[str, Any]:
    """The contact as embedded in transactions: ``{uuid, email, credit_balance: {id, balance}}``."""
    return {
        "uuid": doc["uuid"],
        "email": doc["email"],
        "credit_balance": {
            "id": doc.get("credit_balance_id", doc["id"]),
            "balance": doc.get("credit_balance", 0),
        },
    }


def _display(value: Any) -> Any:
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return None
    return str(value)


def change_credits(tx: Tx, contact: Doc, delta: int, *, max_amount: int | None = None) -> Doc:
    """Apply ``delta`` credits: never below zero (1017), never above the program maximum (1015)."""
    balance = int(contact.get("credit_balance", 0)) + int(delta)
    if balance < 0:
        raise fail(1017)
    if max_amount is not None and delta > 0 and balance > max_amount:
        raise fail(1015)
    contact["credit_balance"] = balance
    if delta > 0:
        contact["credits_received"] = int(contact.get("credits_received", 0)) + int(delta)
    contact["transactions"] = int(contact.get("transactions", 0)) + 1
    contact["updated_at"] = now_iso()
    tx.put(KIND, contact)
    return contact


def change_prepaid(tx: Tx, contact: Doc, delta_cents: int) -> Doc:
    """Apply a prepaid change in cents; the balance can never go negative (1017-like refusal, see prepaid.md)."""
    balance = int(contact.get("prepaid_balance_in_cents", 0)) + int(delta_cents)
    if balance < 0:
        raise fail(1017, "Insufficient prepaid balance.")
    contact["prepaid_balance_in_cents"] = balance
    contact["updated_at"] = now_iso()
    tx.put(KIND, contact)
    return contact
