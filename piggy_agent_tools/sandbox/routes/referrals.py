"""Sandbox routes: referrals and the referral programme settings (referrals.md)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.referrals import KIND, referral_view, settings, settings_view
from piggy_agent_tools.sandbox.envelope import ok, slice_page

router = APIRouter()


class ListArgs(BaseModel):
    referring_contact_uuid: str | None = None
    status: Literal["pending", "completed", "failed"] | None = None
    page: int = Field(1, ge=1)
    limit: int = Field(30, ge=1, le=100)


@router.get("/referrals/settings")
def referral_settings(ctx: CtxDep) -> JSONResponse:
    """The programme; an account without one answers every field ``null`` (inferred)."""
    with ctx.read() as tx:
        doc = settings(tx) or {}
    return ok(settings_view(doc), {})


@router.get("/referrals")
def list_referrals(ctx: CtxDep) -> JSONResponse:
    """One page of referrals. Inferred (referrals.md): the pagination meta is unknown; recorded ``meta: []``."""
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        docs = tx.all(KIND)
        if args.referring_contact_uuid:
            docs = [d for d in docs if d["referring_contact_uuid"] == args.referring_contact_uuid]
        if args.status:
            docs = [d for d in docs if d["status"] == args.status]
        page, _, _ = slice_page(docs, args.page, args.limit)
        return ok([referral_view(tx, d) for d in page])
