"""Sandbox routes: generic custom attributes and custom attribute groups (custom-attributes.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.custom_attributes import (
    GROUP_KIND,
    attribute_view,
    check_entity,
    create_attribute,
    create_group,
    group_view,
    list_attributes,
    update_attribute,
)
from piggy_agent_tools.sandbox.envelope import ok, ok_without_meta

router = APIRouter()


class EntityArgs(BaseModel):
    entity: str | None = None


class Option(BaseModel):
    label: str = Field(min_length=1)
    value: Any


class CreateArgs(BaseModel):
    entity: str | None = None
    name: str = Field(min_length=1)
    label: str = Field(min_length=1)
    type: str = Field(min_length=1)
    options: list[Option] | None = None
    description: str | None = None
    group_name: str | None = None


class UpdateArgs(BaseModel):
    entity: str | None = None
    label: str | None = Field(None, min_length=1)
    options: list[Option] | None = None
    description: str | None = None
    group_name: str | None = None


class GroupArgs(BaseModel):
    entity: str | None = None
    name: str = Field(min_length=1)
    label: str | None = None


@router.get("/custom-attributes")
def list_custom_attributes(ctx: CtxDep) -> JSONResponse:
    """The entity's attributes as ``{"data": [...]}``: PM and DOCS both answer without ``meta`` (custom-attributes.md,
    List)."""
    entity = check_entity(ctx.args(EntityArgs).entity)
    with ctx.read() as tx:
        return ok_without_meta(list_attributes(tx, entity))


@router.post("/custom-attributes")
def create_custom_attribute(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(CreateArgs)
    entity = check_entity(args.entity)
    with ctx.write("custom_attributes.create") as tx:
        doc = create_attribute(
            tx,
            entity=entity,
            name=args.name,
            label=args.label,
            type=args.type,
            options=[o.model_dump() for o in args.options] if args.options is not None else None,
            description=args.description,
            group_name=args.group_name or None,
        )
        return ok(attribute_view(tx, doc), status=201)


@router.put("/custom-attributes/{custom_attribute_name}")
def update_custom_attribute(custom_attribute_name: str, ctx: CtxDep) -> JSONResponse:
    """Update by name; the response status is not recorded, 200 like other updates (inferred)."""
    args = ctx.args(UpdateArgs)
    entity = check_entity(args.entity)
    with ctx.write("custom_attributes.update", custom_attribute_name=custom_attribute_name) as tx:
        view = update_attribute(
            tx,
            entity,
            custom_attribute_name,
            label=args.label,
            options=[o.model_dump() for o in args.options] if args.options is not None else None,
            description=args.description,
            group_name=args.group_name or None,
        )
        return ok(view)


@router.get("/custom-attribute-groups")
def list_groups(ctx: CtxDep) -> JSONResponse:
    entity = check_entity(ctx.args(EntityArgs).entity)
    with ctx.read() as tx:
        return ok([group_view(d) for d in tx.find(GROUP_KIND, entity=entity)])


@router.post("/custom-attribute-groups")
def create_custom_attribute_group(ctx: CtxDep) -> JSONResponse:
    # Postman's recorded body for this call is a copy of an attribute; the group object of the DOCS is used.
    args = ctx.args(GroupArgs)
    entity = check_entity(args.entity)
    with ctx.write("custom_attribute_groups.create") as tx:
        return ok(group_view(create_group(tx, entity, args.name, args.label)), status=201)
