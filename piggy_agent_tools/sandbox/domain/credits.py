"""Credit receptions: the only way credits are earned, reversed or corrected (credit-receptions.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.domain.contacts import change_credits, contact_brief, tier_for
from piggy_agent_tools.sandbox.domain.program import credits_for, program, unit_embedded
from piggy_agent_tools.sandbox.domain.shops import shop_embedded
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "credit_reception"


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
        tier = tier_for(tx, int(contact.get("credits_received", 0)))
        credits = credits_for(unit, float(unit_value or 0), tier)
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
    return doc


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
    for attribute in tx.all("loyalty_transaction_attribute"):
        view[attribute["name"]] = doc.get("attributes", {}).get(attribute["name"])
    return view
