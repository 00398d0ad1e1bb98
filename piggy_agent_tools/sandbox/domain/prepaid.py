"""Prepaid transactions (prepaid.md): a contact's wallet in cents, moved only through stored transactions."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.domain.contacts import change_prepaid, prepaid_display
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "prepaid_transaction"


def require_transaction(tx: Tx, transaction_uuid: str) -> Doc:
    """The stored transaction; unknown -> 60013 Model not found.

    Inferred (prepaid.md, Reverse): no "prepaid transaction not found" code is documented; 60013 is Piggy's
    generic one.
    """
    doc = tx.get(KIND, transaction_uuid)
    if doc is None:
        raise fail(60013)
    return doc


def create_transaction(
    tx: Tx,
    contact: Doc,
    shop: Doc,
    amount_in_cents: int,
    *,
    contact_identifier: dict[str, Any] | None = None,
    reverses: Doc | None = None,
    created_at: str | None = None,
) -> Doc:
    """Move the contact's prepaid balance (never below zero), store the transaction, emit the webhook event.

    ``contact_identifier`` is the ``{name, value, active}`` of the identifier used, if any.
    """
    change_prepaid(tx, contact, amount_in_cents)
    doc = tx.insert(
        KIND,
        {
            "amount_in_cents": amount_in_cents,
            "balance_after_in_cents": int(contact["prepaid_balance_in_cents"]),
            "contact_uuid": contact["uuid"],
            "shop_uuid": shop["uuid"],
            "contact_identifier": contact_identifier,
            "reverses": reverses["uuid"] if reverses else None,
            "reversed_by": None,
            "created_at": created_at or now_iso(),
        },
    )
    tx.emit("prepaid_transaction_created", {"prepaid_transaction": transaction_view(tx, doc, with_contact=True)})
    return doc


def reverse_transaction(tx: Tx, original: Doc) -> Doc:
    """Book the opposite amount once; a reversal cannot itself be reversed.

    Inferred (prepaid.md, Reverse): repeat reversals are undocumented; they are refused with 1003 so a retry
    never refunds twice.
    """
    if original.get("reversed_by") or original.get("reverses"):
        what = "has already been reversed" if original.get("reversed_by") else "is itself a reversal"
        raise invalid({"prepaid_transaction_uuid": [f"This prepaid transaction {what}."]})
    contact = tx.get("contact", original["contact_uuid"])
    if contact is None:
        raise fail(55031)
    shop = tx.get("shop", original["shop_uuid"])
    if shop is None:
        raise fail(1008)
    reversal = create_transaction(tx, contact, shop, -int(original["amount_in_cents"]), reverses=original)
    original["reversed_by"] = reversal["uuid"]
    tx.put(KIND, original)
    return reversal


def transaction_view(tx: Tx, doc: Doc, *, with_contact: bool = False) -> dict[str, Any]:
    """The Prepaid Transaction object; ``prepaid_balance`` is the balance after it. ``contact`` only in lists."""
    shop = tx.get("shop", doc["shop_uuid"]) or {"id": None, "uuid": doc["shop_uuid"], "name": None}
    after = int(doc.get("balance_after_in_cents", 0))
    view: dict[str, Any] = {
        "uuid": doc["uuid"],
        "amount_in_cents": doc["amount_in_cents"],
        "prepaid_balance": {"balance_in_cents": after, "balance": prepaid_display(after)},
        "created_at": doc["created_at"],
        "shop": {"id": shop["id"], "uuid": shop["uuid"], "reference": shop.get("reference"), "name": shop["name"]},
        "contact_identifier": doc.get("contact_identifier"),
    }
    if with_contact:
        contact = tx.get("contact", doc["contact_uuid"])
        view["contact"] = {"uuid": doc["contact_uuid"], "email": contact["email"] if contact else None}
    return view
