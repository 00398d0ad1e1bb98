"""Sandbox routes: award credits, reverse an award, calculate credits (credit-receptions.md)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.credits import (
    calculate_credits,
    create_credit_reception,
    credit_reception_view,
    require_credit_reception,
    reverse_credit_reception,
    transaction_attribute_values,
)
from piggy_agent_tools.sandbox.domain.identifiers import require_identifier
from piggy_agent_tools.sandbox.domain.program import program, require_unit
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Tx

router = APIRouter()
_EITHER = "The credits field is required when unit value is not present."


class CreateArgs(BaseModel):
    """Extra top-level fields are allowed: those named like a loyalty transaction attribute are stored."""

    model_config = ConfigDict(extra="allow")
    shop_uuid: str
    contact_uuid: str
    credits: int | None = None
    unit_value: float | None = None
    unit_name: str | None = None
    contact_identifier_value: str | None = None
    pos_transaction_uuid: str | None = None
    pos_transaction_id: str | None = None  # the SDK's spelling (credit-receptions.md, Discrepancy)


class CalculateArgs(BaseModel):
    shop_uuid: str
    unit_value: float
    unit_name: str | None = None
    contact_uuid: str | None = None


def _require_active_program(tx: Tx) -> None:
    if not program(tx).get("active", True):
        raise fail(55018)


@router.post("/credit-receptions")
def create(ctx: CtxDep) -> JSONResponse:
    """Credits override the rules; otherwise unit_value in unit_name (default unit) earns rate x tier multiplier."""
    args = ctx.args(CreateArgs)
    if args.credits is None and args.unit_value is None:
        raise invalid(
            {"credits": [_EITHER], "unit_value": ["The unit value field is required when credits is not present."]}
        )
    with ctx.write("credit_receptions.create") as tx:
        _require_active_program(tx)
        shop = require_shop(tx, args.shop_uuid)
        contact = require_contact(tx, args.contact_uuid)
        unit = require_unit(tx, args.unit_name)
        identifier = None
        if args.contact_identifier_value:
            found = require_identifier(tx, args.contact_identifier_value)
            identifier = {"name": found.get("name"), "value": found["value"], "active": found.get("active", True)}
        pos_transaction = args.pos_transaction_uuid or args.pos_transaction_id
        if pos_transaction:
            # POS transactions are Register-only and never stored in this sandbox, so every link is 1027.
            raise fail(1027)
        doc = create_credit_reception(
            tx,
            contact,
            shop,
            unit,
            credits=args.credits,
            unit_value=args.unit_value,
            attributes=transaction_attribute_values(tx, ctx.params),
            contact_identifier=identifier,
        )
        return ok(credit_reception_view(tx, doc), {})


@router.get("/credit-receptions/calculate")
def calculate(ctx: CtxDep) -> JSONResponse:
    """The credits a value would earn now, by the same rule as create; reads only."""
    args = ctx.args(CalculateArgs)
    with ctx.read() as tx:
        require_shop(tx, args.shop_uuid)
        contact = require_contact(tx, args.contact_uuid) if args.contact_uuid else None
        unit = require_unit(tx, args.unit_name)
        return ok({"credits": calculate_credits(tx, unit, args.unit_value, contact)}, {})


@router.post("/credit-receptions/{credit_reception_uuid}/reverse")
def reverse(credit_reception_uuid: str, ctx: CtxDep) -> JSONResponse:
    """A new reception with the negated credits; 1017 when they were already spent."""
    with ctx.write("credit_receptions.reverse", credit_reception_uuid=credit_reception_uuid) as tx:
        reversal = reverse_credit_reception(tx, require_credit_reception(tx, credit_reception_uuid))
        return ok(credit_reception_view(tx, reversal), {})
