"""Sandbox routes: hosted portal sessions (portal-sessions.md): a generic create, one create per action, and get.

The prepaid paths conflict (DOCS ``pay-prepaid`` + ``top-up-prepaid``, Postman ``prepaid``): all three are served,
as the reference recommends. The customer's part in the hosted page is ``domain.portal_sessions.complete_session``.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import AliasChoices, BaseModel, Field

from piggy_agent_tools.sandbox.context import Ctx, CtxDep
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.portal_sessions import new_session, require_session, session_view
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import ok

router = APIRouter()


class CreateArgs(BaseModel):
    # Postman's generic create sends ``business_profile_uuid`` (newer naming); DOCS and SDK ``shop_uuid``: both.
    shop_uuid: str = Field(min_length=1, validation_alias=AliasChoices("shop_uuid", "business_profile_uuid"))
    contact_uuid: str | None = None
    scanner_type: Literal["camera", "hand_scanner"] = "camera"
    enable_email_identification: bool = False
    enable_registration: bool = False
    enable_on_screen_keyboard: bool = False
    camera_service: Literal[1, 2, 3] = 3
    facing_mode: Literal["user", "environment"] = "user"
    primary_identification_method: Literal["identifier", "email"] = "identifier"
    amount_in_cents: int | None = Field(None, ge=1)
    unit_value: float | None = Field(None, gt=0)
    allow_multiple_giftcards: bool = True


class RedeemArgs(CreateArgs):
    amount_in_cents: int = Field(ge=1)  # required: the purchase amount to pay with gift cards


def _create(ctx: Ctx, session_type: str, model: type[CreateArgs] = CreateArgs) -> JSONResponse:
    """Validate, store and answer one session. Postman recorded 201 for the generic create; the action variants'
    answers were not recorded and are inferred to be the same."""
    args = ctx.args(model)
    settings: dict[str, Any] = args.model_dump(exclude={"shop_uuid", "contact_uuid"})
    with ctx.write(f"portal_sessions.create_{session_type}") as tx:
        shop = require_shop(tx, args.shop_uuid)
        contact = require_contact(tx, args.contact_uuid) if args.contact_uuid else None
        doc = new_session(tx, session_type, shop, contact, settings)
        return ok(session_view(tx, doc, with_events=True), status=201)


@router.post("/portal-sessions")
def create_generic(ctx: CtxDep) -> JSONResponse:
    return _create(ctx, "generic")


@router.post("/portal-sessions/credit-reception")
def create_credit_reception(ctx: CtxDep) -> JSONResponse:
    return _create(ctx, "credit_reception")


@router.post("/portal-sessions/redeem-giftcards")
def create_redeem_giftcards(ctx: CtxDep) -> JSONResponse:
    return _create(ctx, "redeem_giftcards", RedeemArgs)


@router.post("/portal-sessions/top-up-giftcards")
def create_top_up_giftcards(ctx: CtxDep) -> JSONResponse:
    return _create(ctx, "top_up_giftcards")


@router.post("/portal-sessions/vouchers")
def create_vouchers(ctx: CtxDep) -> JSONResponse:
    return _create(ctx, "vouchers")


@router.post("/portal-sessions/pay-prepaid")
def create_pay_prepaid(ctx: CtxDep) -> JSONResponse:
    return _create(ctx, "pay_prepaid")


@router.post("/portal-sessions/top-up-prepaid")
def create_top_up_prepaid(ctx: CtxDep) -> JSONResponse:
    return _create(ctx, "top_up_prepaid")


@router.post("/portal-sessions/prepaid")
def create_prepaid(ctx: CtxDep) -> JSONResponse:
    # Postman only ("Create Prepaid Portal Session"), probably the older single path; kept beside the DOCS pair.
    return _create(ctx, "prepaid")


@router.get("/portal-sessions/{portal_session_uuid}")
def get_session(portal_session_uuid: str, ctx: CtxDep) -> JSONResponse:
    """The session as recorded (no ``events`` key); an unknown uuid is 1003 (the documented Get error)."""
    with ctx.read() as tx:
        return ok(session_view(tx, require_session(tx, portal_session_uuid), with_events=False))
