"""Bookings and visits (bookings-visits.md): shop and contact fixed at creation; a visit earns visit credits.

Inferred where the reference is silent: an unknown booking or visit is 60013 Model not found; a visit's
``external_id`` is unique ("unique" in the visit table) and a duplicate is 1003; an attempt to change the shop or
contact of a booking or visit is 1003 naming the field (bookings-visits.md: "cannot change", errors ``1003``).
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.domain.commerce_time import normalise_time, require_chronological
from piggy_agent_tools.sandbox.domain.contacts import find_by_email, require_contact
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

BOOKING = "booking"
VISIT = "visit"
VISIT_UNIT = "visits"
IMMUTABLE = ("shop_uuid", "contact_uuid", "business_profile_uuid", "contact_email")
_TIMES = ("starts_at", "ends_at", "checked_in_at")


def require(tx: Tx, kind: str, uuid: str) -> Doc:
    """The stored booking or visit, or 60013 Model not found."""
    doc = tx.get(kind, uuid)
    if doc is None:
        raise fail(60013)
    return doc


def refuse_moves(params: dict[str, Any]) -> None:
    """Shop and contact are fixed at creation: sending them to an update is 1003 naming each field."""
    sent = [name for name in IMMUTABLE if params.get(name) not in (None, "")]
    if sent:
        raise invalid({name: [f"The {name.replace('_', ' ')} cannot be changed."] for name in sent})


def apply_fields(doc: Doc, fields: dict[str, Any]) -> Doc:
    """Set the given optional fields (None means "not sent"); times are normalised and must be in order."""
    for name, value in fields.items():
        if value is None:
            continue
        doc[name] = normalise_time(name, value) if name in _TIMES else value
    require_chronological("ends_at", doc.get("starts_at"), doc.get("ends_at"))
    return doc


def _contact_part(tx: Tx, doc: Doc) -> dict[str, Any]:
    contact = tx.get("contact", doc["contact_uuid"])
    return {"uuid": doc["contact_uuid"], "email": contact["email"] if contact else None}


def booking_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Booking object; ``number_of_people``, ``company_name``, ``status`` and ``prepaid_amount`` are
    inferred ("presumably" shown, bookings-visits.md)."""
    return {
        "uuid": doc["uuid"],
        "contact": _contact_part(tx, doc),
        "external_id": doc.get("external_id"),
        "source": doc.get("source"),
        "starts_at": doc.get("starts_at"),
        "ends_at": doc.get("ends_at"),
        "checked_in_at": doc.get("checked_in_at"),
        "number_of_people": doc.get("number_of_people"),
        "company_name": doc.get("company_name"),
        "status": doc.get("status"),
        "prepaid_amount": doc.get("prepaid_amount"),
        "created_at": doc["created_at"],
    }


def visit_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Visit object ``{uuid, contact, external_id, source, starts_at, ends_at, created_at}``."""
    return {
        "uuid": doc["uuid"],
        "contact": _contact_part(tx, doc),
        **{k: doc.get(k) for k in ("external_id", "source", "starts_at", "ends_at")},
        "created_at": doc["created_at"],
    }


def new_booking(tx: Tx, contact_uuid: str, shop_uuid: str, fields: dict[str, Any], *, uuid: str | None = None) -> Doc:
    contact = require_contact(tx, contact_uuid)
    shop = require_shop(tx, shop_uuid)
    doc = apply_fields({"contact_uuid": contact["uuid"], "shop_uuid": shop["uuid"]}, fields)
    stamp = now_iso()
    return tx.insert(BOOKING, {**doc, "created_at": stamp, "updated_at": stamp}, uuid=uuid)


def ensure_visit_id_free(tx: Tx, external_id: str | None, *, field: str, own_uuid: str | None = None) -> None:
    if external_id:
        other = tx.find_one(VISIT, external_id=external_id)
        if other is not None and other["uuid"] != own_uuid:
            raise invalid({field: ["The external id has already been taken."]})


def new_visit(
    tx: Tx,
    contact: Doc,
    shop: Doc,
    fields: dict[str, Any],
    *,
    field: str = "external_id",
    created_at: str | None = None,
    uuid: str | None = None,
) -> Doc:
    """Store a visit and award the visits unit's credits for one visit.

    Inferred (bookings-visits.md: visits are "successors of plain credit receptions"): each visit is one unit
    of the program's ``visits`` unit, earned through the normal credit rules (tier multiplier included); an
    account without that unit records the visit without credits.
    """
    ensure_visit_id_free(tx, fields.get("external_id"), field=field)
    doc = apply_fields({"contact_uuid": contact["uuid"], "shop_uuid": shop["uuid"]}, fields)
    stamp = created_at or now_iso()
    visit = tx.insert(
        VISIT, {**doc, "credit_reception_uuid": None, "created_at": stamp, "updated_at": stamp}, uuid=uuid
    )
    unit = tx.find_one("unit", name=VISIT_UNIT)
    if unit is not None:
        reception = create_credit_reception(tx, contact, shop, unit, unit_value=1, created_at=created_at)
        visit["credit_reception_uuid"] = reception["uuid"]
        tx.put(VISIT, visit)
    return visit


def batch_visit_parties(tx: Tx, item: dict[str, Any], index: int) -> tuple[Doc, Doc]:
    """The contact and shop of a batch item: ``contact_email`` (or ``contact_uuid``) and ``business_profile_uuid``
    (or ``shop_uuid``); Postman sends the first spelling of each."""
    field = f"visits.{index}"
    if item.get("contact_uuid"):
        contact = require_contact(tx, item["contact_uuid"])
    elif item.get("contact_email"):
        found = find_by_email(tx, str(item["contact_email"]))
        if found is None:
            raise fail(55031)
        contact = found
    else:
        raise invalid({f"{field}.contact_email": ["The contact email field is required."]})
    shop_uuid = item.get("business_profile_uuid") or item.get("shop_uuid")
    if not shop_uuid:
        raise invalid({f"{field}.business_profile_uuid": ["The business profile uuid field is required."]})
    return contact, require_shop(tx, shop_uuid)
