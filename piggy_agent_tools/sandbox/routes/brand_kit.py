"""Sandbox routes: the account's brand kit (brand-kit.md), with the recorded ``quarternary_color`` spelling."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.envelope import ok

router = APIRouter()
KIND = "brand_kit"
FIELDS = (
    "small_logo_url",
    "large_logo_url",
    "primary_color",
    "secondary_color",
    "tertiary_color",
    "quarternary_color",
    "font_family",
)


@router.get("/brand-kit")
def get_brand_kit(ctx: CtxDep) -> JSONResponse:
    """The brand kit; an account without one (the empty seed) answers every field ``null`` (inferred)."""
    with ctx.read() as tx:
        doc = tx.get(KIND, "brand-kit") or {}
    return ok({field: doc.get(field) for field in FIELDS})
