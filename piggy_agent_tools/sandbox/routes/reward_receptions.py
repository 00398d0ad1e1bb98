"""Sandbox routes: claiming rewards with credits, and reversing a claim (reward-receptions.md)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.credits import credit_reception_view
from piggy_agent_tools.sandbox.domain.rewards import RECEPTION, claim, require_reward, reverse, reward_reception_view
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.errors import fail

router = APIRouter()


class ClaimArgs(BaseModel):
    contact_uuid: str
    reward_uuid: str
    shop_uuid: str
    contact_identifier_value: str | None = None


@router.post("/reward-receptions")
def create_reward_reception(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ClaimArgs)
    with ctx.write("reward_receptions.create") as tx:
        contact = require_contact(tx, args.contact_uuid)
        shop = require_shop(tx, args.shop_uuid)
        reward = require_reward(tx, args.reward_uuid)
        identifier = None
        if args.contact_identifier_value:
            found = tx.find_one("contact_identifier", value=args.contact_identifier_value)
            if found is None:
                raise fail(60003)
            identifier = {"name": found.get("name"), "value": found["value"], "active": found.get("active", True)}
        reception = claim(tx, contact, shop, reward, identifier=identifier)
        return ok(reward_reception_view(tx, reception), {})


@router.post("/reward-receptions/{reward_reception_uuid}/reverse")
def reverse_reward_reception(reward_reception_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.write("reward_receptions.reverse", reward_reception_uuid=reward_reception_uuid) as tx:
        reception = tx.get(RECEPTION, reward_reception_uuid)
        if reception is None:
            # Inferred: the reference lists only 1003 for reverse; an unknown uuid is invalid input.
            raise fail(1003, errors={"reward_reception_uuid": ["The reward reception was not found."]})
        refund = reverse(tx, reception)
        return ok(credit_reception_view(tx, refund), {})
