"""Portal sessions (portal-sessions.md): hosted pages where a contact identifies and performs one action.

The API only creates and reads sessions; the action happens in the hosted page. ``complete_session`` plays the
customer's part: it moves value through the same rules as the API (credit receptions, gift-card and prepaid
transactions) and records what happened in the session's ``events``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from piggy_agent_tools.sandbox.domain import giftcards, prepaid
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.domain.program import require_unit
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "portal_session"
URL = "https://api.piggy.eu/portal-sessions?uuid="
# Inferred (portal-sessions.md: "short-lived", no lifetime documented): a session can be used for 30 minutes.
LIFETIME = timedelta(minutes=30)
TYPES = (
    "generic",
    "credit_reception",
    "redeem_giftcards",
    "top_up_giftcards",
    "vouchers",
    "pay_prepaid",
    "top_up_prepaid",
    "prepaid",
)


def new_session(tx: Tx, session_type: str, shop: Doc, contact: Doc | None, settings: dict[str, Any]) -> Doc:
    """Store an open session that expires after ``LIFETIME``."""
    created = datetime.now(UTC).replace(microsecond=0)
    return tx.insert(
        KIND,
        {
            "type": session_type,
            "shop_uuid": shop["uuid"],
            "contact_uuid": contact["uuid"] if contact else None,
            "settings": settings,
            "status": "open",
            "events": [],
            "created_at": created.isoformat(),
            "expires_at": (created + LIFETIME).isoformat(),
        },
    )


def require_session(tx: Tx, portal_session_uuid: str) -> Doc:
    """The session, or 1003 naming ``portal_session_uuid`` (the only error the reference lists for Get)."""
    doc = tx.get(KIND, portal_session_uuid)
    if doc is None:
        raise invalid({"portal_session_uuid": ["The selected portal session uuid is invalid."]})
    return doc


def session_view(tx: Tx, doc: Doc, *, with_events: bool) -> dict[str, Any]:
    """The Portal Session object; ``events`` only on create answers, as recorded."""
    shop = tx.get("shop", doc["shop_uuid"]) or {"id": None, "uuid": doc["shop_uuid"], "name": None}
    view: dict[str, Any] = {
        "uuid": doc["uuid"],
        "url": URL + doc["uuid"],
        "contact": {"uuid": doc["contact_uuid"]} if doc.get("contact_uuid") else None,
        "shop": {"id": shop["id"], "uuid": shop["uuid"], "reference": shop.get("reference"), "name": shop["name"]},
    }
    if with_events:
        view["events"] = list(doc.get("events", []))
    view["created_at"] = doc["created_at"]
    return view


def is_expired(doc: Doc) -> bool:
    return datetime.fromisoformat(doc["expires_at"]) <= datetime.now(UTC)


def complete_session(
    tx: Tx,
    session: Doc,
    *,
    action: str | None = None,
    contact_uuid: str | None = None,
    unit_value: float | None = None,
    amount_in_cents: int | None = None,
    giftcard_uuids: list[str] | None = None,
) -> Doc:
    """The customer finishes the session: value moves once, an event is added, the session closes.

    ``action`` is needed only for a generic session. Inferred (the hosted page's errors are undocumented): an
    expired or already used session is refused with 1003 naming ``portal_session_uuid``.
    """
    if session["status"] != "open":
        raise invalid({"portal_session_uuid": ["This portal session has already been used."]})
    if is_expired(session):
        raise invalid({"portal_session_uuid": ["This portal session has expired."]})
    kind = action or session["type"]
    if kind == "generic" or kind not in TYPES:
        raise invalid({"action": ["Choose the action the customer performs in this portal session."]})
    settings = session.get("settings", {})
    shop = require_shop(tx, session["shop_uuid"])
    who = session.get("contact_uuid") or contact_uuid
    if kind == "credit_reception":
        value = unit_value if unit_value is not None else settings.get("unit_value")
        if value is None:
            raise invalid({"unit_value": ["The unit value is required."]})
        contact = require_contact(tx, who)
        reception = create_credit_reception(tx, contact, shop, require_unit(tx, None), unit_value=float(value))
        event: dict[str, Any] = {"type": "credit_reception", "credit_reception": {"uuid": reception["uuid"]}}
    elif kind == "redeem_giftcards":
        amount = int(settings.get("amount_in_cents") or amount_in_cents or 0)
        event = _redeem(tx, shop, amount, giftcard_uuids or [], bool(settings.get("allow_multiple_giftcards", True)))
    elif kind == "top_up_giftcards":
        if len(giftcard_uuids or []) != 1 or not amount_in_cents or amount_in_cents <= 0:
            raise invalid({"giftcard_uuids": ["Top up exactly one gift card with a positive amount."]})
        card = giftcards.require_card(tx, (giftcard_uuids or [""])[0])
        done = giftcards.apply_transaction(tx, card, shop, amount_in_cents)
        event = {"type": "giftcard_transactions", "giftcard_transactions": [{"uuid": done["uuid"]}]}
    elif kind in ("pay_prepaid", "top_up_prepaid", "prepaid"):
        event = _prepaid(tx, kind, shop, require_contact(tx, who), amount_in_cents)
    else:
        # Inferred: voucher sessions need the vouchers area's redeem rule, not linked in the sandbox yet.
        raise invalid({"action": ["The sandbox cannot complete voucher portal sessions yet."]})
    session["contact_uuid"] = who
    session["status"] = "completed"
    session["events"] = [*session.get("events", []), {**event, "created_at": now_iso()}]
    return tx.put(KIND, session)


def _redeem(tx: Tx, shop: Doc, amount: int, card_uuids: list[str], allow_multiple: bool) -> dict[str, Any]:
    """Pay ``amount`` from the cards in order: one card must cover it unless several are allowed (5003)."""
    if amount <= 0 or not card_uuids:
        raise invalid({"giftcard_uuids": ["Give the gift card(s) that pay the amount."]})
    if len(card_uuids) > 1 and not allow_multiple:
        raise invalid({"giftcard_uuids": ["This portal session allows only one gift card."]})
    remaining, done = amount, []
    for uuid in card_uuids:
        card = giftcards.require_card(tx, uuid)
        take = remaining if uuid == card_uuids[-1] else min(remaining, int(card["amount_in_cents"]))
        if take > 0:
            done.append(giftcards.apply_transaction(tx, card, shop, -take))
            remaining -= take
    if remaining > 0:
        raise fail(5003)
    return {"type": "giftcard_transactions", "giftcard_transactions": [{"uuid": d["uuid"]} for d in done]}


def _prepaid(tx: Tx, kind: str, shop: Doc, contact: Doc, amount_in_cents: int | None) -> dict[str, Any]:
    """Pay (negative) or top up (positive) the prepaid balance. The single ``prepaid`` path (Postman) takes a
    signed amount; ``pay-prepaid`` / ``top-up-prepaid`` (DOCS) take a positive one."""
    if not amount_in_cents or (kind != "prepaid" and amount_in_cents <= 0):
        raise invalid({"amount_in_cents": ["A positive amount in cents is required."]})
    signed = -amount_in_cents if kind == "pay_prepaid" else amount_in_cents
    done = prepaid.create_transaction(tx, contact, shop, signed)
    return {"type": "prepaid_transaction", "prepaid_transaction": {"uuid": done["uuid"]}}
