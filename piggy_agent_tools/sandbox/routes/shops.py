"""Sandbox routes: shops (business profiles), list and get (shops.md)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.shops import KIND, require_shop, shop_view
from piggy_agent_tools.sandbox.envelope import ok

router = APIRouter()


@router.get("/shops")
def list_shops(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok([shop_view(s) for s in tx.all(KIND)], {})


@router.get("/shops/{shop_uuid}")
def get_shop(shop_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(shop_view(require_shop(tx, shop_uuid)), {})
