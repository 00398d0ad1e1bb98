"""Sandbox routes: contacts (contacts.md §2). Specific paths are declared before ``/contacts/{contact_uuid}``."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, EmailStr, Field, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from piggy_agent_tools.gdpr import personal_terms
from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contact_attributes import validate_values
from piggy_agent_tools.sandbox.domain.contacts import (
    KIND,
    anonymous_email,
    change_credits,
    contact_view,
    delete_contact,
    find_by_email,
    merge_contacts,
    new_contact,
    prepaid_display,
    require_contact,
    tier_for,
    tier_view,
)
from piggy_agent_tools.sandbox.domain.identifiers import link, require_identifier
from piggy_agent_tools.sandbox.domain.referrals import start_referral
from piggy_agent_tools.sandbox.domain.subscriptions import require_type, set_status
from piggy_agent_tools.sandbox.envelope import meta_a, ok
from piggy_agent_tools.sandbox.errors import SandboxError, fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

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


class AnonymousArgs(BaseModel):
    contact_identifier_value: str | None = None


class ClaimArgs(BaseModel):
    # DOCS mark email optional, PM required: treated as required (contacts.md §2.11).
    email: EmailStr


class MergeArgs(BaseModel):
    source_contact_uuid: str = Field(min_length=1)
    destination_contact_uuid: str = Field(min_length=1)


class BatchAttribute(BaseModel):
    name: str
    value: Any = None


class BatchSubscription(BaseModel):
    uuid: str
    enroll: bool = True


_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_EMAIL = TypeAdapter(EmailStr)


def _batch_email(value: Any) -> Any:
    """A plain ASCII address passes at once; anything else gets the full ``EmailStr`` check and its message.

    ``email-validator`` costs ~0.1 ms an address: 10 s of a 100,000-contact import (the sandbox stores emails
    lowercased either way).
    """
    if isinstance(value, str) and len(value) <= 254 and _PLAIN_EMAIL.fullmatch(value):
        return value
    try:
        return _EMAIL.validate_python(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise PydanticCustomError("value_error", "{reason}", {"reason": first.get("msg", "invalid email")}) from None


class BatchContact(BaseModel):
    email: Annotated[str, BeforeValidator(_batch_email)]
    custom_attributes: list[BatchAttribute] = []
    subscription_types: list[BatchSubscription] = []


class BatchArgs(BaseModel):
    # Inferred (contacts.md §2.17): limits are unknown; 1-1000 contacts per call.
    contacts: list[BatchContact] = Field(min_length=1, max_length=1000)


@router.get("/contacts")
def list_contacts(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        # Filtered, sorted and sliced in SQL (indexed on created_at): a page costs the same at 100,000 contacts.
        ops = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
        where = tuple(("created_at", ops[op], bound) for op, bound in (args.created_at or {}).items() if bound)
        page, total = tx.page(
            KIND,
            offset=(args.page - 1) * args.limit,
            limit=args.limit,
            where=where,
            order="created_at" if args.sort else None,
            descending=bool(args.sort and args.sort.startswith("-")),
        )
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
        if args.referral_code:
            start_referral(tx, doc, args.referral_code)
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


@router.post("/contacts/async")
def create_contact_async(ctx: CtxDep) -> JSONResponse:
    """The faster create: the sandbox stores the same contact; the answer is only the uuid."""
    args = ctx.args(CreateArgs)
    with ctx.write("contacts.create_async") as tx:
        if find_by_email(tx, args.email):
            raise fail(60005)
        doc = new_contact(tx, args.email)
        if args.referral_code:
            start_referral(tx, doc, args.referral_code)
    return ok({"uuid": doc["uuid"]})


@router.get("/contacts/find-or-create/async")
def find_or_create_async(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(EmailArgs)
    with ctx.read() as tx:
        doc = find_by_email(tx, args.email)
        if doc is not None:
            return ok({"uuid": doc["uuid"]})
    with ctx.write("contacts.find_or_create_async") as tx:
        doc = find_by_email(tx, args.email) or new_contact(tx, args.email)
        return ok({"uuid": doc["uuid"]})


@router.post("/contacts/anonymous")
def create_anonymous(ctx: CtxDep) -> JSONResponse:
    """A contact with a fictitious email, optionally linked to an unlinked contact identifier (60003/60004/60014)."""
    args = ctx.args(AnonymousArgs)
    with ctx.write("contacts.create_anonymous") as tx:
        value = args.contact_identifier_value
        identifier = require_identifier(tx, value) if value else None
        doc = new_contact(tx, anonymous_email(), anonymous=True)
        if identifier is not None:
            link(tx, identifier, doc)  # 60014 when already linked rolls the new contact back too
    return ok({"uuid": doc["uuid"]}, {})


@router.post("/contacts/merge")
def merge(ctx: CtxDep) -> JSONResponse:
    """Move the source contact into the destination; the source disappears (contacts.md §2.12)."""
    args = ctx.args(MergeArgs)
    with ctx.write("contacts.merge") as tx:
        source = require_contact(tx, args.source_contact_uuid)
        destination, changed = merge_contacts(tx, source, require_contact(tx, args.destination_contact_uuid))
        _emit_updated(tx, destination, changed)
    # Inferred (contacts.md §2.12): the response body is not documented.
    return ok(None)


@router.post("/contacts/batch")
def batch(ctx: CtxDep) -> JSONResponse:
    """Import contacts: new emails are created, existing ones updated; everything is checked before writing."""
    args = ctx.args(BatchArgs)
    results: list[dict[str, Any]] = []
    with ctx.write("contacts.batch", count=len(args.contacts)) as tx:
        plans = []
        for i, item in enumerate(args.contacts):
            try:
                given = {a.name: a.value for a in item.custom_attributes}
                values = validate_values(tx, given) if given else {}
            except SandboxError as exc:
                # Name the failing contact: ``contacts.0.custom_attributes.<name>``.
                raise invalid({f"contacts.{i}.custom_{k}": v for k, v in (exc.errors or {}).items()}) from exc
            types = [(require_type(tx, s.uuid), s.enroll) for s in item.subscription_types]
            plans.append((item.email, values, types))
        for email, values, types in plans:
            doc = find_by_email(tx, email)
            created = doc is None
            if doc is None:  # written once, with its attributes (a second write per contact halves import speed)
                doc = new_contact(tx, email, attributes=values)
            else:
                doc["attributes"] = {**doc.get("attributes", {}), **values}
            for stype, enroll in types:
                set_status(doc, stype, subscribe=enroll)
            if not created or types:
                doc["updated_at"] = now_iso()
                tx.put(KIND, doc)
            results.append({"uuid": doc["uuid"], "email": doc["email"], "created": created})
    # Inferred (contacts.md §2.17): the response was not captured; one {uuid, email, created} per contact.
    return ok(results)


@router.get("/contacts/{contact_uuid}")
def get_contact(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(contact_view(tx, require_contact(tx, contact_uuid)))


@router.put("/contacts/{contact_uuid}")
def update_contact(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Set attribute values by name: unknown or read-only names are 1003 naming ``attributes.<name>``."""
    args = ctx.args(UpdateArgs)
    with ctx.write("contacts.update", contact_uuid=contact_uuid) as tx:
        doc = require_contact(tx, contact_uuid)
        values = validate_values(tx, args.attributes)
        current = doc.get("attributes", {})
        changed = [name for name, value in values.items() if current.get(name) != value]
        doc["attributes"] = {**current, **values}
        if changed:
            doc["updated_at"] = now_iso()
            tx.put(KIND, doc)
        return ok(_emit_updated(tx, doc, changed))


@router.post("/contacts/{contact_uuid}/delete")
def delete(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    """DEFAULT removes the contact; GDPR also erases personal data stored on its transactions."""
    args = ctx.args(DeleteArgs)
    with ctx.write("contacts.delete", contact_uuid=contact_uuid) as tx:
        contact = require_contact(tx, contact_uuid)
        erased = delete_contact(tx, contact, gdpr=args.type == "GDPR")
        if args.type == "GDPR":
            # The audit trail keeps what was done, not to whom: the person's data in earlier rows is erased too.
            tx.erase_from_audit(personal_terms(contact))
            tx.audit("contacts.erase_personal_data", {"contact_uuid": contact_uuid, "erased": erased})
    return ok(None, {})


@router.put("/contacts/{anonymous_contact_uuid}/claim")
def claim(anonymous_contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Give an anonymous contact a real email; when that email exists the anonymous one is merged into it."""
    args = ctx.args(ClaimArgs)
    with ctx.write("contacts.claim", contact_uuid=anonymous_contact_uuid) as tx:
        doc = require_contact(tx, anonymous_contact_uuid)
        if not doc.get("is_anonymous"):
            raise fail(60016)
        existing = find_by_email(tx, args.email)
        if existing is not None:
            merged, changed = merge_contacts(tx, doc, existing)
            return ok(_emit_updated(tx, merged, changed))
        doc["email"] = args.email.lower()
        doc["is_anonymous"] = False
        doc["updated_at"] = now_iso()
        tx.put(KIND, doc)
        return ok(_emit_updated(tx, doc, ["email", "is_anonymous"]))


@router.get("/contacts/{contact_uuid}/contact-identifiers")
def contact_identifiers(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    """The contact's identifiers ``{name, value, active, default, contact: {uuid}}`` (contacts.md §2.13)."""
    with ctx.read() as tx:
        require_contact(tx, contact_uuid)
        items = [
            {
                "name": d.get("name") or d.get("value"),
                "value": d.get("value"),
                "active": bool(d.get("active", True)),
                "default": bool(d.get("default", False)),
                "contact": {"uuid": contact_uuid},
            }
            for d in tx.find("contact_identifier", contact_uuid=contact_uuid)
        ]
    return ok(items)


def _emit_updated(tx: Tx, doc: Doc, changed: list[str]) -> dict[str, Any]:
    """The contact's view; emits ``contact_updated`` with ``_changed_attributes`` when something changed."""
    view = contact_view(tx, doc)
    if changed:
        tx.emit("contact_updated", {"contact": view, "_changed_attributes": changed})
    return view


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
