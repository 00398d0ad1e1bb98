"""Sandbox routes: gift-card programs, gift cards and gift-card transactions (giftcards.md).

Fixed paths (``/giftcards/find-one-by``) are declared before parameterised ones.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain import giftcards as gc
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import meta_a, meta_c, ok, slice_page
from piggy_agent_tools.sandbox.errors import fail, invalid

router = APIRouter()


class CardListArgs(BaseModel):
    giftcard_program_uuid: str | None = None
    page: int = Field(1, ge=1)
    limit: int = Field(30, ge=1, le=100)


class HashArgs(BaseModel):
    hash: str = Field(min_length=1)


class CreateCardArgs(BaseModel):
    # DOCS mark the program required, PM optional: required, as DOCS say (giftcards.md, Create giftcard).
    giftcard_program_uuid: str = Field(min_length=1)
    type: int = Field(ge=0, le=1)  # 0 physical, 1 digital


class SendArgs(BaseModel):
    contact_uuid: str = Field(min_length=1)
    email_uuid: str | None = None
    merge_tags: dict[str, Any] | None = None

    @field_validator("merge_tags")
    @classmethod
    def _custom_keys(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        bad = [key for key in value or {} if not key.startswith("custom.")]
        if bad:
            raise ValueError(f"Merge tag keys must start with custom. ({', '.join(bad)}).")
        return value


class TransactionListArgs(BaseModel):
    page: int = Field(1, ge=1)
    # DOCS call the page size ``perPage``, the SDK sends ``limit``: both accepted (giftcards.md, List).
    limit: int | None = Field(None, ge=1, le=100)
    perPage: int | None = Field(None, ge=1, le=100)  # the API's own spelling
    giftcard_hash: str | None = None
    giftcard_uuid: str | None = None
    giftcard_program_uuid: str | None = None
    shop_uuid: str | None = None
    sort: Literal["created_at", "-created_at"] | None = None
    created_at: dict[Literal["gt", "gte", "lt", "lte"], str] | None = None


class CreateTransactionArgs(BaseModel):
    giftcard_uuid: str = Field(min_length=1)
    amount_in_cents: int
    shop_uuid: str = Field(min_length=1)
    custom_attributes: dict[str, Any] | None = None
    type: int | None = None  # sent by the WP plugin, undocumented; accepted and ignored


@router.get("/giftcard-programs")
def list_programs(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok([gc.program_view(tx, p) for p in tx.all(gc.PROGRAM)])


@router.get("/giftcards")
def list_cards(ctx: CtxDep) -> JSONResponse:
    """One page of cards, optionally of one program (meta format C)."""
    args = ctx.args(CardListArgs)
    with ctx.read() as tx:
        if args.giftcard_program_uuid is not None:
            gc.require_program(tx, args.giftcard_program_uuid)
            cards = tx.find(gc.CARD, program_uuid=args.giftcard_program_uuid)
        else:
            cards = tx.all(gc.CARD)
        page, total, _ = slice_page(cards, args.page, args.limit)
        return ok([gc.card_view(tx, c) for c in page], meta_c(args.page, args.limit, total))


@router.get("/giftcards/find-one-by")
def find_card(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(HashArgs)
    with ctx.read() as tx:
        card = tx.find_one(gc.CARD, hash=args.hash)
        if card is None:
            raise fail(5001)
        return ok(gc.card_view(tx, card))


@router.post("/giftcards")
def create_card(ctx: CtxDep) -> JSONResponse:
    """A new digital card at zero; physical cards (type 0) cannot be created through the API (55021)."""
    args = ctx.args(CreateCardArgs)
    with ctx.write("giftcards.create") as tx:
        program = gc.require_program(tx, args.giftcard_program_uuid)
        if args.type != 1:
            raise fail(55021)
        return ok(gc.card_view(tx, gc.new_card(tx, program)))


@router.get("/giftcards/{giftcard_uuid}")
def get_card(giftcard_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(gc.card_view(tx, gc.require_card(tx, giftcard_uuid)))


@router.post("/giftcards/{giftcard_uuid}/send-by-email")
def send_by_email(giftcard_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Record that the card was emailed to a contact (the sandbox sends no mail; the audit row is the proof)."""
    args = ctx.args(SendArgs)
    with ctx.write("giftcards.send_by_email", giftcard_uuid=giftcard_uuid) as tx:
        gc.require_card(tx, giftcard_uuid)
        require_contact(tx, args.contact_uuid)
    # Inferred (giftcards.md, Send by email): DOCS and Magento disagree; the DOCS body is used.
    return ok({"message": "success", "data": "Email successfully sent"}, {})


@router.get("/giftcard-transactions")
def list_transactions(ctx: CtxDep) -> JSONResponse:
    """One page of transactions, oldest first unless sorted (meta format A, ``limit`` as a number as recorded)."""
    args = ctx.args(TransactionListArgs)
    limit = args.limit or args.perPage or 10
    with ctx.read() as tx:
        filters: dict[str, Any] = {}
        if args.giftcard_hash is not None:
            card = tx.find_one(gc.CARD, hash=args.giftcard_hash)
            filters["giftcard_uuid"] = card["uuid"] if card else ""
        if args.giftcard_uuid is not None:
            filters["giftcard_uuid"] = args.giftcard_uuid
        if args.giftcard_program_uuid is not None:
            filters["program_uuid"] = gc.require_program(tx, args.giftcard_program_uuid)["uuid"]
        if args.shop_uuid is not None:
            filters["shop_uuid"] = require_shop(tx, args.shop_uuid)["uuid"]
        docs = tx.find(gc.TRANSACTION, **filters)
        for op, test in (("gt", str.__gt__), ("gte", str.__ge__), ("lt", str.__lt__), ("lte", str.__le__)):
            bound = (args.created_at or {}).get(op)  # type: ignore[call-overload]
            if bound:
                docs = [d for d in docs if test(d["created_at"], bound)]
        if args.sort:
            docs.sort(key=lambda d: d["created_at"], reverse=args.sort.startswith("-"))
        page, total, _ = slice_page(docs, args.page, limit)
        items = [gc.transaction_view(tx, d) for d in page]
    # The recorded giftcard-transactions meta echoes ``limit`` as a number (contacts echo a string).
    return ok(items, meta_a(args.page, limit, total) | {"limit": limit})


@router.post("/giftcard-transactions")
def create_transaction(ctx: CtxDep) -> JSONResponse:
    """Top up (positive) or spend (negative) a card's balance, under the card and program rules."""
    args = ctx.args(CreateTransactionArgs)
    if args.amount_in_cents == 0:
        # Inferred: a zero transaction moves nothing; refused as invalid input.
        raise invalid({"amount_in_cents": ["The amount in cents may not be 0."]})
    with ctx.write("giftcard_transactions.create") as tx:
        card = gc.require_card(tx, args.giftcard_uuid)
        shop = require_shop(tx, args.shop_uuid)
        doc = gc.apply_transaction(tx, card, shop, args.amount_in_cents, custom_attributes=args.custom_attributes)
        return ok(gc.transaction_view(tx, doc))


@router.get("/giftcard-transactions/{giftcard_transaction_uuid}")
def get_transaction(giftcard_transaction_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(gc.transaction_view(tx, gc.require_transaction(tx, giftcard_transaction_uuid)))


@router.post("/giftcard-transactions/{giftcard_transaction_uuid}/reverse")
def reverse_transaction(giftcard_transaction_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Book the negated amount as a new transaction; only the card's last transaction can be reversed (55025)."""
    with ctx.write("giftcard_transactions.reverse", giftcard_transaction_uuid=giftcard_transaction_uuid) as tx:
        doc = gc.reverse_transaction(tx, gc.require_transaction(tx, giftcard_transaction_uuid))
        return ok(gc.transaction_view(tx, doc))


@router.post("/giftcard-transactions/{giftcard_transaction_uuid}/correct")
def correct_transaction(giftcard_transaction_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Inferred (giftcards.md, Correct): semantics undocumented; the recorded answer behaves like reverse."""
    with ctx.write("giftcard_transactions.correct", giftcard_transaction_uuid=giftcard_transaction_uuid) as tx:
        doc = gc.reverse_transaction(tx, gc.require_transaction(tx, giftcard_transaction_uuid))
        return ok(gc.transaction_view(tx, doc))
