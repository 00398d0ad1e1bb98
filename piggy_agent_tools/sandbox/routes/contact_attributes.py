"""Sandbox routes: contact attribute definitions, list and create (contacts.md §3)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contact_attributes import create_definition, definitions, view_by_name
from piggy_agent_tools.sandbox.envelope import ok

router = APIRouter()


class OptionArgs(BaseModel):
    label: str
    value: Any


class CreateArgs(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1)
    data_type: str
    description: str | None = None
    options: list[OptionArgs] = []


@router.get("/contact-attributes")
def list_contact_attributes(ctx: CtxDep) -> JSONResponse:
    """Every definition, system and custom, unpaginated (meta ``[]`` as recorded)."""
    with ctx.read() as tx:
        return ok(definitions(tx))


@router.post("/contact-attributes")
def create_contact_attribute(ctx: CtxDep) -> JSONResponse:
    """A custom definition; option values come back as strings, as recorded. 60009 when the name exists."""
    args = ctx.args(CreateArgs)
    with ctx.write("contact_attributes.create") as tx:
        create_definition(
            tx,
            name=args.name,
            label=args.label,
            data_type=args.data_type,
            description=args.description,
            options=[o.model_dump() for o in args.options],
        )
        return ok(view_by_name(tx, args.name))
