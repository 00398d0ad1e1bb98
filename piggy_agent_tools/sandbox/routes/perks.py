"""Sandbox routes: perks of tiers (loyalty-program.md, Perks). Each tier holds one value per perk (sandbox data)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import AliasChoices, BaseModel, Field, field_validator

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

router = APIRouter()
KIND = "perk"


class Option(BaseModel):
    label: str = Field(min_length=1)
    value: str = Field(min_length=1)
    default: bool = False

    @field_validator("value", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value) if isinstance(value, int | float) else value


class CreateArgs(BaseModel):
    label: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=64)
    # DOCS and Postman send ``data_type``; the PHP SDK sends ``dataType`` (loyalty-program.md): both accepted.
    data_type: Literal["single_select", "boolean"] = Field(validation_alias=AliasChoices("data_type", "dataType"))
    options: list[Option] = Field(min_length=1)


class UpdateArgs(BaseModel):
    label: str = Field(min_length=1)


def perk_view(doc: Doc) -> dict[str, Any]:
    """The Perk object ``{uuid, label, name, data_type, options: [{label, value, default}]}``."""
    return {
        "uuid": doc["uuid"],
        "label": doc["label"],
        "name": doc["name"],
        "data_type": doc["data_type"],
        "options": [dict(o) for o in doc["options"]],
    }


def require_perk(tx: Tx, perk_uuid: str) -> Doc:
    """The perk, or 110000 Perk not found."""
    doc = tx.get(KIND, perk_uuid)
    if doc is None:
        raise fail(110000)
    return doc


def _check_options(args: CreateArgs) -> None:
    """Exactly one default option, distinct values, and only ``true`` / ``false`` for boolean perks (1003)."""
    errors: dict[str, list[str]] = {}
    defaults = sum(1 for o in args.options if o.default)
    if defaults != 1:
        # The DOCS say "one option must be default: true"; Postman's example marks two, which is refused here.
        errors["options"] = [f"Exactly one option must be the default; {defaults} given."]
    values = [o.value for o in args.options]
    if len(set(values)) != len(values):
        errors.setdefault("options", []).append("Option values must be unique.")
    if args.data_type == "boolean" and not set(values) <= {"true", "false"}:
        errors.setdefault("options", []).append("A boolean perk only takes the values true and false.")
    if errors:
        raise invalid(errors)


@router.get("/perks")
def list_perks(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok([perk_view(d) for d in tx.all(KIND)])


@router.post("/perks")
def create_perk(ctx: CtxDep) -> JSONResponse:
    """Create a perk; every existing tier gets the default option's value."""
    args = ctx.args(CreateArgs)
    _check_options(args)
    with ctx.write("perks.create") as tx:
        if tx.find_one(KIND, name=args.name):
            # Inferred: uniqueness of ``name`` ("internal name") is not documented with a code; 1003 like Laravel.
            raise invalid({"name": ["The name has already been taken."]})
        default = next(o.value for o in args.options if o.default)
        doc = tx.insert(
            KIND,
            {
                "name": args.name,
                "label": args.label,
                "data_type": args.data_type,
                "options": [o.model_dump() for o in args.options],
                "tier_values": {tier["uuid"]: default for tier in tx.all("tier")},
                "created_at": now_iso(),
            },
        )
        return ok(perk_view(doc))


@router.get("/perks/{perk_uuid}")
def get_perk(perk_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(perk_view(require_perk(tx, perk_uuid)))


@router.put("/perks/{perk_uuid}")
def update_perk(perk_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Only the label can change (loyalty-program.md); other fields sent are ignored."""
    args = ctx.args(UpdateArgs)
    with ctx.write("perks.update", perk_uuid=perk_uuid) as tx:
        doc = require_perk(tx, perk_uuid)
        doc["label"] = args.label
        return ok(perk_view(tx.put(KIND, doc)))


@router.delete("/perks/{perk_uuid}")
def delete_perk(perk_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Remove the perk (and so its value on every tier). Inferred body ``{"data": null, "meta": []}``."""
    with ctx.write("perks.delete", perk_uuid=perk_uuid) as tx:
        require_perk(tx, perk_uuid)
        tx.delete(KIND, perk_uuid)
    return ok(None)
