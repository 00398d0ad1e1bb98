"""Sandbox routes: contact identifiers (cards, QR codes): find, create, link, unlink, update, delete.

Reference: contact-identifiers.md. Fixed paths (``/find``, ``/link``, ``/unlink``) come before the bare path.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain import identifiers as ids
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.store import now_iso

router = APIRouter()


class ValueArgs(BaseModel):
    contact_identifier_value: str = Field(min_length=1, max_length=255)


class CreateArgs(ValueArgs):
    contact_uuid: str | None = None
    contact_identifier_name: str | None = Field(None, max_length=255)


class LinkArgs(ValueArgs):
    contact_uuid: str = Field(min_length=1)


class UpdateArgs(ValueArgs):
    contact_identifier_name: str | None = Field(None, min_length=1, max_length=255)
    contact_identifier_active: bool | None = None


@router.get("/contact-identifiers/find")
def find(ctx: CtxDep) -> JSONResponse:
    """The identifier with ``contact: null`` when unlinked; 60003 unknown, 60004 inactive."""
    args = ctx.args(ValueArgs)
    with ctx.read() as tx:
        return ok(ids.identifier_view(tx, ids.require_identifier(tx, args.contact_identifier_value)))


@router.post("/contact-identifiers")
def create(ctx: CtxDep) -> JSONResponse:
    """A new identifier, linked at once when ``contact_uuid`` is given (55031, 60006)."""
    args = ctx.args(CreateArgs)
    with ctx.write("contact_identifiers.create") as tx:
        contact = require_contact(tx, args.contact_uuid) if args.contact_uuid else None
        doc = ids.new_identifier(tx, args.contact_identifier_value, name=args.contact_identifier_name, contact=contact)
        return ok(ids.identifier_view(tx, doc))


@router.put("/contact-identifiers/link")
def link(ctx: CtxDep) -> JSONResponse:
    """Link an unlinked, active identifier to a contact (60003, 60004, 55031, 60014)."""
    args = ctx.args(LinkArgs)
    with ctx.write("contact_identifiers.link") as tx:
        doc = ids.require_identifier(tx, args.contact_identifier_value)
        contact = require_contact(tx, args.contact_uuid)
        return ok(ids.identifier_view(tx, ids.link(tx, doc, contact)))


@router.put("/contact-identifiers/unlink")
def unlink(ctx: CtxDep) -> JSONResponse:
    """Unlink an identifier from its contact (60003, 60004, 60011 when it is not linked)."""
    args = ctx.args(ValueArgs)
    with ctx.write("contact_identifiers.unlink") as tx:
        doc = ids.require_identifier(tx, args.contact_identifier_value)
        return ok(ids.identifier_view(tx, ids.unlink(tx, doc)))


@router.put("/contact-identifiers")
def update(ctx: CtxDep) -> JSONResponse:
    """Rename or (de)activate an identifier; its value cannot change. Inactive ones can be updated (to reactivate)."""
    args = ctx.args(UpdateArgs)
    with ctx.write("contact_identifiers.update") as tx:
        doc = ids.require_identifier(tx, args.contact_identifier_value, active=False)
        if args.contact_identifier_name is not None:
            doc["name"] = args.contact_identifier_name
        if args.contact_identifier_active is not None:
            doc["active"] = args.contact_identifier_active
        doc["updated_at"] = now_iso()
        tx.put(ids.KIND, doc)
        return ok(ids.identifier_view(tx, doc))


@router.delete("/contact-identifiers")
def delete(ctx: CtxDep) -> JSONResponse:
    """Delete an identifier (value in the query, as the SDK sends it, or the body, as DOCS say).

    Inferred (contact-identifiers.md, Delete): the response is undocumented; the deleted identifier is returned.
    """
    args = ctx.args(ValueArgs)
    with ctx.write("contact_identifiers.delete") as tx:
        doc = ids.require_identifier(tx, args.contact_identifier_value, active=False)
        view = ids.identifier_view(tx, doc)
        tx.delete(ids.KIND, doc["uuid"])
        return ok(view)
