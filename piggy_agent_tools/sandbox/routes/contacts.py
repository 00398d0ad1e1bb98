"""Sandbox routes: contacts (contacts.md §2). Specific paths are declared before ``/contacts/{contact_uuid}``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, EmailStr, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contacts import (
    KIND,
    change_credits,
    contact_view,
    find_by_email,
    new_contact,
    prepaid_display,
    require_contact,
    tier_for,
    tier_view,
)
from piggy_agent_tools.sandbox.envelope import meta_a, ok, slice_page
from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import now_iso

router = APIRouter()

__all__ = ["change_credits", "router"]


class ListArgs(BaseModel):
    page: int = Field(1, ge=1)
    limit: int = Field(30, ge=1, le=100)
    sort: Literal["created_at", "-created_at"] | None = None
    created_at: dict[Literal["gt", "gte", "lt", "lte"], str] | None = None


class EmailArgs(BaseModel):
    email: EmailStr


class CreateArgs(BaseModel):
    email: EmailStr
    referral_code: str | None = None


class UpdateArgs(BaseModel):
    attributes: dict[str, object]


class DeleteArgs(BaseModel):
    type: Literal["DEFAULT", "GDPR"]


@router.get("/contacts")
def list_contacts(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        docs = tx.all(KIND)
        for op, test in (("gt", str.__gt__), ("gte", str.__ge__), ("lt", str.__lt__), ("lte", str.__le__)):
            bound = (args.created_at or {}).get(op)  # type: ignore[call-overload]
            if bound:
                docs = [d for d in docs if test(d["created_at"], bound)]
        if args.sort:
            docs.sort(key=lambda d: d["created_at"], reverse=args.sort.startswith("-"))
        page, total, _ = slice_page(docs, args.page, args.limit)
        items = [contact_view(tx, d) | {"attributes": []} for d in page]
    for item in items:
        item["credit_balance"]["id"] = item["id"] + 900
    return ok(items, meta_a(args.page, args.limit, total))


@router.post("/contacts")
def create_contact(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(CreateArgs)
    with ctx.write("contacts.create") as tx:
        if find_by_email(tx, args.email):
            raise fail(60005)
        doc = new_contact(tx, args.email)
    return ok({"uuid": doc["uuid"]})


@router.get("/contacts/find-one-by")
def find_one_by(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(EmailArgs)
    with ctx.read() as tx:
        doc = find_by_email(tx, args.email)
        if doc is None:
            raise fail(55031)
        return ok(contact_view(tx, doc))


@router.get("/contacts/find-or-create")
def find_or_create(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(EmailArgs)
    with ctx.read() as tx:
        doc = find_by_email(tx, args.email)
        if doc is not None:
            return ok(contact_view(tx, doc))
    with ctx.write("contacts.find_or_create") as tx:
        doc = find_by_email(tx, args.email) or new_contact(tx, args.email)
        return ok(contact_view(tx, doc))


@router.get("/contacts/{contact_uuid}")
def get_contact(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(contact_view(tx, require_contact(tx, contact_uuid)))


@router.put("/contacts/{contact_uuid}")
def update_contact(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    args = ctx.args(UpdateArgs)
    with ctx.write("contacts.update", contact_uuid=contact_uuid) as tx:
        doc = require_contact(tx, contact_uuid)
        doc["attributes"] = {**doc.get("attributes", {}), **args.attributes}
        doc["updated_at"] = now_iso()
        tx.put(KIND, doc)
        view = contact_view(tx, doc)
        tx.emit("contact_updated", {"contact": view})
        return ok(view)


@router.post("/contacts/{contact_uuid}/delete")
def delete_contact(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    ctx.args(DeleteArgs)
    with ctx.write("contacts.delete", contact_uuid=contact_uuid) as tx:
        require_contact(tx, contact_uuid)
        tx.delete(KIND, contact_uuid)
    return ok(None, {})


@router.get("/contacts/{contact_uuid}/credit-balance")
def credit_balance(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok({"balance": require_contact(tx, contact_uuid).get("credit_balance", 0)})


@router.get("/contacts/{contact_uuid}/prepaid-balance")
def prepaid_balance(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        cents = int(require_contact(tx, contact_uuid).get("prepaid_balance_in_cents", 0))
        return ok({"balance_in_cents": cents, "balance": prepaid_display(cents)})


@router.get("/contacts/{contact_uuid}/tier")
def contact_tier(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        doc = require_contact(tx, contact_uuid)
        tier = tier_view(tier_for(tx, int(doc.get("credits_received", 0))))
        return ok(tier or {"uuid": None, "name": None, "description": None, "position": None, "media": None})
