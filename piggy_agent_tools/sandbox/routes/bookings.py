"""Sandbox routes: bookings (create, update) and visits (list in meta format D, get, create, update, batch)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.bookings import (
    BOOKING,
    VISIT,
    apply_fields,
    batch_visit_parties,
    booking_view,
    ensure_visit_id_free,
    new_booking,
    new_visit,
    refuse_moves,
    require,
    visit_view,
)
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import meta_d, ok, slice_page
from piggy_agent_tools.sandbox.errors import SandboxError, invalid
from piggy_agent_tools.sandbox.params import validate
from piggy_agent_tools.sandbox.store import now_iso

router = APIRouter()


class BookingFields(BaseModel):
    """Optional booking fields shared by create and update (bookings-visits.md)."""

    external_id: str | None = None
    source: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    checked_in_at: str | None = None
    number_of_people: int | None = Field(None, ge=1)
    company_name: str | None = None
    status: str | None = None  # free text per DOCS ("created, in progress..."); Postman sends "Open"
    prepaid_amount: int | None = Field(None, ge=0)  # cents


class BookingCreateArgs(BookingFields):
    shop_uuid: str = Field(min_length=1)
    contact_uuid: str = Field(min_length=1)


class VisitFields(BaseModel):
    external_id: str | None = None
    source: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None


class VisitCreateArgs(VisitFields):
    contact_uuid: str = Field(min_length=1)
    shop_uuid: str = Field(min_length=1)


class VisitListArgs(BaseModel):
    limit: int = Field(30, ge=0, le=500)
    page: int = Field(1, ge=1)
    contact_uuid: str | None = None


class VisitBatchArgs(BaseModel):
    # Inferred (bookings-visits.md: Postman only, response not recorded): 1-1000 items, answered with the visits.
    visits: list[dict[str, Any]] = Field(min_length=1, max_length=1000)


# --- Bookings ---


@router.post("/bookings")
def create_booking(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(BookingCreateArgs)
    fields = args.model_dump(exclude={"shop_uuid", "contact_uuid"})
    with ctx.write("bookings.create") as tx:
        return ok(booking_view(tx, new_booking(tx, args.contact_uuid, args.shop_uuid, fields)))


@router.put("/bookings/{booking_uuid}")
def update_booking(booking_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Change the optional fields; the shop and contact are fixed at creation (1003 when sent)."""
    args = ctx.args(BookingFields)
    with ctx.write("bookings.update", booking_uuid=booking_uuid) as tx:
        doc = require(tx, BOOKING, booking_uuid)
        refuse_moves(ctx.params)
        doc = apply_fields(doc, args.model_dump())
        doc["updated_at"] = now_iso()
        tx.put(BOOKING, doc)
        return ok(booking_view(tx, doc))


# --- Visits ---


@router.get("/visits")
def list_visits(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(VisitListArgs)
    with ctx.read() as tx:
        docs = tx.find(VISIT, contact_uuid=args.contact_uuid) if args.contact_uuid else tx.all(VISIT)
        page, total, _ = slice_page(docs, args.page, args.limit)
        items = [visit_view(tx, d) for d in page]
    return ok(items, meta_d(args.page, args.limit, total))


@router.post("/visits")
def create_visit(ctx: CtxDep) -> JSONResponse:
    """Record a visit; the contact earns the visits unit's credits for it."""
    args = ctx.args(VisitCreateArgs)
    fields = args.model_dump(exclude={"shop_uuid", "contact_uuid"})
    with ctx.write("visits.create") as tx:
        contact = require_contact(tx, args.contact_uuid)
        shop = require_shop(tx, args.shop_uuid)
        return ok(visit_view(tx, new_visit(tx, contact, shop, fields)))


@router.post("/visits/batch")
def batch_visits(ctx: CtxDep) -> JSONResponse:
    """Create many visits at once; any bad item (unknown contact or shop, taken external id) keeps none."""
    args = ctx.args(VisitBatchArgs)
    with ctx.write("visits.batch", count=len(args.visits)) as tx:
        docs = []
        for i, item in enumerate(args.visits):
            contact, shop = batch_visit_parties(tx, item, i)
            fields = _batch_fields(item, i)
            docs.append(new_visit(tx, contact, shop, fields, field=f"visits.{i}.external_id"))
        return ok([visit_view(tx, d) for d in docs])


def _batch_fields(item: dict[str, Any], index: int) -> dict[str, Any]:
    """The optional visit fields of one batch item, validated (1003 names ``visits.<i>.<field>``)."""
    known = {k: item.get(k) for k in VisitFields.model_fields if item.get(k) is not None}
    try:
        return validate(VisitFields, known).model_dump()
    except SandboxError as exc:
        raise invalid({f"visits.{index}.{k}": v for k, v in (exc.errors or {}).items()}) from exc


@router.get("/visits/{visit_uuid}")
def get_visit(visit_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(visit_view(tx, require(tx, VISIT, visit_uuid)))


@router.put("/visits/{visit_uuid}")
def update_visit(visit_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Change external id (still unique), source and times; shop and contact are immutable (1003 when sent)."""
    args = ctx.args(VisitFields)
    with ctx.write("visits.update", visit_uuid=visit_uuid) as tx:
        doc = require(tx, VISIT, visit_uuid)
        refuse_moves(ctx.params)
        ensure_visit_id_free(tx, args.external_id, field="external_id", own_uuid=doc["uuid"])
        doc = apply_fields(doc, args.model_dump())
        doc["updated_at"] = now_iso()
        tx.put(VISIT, doc)
        return ok(visit_view(tx, doc))
