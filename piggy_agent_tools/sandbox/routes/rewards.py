"""Sandbox routes: rewards, reward attributes and collectable rewards (rewards.md)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.rewards import (
    KIND,
    RECEPTION,
    claimable,
    collectable_view,
    require_reward,
    reward_view,
)
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import now_iso

router = APIRouter()

DATA_TYPES = (
    "url",
    "text",
    "date",
    "phone",
    "float",
    "color",
    "email",
    "number",
    "select",
    "boolean",
    "rich_text",
    "date_time",
    "long_text",
    "date_range",
    "time_range",
    "identifier",
    "birth_date",
    "file_upload",
    "media_upload",
    "multi_select",
    "license_plate",
)


class ListArgs(BaseModel):
    shop_uuid: str | None = None
    contact_uuid: str | None = None


class UpdateArgs(BaseModel):
    model_config = ConfigDict(extra="allow")
    title: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = None
    required_credits: int | None = Field(None, ge=0, le=10_000_000)


class AttributeArgs(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1, max_length=255)
    type: Literal[DATA_TYPES]  # type: ignore[valid-type]
    description: str | None = None
    placeholder: str | None = None
    options: list[dict[str, Any]] | None = None


class CollectableArgs(BaseModel):
    contact_uuid: str


@router.get("/rewards")
def list_rewards(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        if args.shop_uuid:
            require_shop(tx, args.shop_uuid)
        rewards = tx.all(KIND)
        if args.contact_uuid:
            contact = require_contact(tx, args.contact_uuid)
            rewards = [r for r in rewards if claimable(tx, contact, r)]
        return ok([reward_view(tx, r) for r in rewards], {})


@router.get("/rewards/{reward_uuid}")
def get_reward(reward_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(reward_view(tx, require_reward(tx, reward_uuid)), {})


@router.put("/rewards/{reward_uuid}")
def update_reward(reward_uuid: str, ctx: CtxDep) -> JSONResponse:
    args = ctx.args(UpdateArgs)
    with ctx.write("rewards.update", reward_uuid=reward_uuid) as tx:
        reward = require_reward(tx, reward_uuid)
        known = {a["name"] for a in tx.all("reward_attribute")}
        # Recorded (leat-openapi.yaml, Update Reward): a name that is no reward attribute ("custom_attribute")
        # is ignored and the update still answers 200.
        extra = {k: v for k, v in (args.model_extra or {}).items() if k in known}
        for field in ("title", "description", "required_credits"):
            value = getattr(args, field)
            if value is not None:
                reward[field] = value
        reward["attributes"] = {**reward.get("attributes", {}), **extra}
        tx.put(KIND, reward)
        view = reward_view(tx, reward)
        tx.emit("reward_updated", {"reward": view})
        return ok(view, {})


def _attribute_view(doc: dict[str, Any], *, as_bool: bool) -> dict[str, Any]:
    """camelCase keys as Piggy answers; the list uses 0/1 and create booleans (rewards.md)."""
    flag: Any = bool if as_bool else int
    return {
        "name": doc["name"],
        "label": doc["label"],
        "placeholder": doc.get("placeholder"),
        "description": doc.get("description"),
        "type": doc["type"],
        "fieldType": doc["type"],
        "options": doc.get("options") or [],
        "isPiggyDefined": flag(False),
        "isSoftReadOnly": flag(False),
        "isHardReadOnly": flag(False),
    }


@router.get("/reward-attributes")
def list_reward_attributes(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok([_attribute_view(a, as_bool=False) for a in tx.all("reward_attribute")], {})


@router.post("/reward-attributes")
def create_reward_attribute(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(AttributeArgs)
    if args.type in ("select", "multi_select") and not args.options:
        raise invalid({"options": ["The options field is required for select attributes."]})
    with ctx.write("reward_attributes.create") as tx:
        if tx.find_one("reward_attribute", name=args.name):
            raise fail(60009)
        doc = tx.insert("reward_attribute", args.model_dump())
        return ok(_attribute_view(doc, as_bool=True), {})


@router.get("/collectable-rewards")
def list_collectable(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(CollectableArgs)
    with ctx.read() as tx:
        require_contact(tx, args.contact_uuid)
        waiting = [
            r
            for r in tx.find(RECEPTION, contact_uuid=args.contact_uuid, type="reward_reception")
            if not r.get("reversed") and not r.get("has_been_collected")
        ]
        return ok([collectable_view(tx, r) for r in waiting], {})


def _collectable(tx: Any, uuid: str) -> dict[str, Any]:
    reception = tx.get(RECEPTION, uuid)
    if reception is None or reception.get("type") != "reward_reception" or reception.get("reversed"):
        raise fail(6003)
    return dict(reception)


@router.put("/collectable-rewards/collect/{loyalty_transaction_uuid}")
def collect(loyalty_transaction_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.write("collectable_rewards.collect", uuid=loyalty_transaction_uuid) as tx:
        reception = _collectable(tx, loyalty_transaction_uuid)
        if reception.get("expires_at") and reception["expires_at"] < now_iso():
            raise fail(80300, "Reward is expired.")
        if reception.get("has_been_collected"):
            raise invalid({"loyalty_transaction_uuid": ["This reward has already been collected."]})
        reception["has_been_collected"] = True
        tx.put(RECEPTION, reception)
        # Inferred compromise (rewards.md): the full collectable object plus DOCS' status.
        return ok(collectable_view(tx, reception, "COLLECTED"), {})


@router.post("/collectable-rewards/{collectable_reward_redemption_uuid}/reverse")
def reverse_collect(collectable_reward_redemption_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.write("collectable_rewards.reverse", uuid=collectable_reward_redemption_uuid) as tx:
        reception = _collectable(tx, collectable_reward_redemption_uuid)
        if not reception.get("has_been_collected"):
            raise invalid({"collectable_reward_redemption_uuid": ["This reward has not been collected."]})
        reception["has_been_collected"] = False
        tx.put(RECEPTION, reception)
        return ok(collectable_view(tx, reception, "REVERSED"), {})
