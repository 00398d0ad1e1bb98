"""Sandbox routes: subscription types, and a contact's subscriptions: list, subscribe, unsubscribe (contacts.md §4)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contacts import KIND as CONTACT
from piggy_agent_tools.sandbox.domain.contacts import contact_view, require_contact
from piggy_agent_tools.sandbox.domain.subscriptions import (
    KIND,
    require_type,
    set_status,
    subscription_view,
    subscriptions_of,
    type_view,
)
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.store import now_iso

router = APIRouter()


class ChangeArgs(BaseModel):
    subscription_type_uuid: str = Field(min_length=1)


@router.get("/subscription-types")
def list_subscription_types(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok([type_view(t) for t in tx.all(KIND)])


@router.get("/contact-subscriptions/{contact_uuid}")
def list_contact_subscriptions(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(subscriptions_of(tx, require_contact(tx, contact_uuid)), {})


@router.put("/contact-subscriptions/{contact_uuid}/subscribe")
def subscribe(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    """SUBSCRIBED, or PENDING_CONFIRMATION for a DOUBLE_OPT_IN type (55031 / 55030)."""
    return _change(contact_uuid, ctx, subscribe=True)


@router.put("/contact-subscriptions/{contact_uuid}/unsubscribe")
def unsubscribe(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    return _change(contact_uuid, ctx, subscribe=False)


def _change(contact_uuid: str, ctx: CtxDep, *, subscribe: bool) -> JSONResponse:
    args = ctx.args(ChangeArgs)
    operation = "contact_subscriptions.subscribe" if subscribe else "contact_subscriptions.unsubscribe"
    with ctx.write(operation, contact_uuid=contact_uuid) as tx:
        contact = require_contact(tx, contact_uuid)
        stype = require_type(tx, args.subscription_type_uuid)
        before = subscription_view(contact, stype)["status"]
        after = set_status(contact, stype, subscribe=subscribe)
        if after != before:
            contact["updated_at"] = now_iso()
            tx.put(CONTACT, contact)
            changed = [f"subscription_status_{stype['id']}"]
            tx.emit("contact_updated", {"contact": contact_view(tx, contact), "_changed_attributes": changed})
        return ok(subscription_view(contact, stype))
