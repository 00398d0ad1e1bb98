"""Sandbox routes: loyalty tokens (loyalty-tokens.md): create a token URL, claim a token for a contact."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import AliasChoices, BaseModel, Field, field_validator

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.credits import credit_reception_view
from piggy_agent_tools.sandbox.domain.loyalty_tokens import check_version, claim_token, create_token
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import ok

router = APIRouter()


class TokenArgs(BaseModel):
    version: str = Field(min_length=1)
    # Postman sends ``shop_uuid``; the v3 PHP SDK still sends ``shop_id`` (loyalty-tokens.md): both accepted.
    shop_uuid: str = Field(min_length=1, validation_alias=AliasChoices("shop_uuid", "shop_id"))
    unique_id: str = Field(min_length=1, max_length=255)
    unit_name: str | None = None
    # Kept as sent (text or number): the hash covers its exact text.
    unit_value: str | int | float | None = None
    credits: int | None = Field(None, ge=1)

    @field_validator("unit_value")
    @classmethod
    def _positive(cls, value: str | int | float | None) -> str | int | float | None:
        if value is not None:
            try:
                number = float(value)
            except ValueError as exc:
                raise ValueError("The unit value must be a number.") from exc
            if number <= 0:
                raise ValueError("The unit value must be greater than 0.")
        return value


class ClaimArgs(TokenArgs):
    timestamp: int = Field(ge=0)
    hash: str = Field(min_length=40, max_length=40)
    contact_uuid: str = Field(min_length=1)


def _checked(args: TokenArgs) -> dict[str, Any]:
    data = args.model_dump()
    check_version(args.version, credits=args.credits, unit_name=args.unit_name, unit_value=args.unit_value)
    return data


@router.post("/loyalty-tokens")
def create(ctx: CtxDep) -> JSONResponse:
    """The token URL as a plain string in ``data``, meta ``{}`` as recorded."""
    args = ctx.args(TokenArgs)
    data = _checked(args)
    with ctx.write("loyalty_tokens.create") as tx:
        url = create_token(tx, require_shop(tx, args.shop_uuid), data)
    return ok(url, {})


@router.post("/loyalty-tokens/claim")
def claim(ctx: CtxDep) -> JSONResponse:
    """The credit reception the claim created (meta ``{}`` as recorded)."""
    args = ctx.args(ClaimArgs)
    data = _checked(args)
    with ctx.write("loyalty_tokens.claim") as tx:
        shop = require_shop(tx, args.shop_uuid)
        contact = require_contact(tx, args.contact_uuid)
        reception = claim_token(tx, contact, shop, data)
        return ok(credit_reception_view(tx, reception), {})
