"""Credit receptions: the only way credits are earned, reversed or corrected (credit-receptions.md)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from piggy_agent_tools.sandbox.domain.contacts import change_credits, contact_brief, tier_for
from piggy_agent_tools.sandbox.domain.program import credits_for, program, unit_embedded
from piggy_agent_tools.sandbox.domain.shops import shop_embedded
from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "credit_reception"
ATTRIBUTE_KIND = "loyalty_transaction_attribute"
# Set while referral completion runs: its incentives are credit receptions that must not re-check referrals.
_CHECKING_REFERRALS: ContextVar[bool] = ContextVar("checking_referrals", default=False)


def create_credit_reception(
    tx: Tx,
    contact: Doc,
    shop: Doc,
    unit: Doc,
    *,
    credits: int | None = None,
    unit_value: float | None = None,
    attributes: dict[str, Any] | None = None,
    contact_identifier: dict[str, Any] | None = None,
    reverses: str | None = None,
    created_at: str | None = None,
) -> Doc:
    """Store a reception and move the balance. Explicit ``credits`` override the rules; else the unit rule applies."""
    if credits is None:
        credits = calculate_credits(tx, unit, float(unit_value or 0), contact)
    change_credits(tx, contact, credits, max_amount=program(tx).get("max_amount"))
    doc = tx.insert(
        KIND,
        {
            "type": "credit_reception",
            "credits": credits,
            "unit_value": unit_value,
            "unit_uuid": unit["uuid"],
            "contact_uuid": contact["uuid"],
            "shop_uuid": shop["uuid"],
            "contact_identifier": contact_identifier,
            "attributes": dict(attributes or {}),
            "reverses": reverses,
            "reversed_by": None,
            "created_at": created_at or now_iso(),
            "balance_after": contact["credit_balance"],
        },
    )
    view = credit_reception_view(tx, doc)
    tx.emit("credit_reception_created", {"credit_reception": view})
    _check_referral(tx, contact)
    return doc


def _check_referral(tx: Tx, contact: Doc) -> None:
    """A new transaction may complete the contact's pending referral (referrals.md); never re-entered."""
    if _CHECKING_REFERRALS.get():
        return
    from piggy_agent_tools.sandbox.domain import referrals  # lazy: referrals imports this module

    token = _CHECKING_REFERRALS.set(True)
    try:
        if referrals.check_completion(tx, contact) is not None:
            contact.update(tx.get("contact", contact["uuid"]) or {})  # the incentive changed the stored balance
    finally:
        _CHECKING_REFERRALS.reset(token)


def credit_reception_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Credit Reception object; custom transaction attributes are echoed as top-level keys."""
    unit = tx.get("unit", doc["unit_uuid"]) or {}
    contact = tx.get("contact", doc["contact_uuid"])
    shop = tx.get("shop", doc["shop_uuid"]) or {}
    contact_part = (
        contact_brief(contact)
        if contact
        else {"uuid": doc["contact_uuid"], "email": None, "credit_balance": {"id": 0, "balance": 0}}
    )
    contact_part["credit_balance"]["balance"] = doc.get("balance_after", contact_part["credit_balance"]["balance"])
    view: dict[str, Any] = {
        "type": "credit_reception",
        "uuid": doc["uuid"],
        "credits": doc["credits"],
        "unit_value": doc.get("unit_value"),
        "unit": unit_embedded(unit) if unit else None,
        "contact": contact_part,
        "shop": shop_embedded(shop) if shop else None,
        "contact_identifier": doc.get("contact_identifier"),
        "created_at": doc["created_at"],
    }
    for attribute in tx.all(ATTRIBUTE_KIND):
        view[attribute["name"]] = doc.get("attributes", {}).get(attribute["name"])
    return view


def calculate_credits(tx: Tx, unit: Doc, unit_value: float, contact: Doc | None = None) -> int:
    """The earning rule shared by create and calculate: unit rate x the contact's tier multiplier (if any)."""
    tier = tier_for(tx, int(contact.get("credits_received", 0))) if contact else None
    return credits_for(unit, unit_value, tier)


def require_credit_reception(tx: Tx, credit_reception_uuid: str) -> Doc:
    """The stored reception, or 1028 Credit reception not found (inferred for unknown uuids, credit-receptions.md)."""
    doc = tx.get(KIND, str(credit_reception_uuid))
    if doc is None:
        raise fail(1028)
    return doc


def reverse_credit_reception(tx: Tx, original: Doc) -> Doc:
    """A new reception mirroring ``original`` with negated credits; the balance may not go below zero (1017).

    Inferred (credit-receptions.md, Reverse lists only 1003): reversing twice, or reversing a reversal, is 1003.
    """
    if original.get("reversed_by"):
        raise fail(1003, errors={"credit_reception_uuid": ["This credit reception has already been reversed."]})
    if original.get("reverses"):
        raise fail(1003, errors={"credit_reception_uuid": ["A reversal cannot be reversed."]})
    contact = tx.get("contact", original["contact_uuid"])
    if contact is None:
        raise fail(55031)
    shop = tx.get("shop", original["shop_uuid"])
    unit = tx.get("unit", original["unit_uuid"])
    if shop is None or unit is None:
        raise fail(1008 if shop is None else 60007)
    value = original.get("unit_value")
    reversal = create_credit_reception(
        tx,
        contact,
        shop,
        unit,
        credits=-int(original["credits"]),
        unit_value=-float(value) if value is not None else None,
        attributes=original.get("attributes"),
        contact_identifier=original.get("contact_identifier"),
        reverses=original["uuid"],
    )
    original["reversed_by"] = reversal["uuid"]
    tx.put(KIND, original)
    return reversal


def transaction_attribute_values(tx: Tx, params: dict[str, Any]) -> dict[str, Any]:
    """The request's top-level fields named like a loyalty transaction attribute (stored and echoed)."""
    return {a["name"]: params[a["name"]] for a in tx.all(ATTRIBUTE_KIND) if a["name"] in params}
