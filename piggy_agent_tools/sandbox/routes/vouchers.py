"""Sandbox routes: vouchers (promotions-vouchers.md). Fixed paths (batch, find, redeem, multi-redeem) come before
``/vouchers/{voucher_uuid}``; the rules live in ``domain/vouchers.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain import vouchers as rules
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.promotions import require_promotion
from piggy_agent_tools.sandbox.envelope import meta_b, ok, slice_page
from piggy_agent_tools.sandbox.errors import invalid
from piggy_agent_tools.sandbox.store import now_iso

router = APIRouter()


class ListArgs(BaseModel):
    promotion_uuid: str | None = None
    contact_uuid: str | None = None
    status: Literal["ACTIVE", "REDEEMED", "EXPIRED", "DEACTIVATED", "INACTIVE", "LOCKED"] | None = None
    page: int = Field(1, ge=1)
    limit: int = Field(30, ge=0, le=500)


class CreateArgs(BaseModel):
    promotion_uuid: str = Field(min_length=1)
    code: str | None = Field(None, min_length=1, max_length=255)
    contact_uuid: str | None = None
    activation_date: str | None = None
    expiration_date: str | None = None
    total_redemptions_allowed: int | None = Field(None, ge=1)
    custom_attributes: dict[str, Any] | None = None


class BatchArgs(BaseModel):
    promotion_uuid: str = Field(min_length=1)
    quantity: int = Field(ge=1, le=500)
    contact_uuid: str | None = None
    activation_date: str | None = None
    expiration_date: str | None = None
    custom_attributes: dict[str, Any] | None = None


class CodeArgs(BaseModel):
    code: str = Field(min_length=1)


class UpdateArgs(BaseModel):
    # DOCS mark status required, PM optional: optional, so attributes or the date can change alone.
    status: Literal["ACTIVE", "DEACTIVATED"] | None = None
    custom_attributes: dict[str, Any] | None = None
    expiration_date: str | None = None


class ValidateArgs(BaseModel):
    # DOCS (the only source for validate) require shop_uuid.
    shop_uuid: str = Field(min_length=1)
    contact_uuid: str | None = None


class RedeemArgs(BaseModel):
    code: str = Field(min_length=1)
    # Inferred (promotions-vouchers.md Redeem, README §13.9): current DOCS require shop_uuid but the official SDK
    # never sends it; both contracts are accepted and a shop that is sent must exist (1008).
    shop_uuid: str | None = None
    contact_uuid: str | None = None
    release_key: str | None = None


class MultiRedeemArgs(BaseModel):
    code: str = Field(min_length=1)
    number_of_times: int = Field(ge=1, le=50)
    shop_uuid: str = Field(min_length=1)  # DOCS (the only source for multi-redeem) require it
    contact_uuid: str | None = None
    release_key: str | None = None


class ReleaseArgs(BaseModel):
    release_key: str = Field(min_length=1)


def _dates(activation: str | None, expiration: str | None) -> tuple[str | None, str | None]:
    """Both dates in UTC; an expiration before the activation is 1003 (inferred: an obvious, undocumented check)."""
    start, end = rules.utc_time("activation_date", activation), rules.utc_time("expiration_date", expiration)
    if start and end and end < start:
        raise invalid({"expiration_date": ["The expiration date must be a date after the activation date."]})
    return start, end


@router.get("/vouchers")
def list_vouchers(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ListArgs)
    # Inferred: limit 0 (allowed by DOCS) cannot make a page; Laravel's default of 30 is used.
    per_page = args.limit or 30
    with ctx.read() as tx:
        filters: dict[str, Any] = {}
        if args.promotion_uuid:
            filters["promotion_uuid"] = require_promotion(tx, args.promotion_uuid)["uuid"]
        if args.contact_uuid:
            filters["contact_uuid"] = require_contact(tx, args.contact_uuid)["uuid"]
        docs = tx.find(rules.KIND, **filters)
        if args.status:
            now = now_iso()
            docs = [d for d in docs if rules.status_of(d, now) == args.status]
        page, total, _ = slice_page(docs, args.page, per_page)
        items = [rules.voucher_view(tx, d) for d in page]
    links, meta = meta_b(ctx.url(), args.page, per_page, total)
    # As recorded (PM List Vouchers): the previous/next labels are the untranslated "pagination.*" keys.
    meta["links"][0]["label"], meta["links"][-1]["label"] = "pagination.previous", "pagination.next"
    return ok(items, meta, links=links)


@router.post("/vouchers")
def create_voucher(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(CreateArgs)
    activation, expiration = _dates(args.activation_date, args.expiration_date)
    with ctx.write("vouchers.create") as tx:
        promotion = require_promotion(tx, args.promotion_uuid)
        contact_uuid = require_contact(tx, args.contact_uuid)["uuid"] if args.contact_uuid else None
        values = rules.check_custom_attributes(tx, args.custom_attributes)
        rules.check_limits(tx, promotion, contact_uuid, 1)
        doc = rules.new_voucher(
            tx,
            promotion,
            code=args.code,
            contact_uuid=contact_uuid,
            activation_date=activation,
            expiration_date=expiration,
            total_redemptions_allowed=args.total_redemptions_allowed,
            custom_attributes=values,
        )
        return ok(rules.voucher_view(tx, doc))


@router.post("/vouchers/batch")
def create_batch(ctx: CtxDep) -> JSONResponse:
    """Piggy makes the vouchers in the background and answers with a PENDING job (HTTP 201, as recorded); the
    sandbox makes them at once, so they are listable as soon as the answer arrives."""
    args = ctx.args(BatchArgs)
    activation, expiration = _dates(args.activation_date, args.expiration_date)
    with ctx.write("vouchers.batch") as tx:
        promotion = require_promotion(tx, args.promotion_uuid)
        contact_uuid = require_contact(tx, args.contact_uuid)["uuid"] if args.contact_uuid else None
        values = rules.check_custom_attributes(tx, args.custom_attributes)
        rules.check_limits(tx, promotion, contact_uuid, args.quantity)
        job = tx.insert(
            rules.BATCH_KIND,
            {"promotion_uuid": promotion["uuid"], "quantity": args.quantity, "created_at": now_iso()},
        )
        for _ in range(args.quantity):
            voucher = rules.new_voucher(
                tx,
                promotion,
                contact_uuid=contact_uuid,
                activation_date=activation,
                expiration_date=expiration,
                custom_attributes=values,
            )
            voucher["batch_uuid"] = job["uuid"]
            tx.put(rules.KIND, voucher)
    # The recorded display format "2023-11-13, 09:36" (README §9), not ISO 8601.
    shown = datetime.fromisoformat(job["created_at"]).astimezone(UTC).strftime("%Y-%m-%d, %H:%M")
    data = {
        "uuid": job["uuid"],
        "type": "vouchers",
        "quantity": args.quantity,
        "status": "PENDING",
        "created_at": shown,
    }
    return ok(data, status=201)


@router.get("/vouchers/find")
def find_voucher(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(CodeArgs)
    with ctx.read() as tx:
        return ok(rules.voucher_view(tx, rules.require_code(tx, args.code)))


def _voucher_uuid_of(ctx: CtxDep, code: str) -> str | None:
    """The voucher's uuid for the audit row (the code itself is masked there), read before the write."""
    with ctx.read() as tx:
        found = tx.find_one(rules.KIND, code=code)
    return found["uuid"] if found else None


@router.post("/vouchers/redeem")
def redeem_voucher(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(RedeemArgs)
    with ctx.write("vouchers.redeem", voucher_uuid=_voucher_uuid_of(ctx, args.code)) as tx:
        doc = rules.require_code(tx, args.code)
        [redemption] = rules.redeem(
            tx, doc, contact_uuid=args.contact_uuid, shop_uuid=args.shop_uuid, release_key=args.release_key
        )
        view = rules.voucher_view(tx, doc) | {"voucher_redemption": rules.redemption_view(redemption)}
    return ok(view)


@router.post("/vouchers/multi-redeem")
def multi_redeem_voucher(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(MultiRedeemArgs)
    with ctx.write("vouchers.multi_redeem", voucher_uuid=_voucher_uuid_of(ctx, args.code)) as tx:
        doc = rules.require_code(tx, args.code)
        redemptions = rules.redeem(
            tx,
            doc,
            contact_uuid=args.contact_uuid,
            shop_uuid=args.shop_uuid,
            release_key=args.release_key,
            times=args.number_of_times,
        )
        data = {
            "voucher": rules.voucher_view(tx, doc),
            "voucher_redemptions": [rules.redemption_view(r) for r in redemptions],
        }
    return ok(data)


@router.put("/vouchers/{voucher_uuid}")
def update_voucher(voucher_uuid: str, ctx: CtxDep) -> JSONResponse:
    args = ctx.args(UpdateArgs)
    expiration = rules.utc_time("expiration_date", args.expiration_date)
    with ctx.write("vouchers.update") as tx:
        doc = rules.require_voucher(tx, voucher_uuid)
        values = rules.check_custom_attributes(tx, args.custom_attributes)
        rules.update(tx, doc, status=args.status, custom_attributes=values, expiration_date=expiration)
        return ok(rules.voucher_view(tx, doc))


@router.post("/vouchers/{voucher_uuid}/validate")
def validate_voucher(voucher_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Checks every redeem rule and writes nothing. Invented (the answer is undocumented): the voucher object."""
    args = ctx.args(ValidateArgs)
    with ctx.read() as tx:
        doc = rules.require_voucher(tx, voucher_uuid)
        rules.check_redeemable(tx, doc, contact_uuid=args.contact_uuid, shop_uuid=args.shop_uuid, release_key=None)
        return ok(rules.voucher_view(tx, doc))


@router.post("/vouchers/{voucher_uuid}/lock")
@router.post("/vouchers/{voucher_uuid}/lock/", include_in_schema=False)  # the SDK posts with a trailing slash
def lock_voucher(voucher_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.write("vouchers.lock") as tx:
        doc = rules.lock(tx, rules.require_voucher(tx, voucher_uuid))
        return ok(rules.lock_view(doc))


@router.post("/vouchers/{voucher_uuid}/release")
def release_voucher(voucher_uuid: str, ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ReleaseArgs)
    with ctx.write("vouchers.release") as tx:
        doc = rules.release(tx, rules.require_voucher(tx, voucher_uuid), args.release_key)
        return ok(rules.lock_view(doc))


@router.post("/vouchers/{voucher_redemption_uuid}/reverse")
def reverse_redemption(voucher_redemption_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Undo one redemption. Invented (the answer is undocumented): the voucher object after the reversal."""
    with ctx.write("vouchers.reverse") as tx:
        doc = rules.reverse(tx, voucher_redemption_uuid)
        return ok(rules.voucher_view(tx, doc))
