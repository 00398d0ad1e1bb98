"""Sandbox routes: promotions (list, get, create) and promotion attributes (list, create, get, update)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.promotions import (
    KIND,
    TYPES,
    attribute_docs,
    create_attribute,
    new_promotion,
    promotion_attribute_view,
    promotion_view,
    require_attribute,
    require_promotion,
    update_attribute,
)
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.errors import invalid

router = APIRouter()


class ListArgs(BaseModel):
    # The SDK sends page and limit; the list is recorded unpaginated (meta []), so they are accepted and ignored.
    page: int | None = Field(None, ge=1)
    limit: int | None = Field(None, ge=0)


class CreateArgs(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1)
    voucher_limit: int | None = Field(None, ge=0)
    limit_per_contact: int | None = Field(None, ge=0)
    expiration_duration: int | None = Field(None, ge=0)
    type: str | None = None
    redemptions_per_voucher: int | None = Field(None, ge=1)


class Option(BaseModel):
    label: str
    value: str


class AttributeArgs(BaseModel):
    name: str = Field(min_length=1)
    label: str = Field(min_length=1)
    type: str = Field(min_length=1)
    description: str | None = None
    placeholder: str | None = None
    options: list[Option] | None = None


class AttributeUpdateArgs(BaseModel):
    name: str | None = Field(None, min_length=1)
    label: str | None = None
    type: str | None = None
    description: str | None = None
    placeholder: str | None = None
    options: list[Option] | None = None


@router.get("/promotions")
def list_promotions(ctx: CtxDep) -> JSONResponse:
    ctx.args(ListArgs)
    with ctx.read() as tx:
        return ok([promotion_view(tx, d) for d in tx.all(KIND)])


@router.post("/promotions")
def create_promotion(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(CreateArgs)
    if args.type is not None and args.type not in TYPES:
        raise invalid({"type": ["The selected type is invalid."]})
    if args.type == "SINGLE_USE" and (args.redemptions_per_voucher or 1) > 1:
        raise invalid({"redemptions_per_voucher": ["A SINGLE_USE promotion allows one redemption per voucher."]})
    with ctx.write("promotions.create") as tx:
        doc = new_promotion(tx, **args.model_dump())
        view = promotion_view(tx, doc)
        # Inferred (webhooks.md has no promotion_created event): a new promotion is reported as updated.
        tx.emit("promotion_updated", {"promotion": view})
    return ok(view)


@router.get("/promotions/{promotion_uuid}")
def get_promotion(promotion_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(promotion_view(tx, require_promotion(tx, promotion_uuid)))


@router.get("/promotion-attributes")
def list_promotion_attributes(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok([promotion_attribute_view(d) for d in attribute_docs(tx)])


@router.post("/promotion-attributes")
def create_promotion_attribute(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(AttributeArgs)
    options: list[dict[str, Any]] | None = [o.model_dump() for o in args.options] if args.options else None
    with ctx.write("promotion_attributes.create") as tx:
        doc = create_attribute(
            tx,
            name=args.name,
            label=args.label,
            type=args.type,
            description=args.description,
            placeholder=args.placeholder,
            options=options,
        )
        return ok(promotion_attribute_view(doc))


# Inferred (promotions-vouchers.md: 1 source on OAuth, mirrors Register): get and update by numeric id.
@router.get("/promotion-attributes/{promotion_attribute_id}")
def get_promotion_attribute(promotion_attribute_id: int, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(promotion_attribute_view(require_attribute(tx, promotion_attribute_id)))


@router.put("/promotion-attributes/{promotion_attribute_id}")
def update_promotion_attribute(promotion_attribute_id: int, ctx: CtxDep) -> JSONResponse:
    args = ctx.args(AttributeUpdateArgs)
    changes = args.model_dump(exclude_none=True)
    if args.options is not None:
        changes["options"] = [o.model_dump() for o in args.options]
    with ctx.write("promotion_attributes.update") as tx:
        doc = update_attribute(tx, require_attribute(tx, promotion_attribute_id), changes)
        return ok(promotion_attribute_view(doc))
