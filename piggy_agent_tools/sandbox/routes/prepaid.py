"""Sandbox routes: prepaid transactions, top up or spend a contact's wallet in cents, list, reverse (prepaid.md)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain import prepaid
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.identifiers import contact_of_identifier, identifier_brief
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import meta_a, ok, slice_page
from piggy_agent_tools.sandbox.errors import invalid

router = APIRouter()


class CreateArgs(BaseModel):
    contact_uuid: str | None = None
    contact_identifier_value: str | None = None
    amount_in_cents: int
    shop_uuid: str = Field(min_length=1)


class ListArgs(BaseModel):
    contact_uuid: str | None = None
    shop_uuid: str | None = None
    page: int = Field(1, ge=1)
    limit: int = Field(10, ge=1, le=30)


@router.post("/prepaid-transactions")
def create_transaction(ctx: CtxDep) -> JSONResponse:
    """Top up (positive) or pay (negative) from a contact's prepaid balance; the balance never goes negative."""
    args = ctx.args(CreateArgs)
    if not args.contact_uuid and not args.contact_identifier_value:
        message = "The {} field is required when {} is not present."
        raise invalid(
            {
                "contact_uuid": [message.format("contact uuid", "contact identifier value")],
                "contact_identifier_value": [message.format("contact identifier value", "contact uuid")],
            }
        )
    if args.amount_in_cents == 0:
        # Inferred: a zero transaction moves nothing; refused as invalid input.
        raise invalid({"amount_in_cents": ["The amount in cents may not be 0."]})
    with ctx.write("prepaid_transactions.create") as tx:
        identifier = None
        if args.contact_identifier_value:
            identifier, contact = contact_of_identifier(tx, args.contact_identifier_value)
            if args.contact_uuid and require_contact(tx, args.contact_uuid)["uuid"] != contact["uuid"]:
                # Inferred: both given but naming different contacts is a contradiction, refused as invalid input.
                raise invalid({"contact_identifier_value": ["The contact identifier belongs to another contact."]})
        else:
            contact = require_contact(tx, args.contact_uuid)
        shop = require_shop(tx, args.shop_uuid)
        brief = identifier_brief(identifier) if identifier else None
        doc = prepaid.create_transaction(tx, contact, shop, args.amount_in_cents, contact_identifier=brief)
        return ok(prepaid.transaction_view(tx, doc))


@router.get("/prepaid-transactions")
def list_transactions(ctx: CtxDep) -> JSONResponse:
    """One page of transactions, oldest first. Inferred (README §6): the meta is undocumented; format A is used."""
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        filters = {}
        if args.contact_uuid is not None:
            filters["contact_uuid"] = require_contact(tx, args.contact_uuid)["uuid"]
        if args.shop_uuid is not None:
            filters["shop_uuid"] = require_shop(tx, args.shop_uuid)["uuid"]
        page, total, _ = slice_page(tx.find(prepaid.KIND, **filters), args.page, args.limit)
        items = [prepaid.transaction_view(tx, d, with_contact=True) for d in page]
    return ok(items, meta_a(args.page, args.limit, total))


@router.post("/prepaid-transactions/{prepaid_transaction_uuid}/reverse")
def reverse_transaction(prepaid_transaction_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Book the opposite amount as a new transaction (once per transaction)."""
    with ctx.write("prepaid_transactions.reverse", prepaid_transaction_uuid=prepaid_transaction_uuid) as tx:
        doc = prepaid.reverse_transaction(tx, prepaid.require_transaction(tx, prepaid_transaction_uuid))
        return ok(prepaid.transaction_view(tx, doc))
