"""Sandbox routes: the loyalty program, its units and tiers (loyalty-program.md; perks are in perks.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contacts import tier_view
from piggy_agent_tools.sandbox.domain.program import program, require_unit, unit_view
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.errors import fail

router = APIRouter()
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


class UnitArgs(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    label: str = Field(min_length=1, max_length=255)
    is_default: bool = False
    prefix: str | None = Field(None, max_length=8)
    format: Literal["int", "float"] = "int"

    @field_validator("is_default", mode="before")
    @classmethod
    def _flag(cls, value: object) -> object:
        """Units accept true/false/1/0/yes/no (loyalty-program.md, Create unit)."""
        if isinstance(value, str):
            text = value.strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
        return value


def _laravel_time() -> str:
    """Unit create answers with raw Laravel timestamps: ``2024-01-10T09:00:00.000000Z`` (README §9)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


@router.get("/loyalty-program")
def get_program(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        doc = program(tx)
        default = require_unit(tx, None)
        return ok(
            {
                "id": doc["id"],
                "name": doc["name"],
                "max_amount": doc.get("max_amount"),
                "custom_credit_name": doc.get("custom_credit_name"),
                "unit": {k: default.get(k) for k in ("name", "label", "prefix")},
            },
            {},
        )


@router.get("/units")
def list_units(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok([unit_view(u) for u in tx.all("unit")], {})


@router.post("/units")
def create_unit(ctx: CtxDep) -> JSONResponse:
    """A new unit (55045 when the name exists); ``is_default`` moves the account default to it."""
    args = ctx.args(UnitArgs)
    with ctx.write("units.create") as tx:
        if tx.find_one("unit", name=args.name):
            raise fail(55045)
        if args.is_default:
            for other in tx.find("unit", is_default=True):
                other["is_default"] = False
                tx.put("unit", other)
        stamp = _laravel_time()
        doc = tx.insert(
            "unit",
            {
                "name": args.name,
                "label": args.label,
                # Inferred from DOCS only: the prefix defaults to the first character of the name.
                "prefix": args.prefix if args.prefix is not None else args.name[0],
                "is_default": args.is_default,
                "format": args.format,
                "credits_per_unit": 1,  # sandbox rule data: a new unit earns 1 credit per unit
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        return ok(
            {
                "id": doc["id"],
                "loyalty_program_id": program(tx)["id"],
                **{k: doc[k] for k in ("name", "label", "is_default", "prefix", "format", "created_at", "updated_at")},
            },
            {},
        )


@router.get("/tiers")
def list_tiers(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        tiers = sorted(tx.all("tier"), key=lambda t: int(t.get("position", 0)))
        return ok([tier_view(t) for t in tiers], [])
