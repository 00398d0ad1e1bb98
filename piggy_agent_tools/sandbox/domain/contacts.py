"""Contacts as stored (kind ``contact``) and as Piggy shows them, plus the credit balance rules."""

from __future__ import annotations

import secrets
from typing import Any

from piggy_agent_tools.sandbox.domain import contact_attributes, identifiers, subscriptions
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
        with_id=_credit_balance_id,
    )
    tx.emit("contact_created", lambda: {"contact": contact_view(tx, doc)})
    return doc


def _credit_balance_id(doc: Doc) -> None:
    doc["credit_balance_id"] = doc["id"] + 900


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


_UNMODELLED_SYSTEM_KEYS = (
    "add_to_wallet",
    "previous_loyalty_balance",
    "loyalty_first_transaction_date",
    "loyalty_last_transaction_date",
    "loyalty_associated_shops",
    "custom_app_login_url",
    "custom_app_login_code",
    "subscription_preferences_url",
)


def _default_identifier(tx: Tx, contact_uuid: str) -> str | None:
    """The value of the contact's default identifier (card or QR code), if it has one."""
    found = tx.find(identifiers.KIND, contact_uuid=contact_uuid)
    return next((str(d["value"]) for d in found if d.get("default")), None)


def contact_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The full Contact object of contacts.md §1."""
    tier = tier_for(tx, int(doc.get("credits_received", 0)))
    subs = subscriptions.subscriptions_of(tx, doc)
    values: dict[str, Any] = {
        "uuid": doc["uuid"],
        "email": doc["email"],
        **{name: None for name in SYSTEM_ATTRIBUTES},
        **{name: None for name in contact_attributes.custom_names(tx)},
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
        "default_contact_identifier": _default_identifier(tx, doc["uuid"]),
        # The reference lists these system keys (contacts.md, §1) without their values' rules: the sandbox's
        # choice is null (no wallet pass, login link, preferences page, balance history or shop list here).
        **dict.fromkeys(_UNMODELLED_SYSTEM_KEYS),
        **{f"subscription_status_{s['subscription_type']['id']}": s["status"] for s in subs},
        **{f"double_opt_in_confirmation_url_{s['subscription_type']['id']}": None for s in subs},
    }
    display = {k: _display(v) for k, v in values.items()}
    return {
        "id": doc["id"],
        "uuid": doc["uuid"],
        "email": doc["email"],
        "tier": tier_view(tier),
        "subscriptions": subs,
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
    """Apply a prepaid change in cents; the balance can never go negative."""
    balance = int(contact.get("prepaid_balance_in_cents", 0)) + int(delta_cents)
    if balance < 0:
        # The sandbox's choice (prepaid.md: "Overdraft behaviour is not documented"): refused with Piggy's
        # insufficient-balance code 1017, but in money words: its recorded message speaks of credits (points), and
        # a prepaid wallet holds money.
        raise fail(1017, "Insufficient prepaid balance: the payment is more than the money in the wallet.")
    contact["prepaid_balance_in_cents"] = balance
    contact["updated_at"] = now_iso()
    tx.put(KIND, contact)
    return contact


# --- Lifecycle: anonymous contacts, merge, delete and GDPR erasure (contacts.md §2.7, §2.10-2.12) ---

ANONYMOUS_DOMAIN = "anonymous.piggy.eu"
# Keys holding personal data when other areas copy them onto their documents (any nesting level).
PERSONAL_KEYS = frozenset(
    {
        "email",
        "contact_email",
        "firstname",
        "lastname",
        "first_name",
        "last_name",
        "contact_name",
        "full_name",
        "phonenumber",
        "phone",
        "birthdate",
        "address",
        "street",
        "housenumber",
        "postalcode",
        "city",
    }
)
# Under these keys a plain ``name`` is a person's name too.
_PERSON_CONTAINERS = frozenset({"contact", "customer", "recipient", "receiver", "sender", "referrer", "referee"})
# Sandbox-only documents of this area that die with the contact.
_PRIVATE_KINDS = ("contact_verification_code", "contact_session_token")
_BALANCE_KEYS = (
    ("credit_balance", "loyalty_balance"),
    ("credits_received", "loyalty_total_credits_received"),
    ("transactions", "loyalty_number_of_transactions"),
    ("prepaid_balance_in_cents", "prepaid_balance"),
)


def anonymous_email() -> str:
    """The fictitious address of an anonymous contact (contacts.md §1: "a fictitious address")."""
    return f"anonymous-{secrets.token_hex(6)}@{ANONYMOUS_DOMAIN}"


def docs_of_contact(tx: Tx, contact_uuid: str) -> list[tuple[str, Doc]]:
    """Every non-contact document of any kind whose top-level ``contact_uuid`` is this contact.

    Documents of every area (transactions, identifiers, vouchers...) qualify, whatever their kind.
    """
    return [(kind, doc) for kind, doc in tx.find_any(contact_uuid=contact_uuid) if kind != KIND]


def _scrub(value: Any, path: str, person: bool, erased: list[str]) -> Any:
    """Return ``value`` with personal fields set to None, appending each erased path to ``erased``."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if (key in PERSONAL_KEYS or (person and key == "name")) and item not in (None, ""):
                erased.append(here)
                out[key] = None
            else:
                out[key] = _scrub(item, here, key in _PERSON_CONTAINERS, erased)
        return out
    if isinstance(value, list):
        return [_scrub(item, f"{path}[{i}]", person, erased) for i, item in enumerate(value)]
    return value


def erase_personal_data(tx: Tx, contact_uuid: str) -> list[dict[str, Any]]:
    """GDPR: null every email / name / address field that other areas stored on this contact's documents.

    Returns ``[{kind, uuid, fields}]`` for the audit trail. Views of those documents must cope with the
    contact being gone (they read the contact by ``contact_uuid`` and fall back to ``null`` fields).
    """
    report: list[dict[str, Any]] = []
    for kind, doc in docs_of_contact(tx, contact_uuid):
        erased: list[str] = []
        cleaned = _scrub(doc, "", False, erased)
        if erased:
            tx.put(kind, cleaned)
            report.append({"kind": kind, "uuid": doc["uuid"], "fields": erased})
    return report


def delete_contact(tx: Tx, contact: Doc, *, gdpr: bool) -> list[dict[str, Any]]:
    """Remove the contact: identifiers are unlinked, its sessions and codes dropped; transactions stay.

    With ``gdpr`` personal data on the remaining documents is erased first; returns what was erased.
    """
    erased = erase_personal_data(tx, contact["uuid"]) if gdpr else []
    for identifier in tx.find(identifiers.KIND, contact_uuid=contact["uuid"]):
        identifiers.unlink(tx, identifier)
    for kind in _PRIVATE_KINDS:
        for doc in tx.find(kind, contact_uuid=contact["uuid"]):
            tx.delete(kind, doc["uuid"])
    tx.delete(KIND, contact["uuid"])
    return erased


def merge_contacts(tx: Tx, source: Doc, destination: Doc) -> tuple[Doc, list[str]]:
    """Move ``source`` into ``destination``: balances add up, every document with the source's
    ``contact_uuid`` moves over, missing profile values and subscription choices are copied; the source is
    deleted. Returns the destination and the names of its changed attributes."""
    if source["uuid"] == destination["uuid"]:
        raise fail(1003, errors={"destination_contact_uuid": ["The source and destination contact must differ."]})
    changed: list[str] = []
    for key, attribute in _BALANCE_KEYS:
        extra = int(source.get(key, 0) or 0)
        if extra:
            destination[key] = int(destination.get(key, 0) or 0) + extra
            changed.append(attribute)
    attributes = dict(destination.get("attributes") or {})
    for name, value in (source.get("attributes") or {}).items():
        if attributes.get(name) in (None, "") and value not in (None, ""):
            attributes[name] = value
            changed.append(name)
    destination["attributes"] = attributes
    chosen = destination.get("subscriptions") if isinstance(destination.get("subscriptions"), dict) else {}
    theirs = source.get("subscriptions") if isinstance(source.get("subscriptions"), dict) else {}
    destination["subscriptions"] = {**(theirs or {}), **(chosen or {})}
    for kind, doc in docs_of_contact(tx, source["uuid"]):
        doc["contact_uuid"] = destination["uuid"]
        tx.put(kind, doc)
    tx.delete(KIND, source["uuid"])
    destination["updated_at"] = now_iso()
    tx.put(KIND, destination)
    return destination, changed
