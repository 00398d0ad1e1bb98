"""Sandbox routes: forms (forms.md). Read-only: forms are made in the dashboard, here by the seed."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.store import Doc

router = APIRouter()
KIND = "form"
FORMS_URL = "https://bean-there.piggy.eu/forms/"


class ListArgs(BaseModel):
    status: Literal["PUBLISHED", "DRAFT", "BIN"] | None = None
    type: Literal["PUBLIC", "PRIVATE"] | None = None


def form_view(doc: Doc) -> dict[str, Any]:
    """``{uuid, name, status, type, url}`` as recorded."""
    return {
        "uuid": doc["uuid"],
        "name": doc["name"],
        "status": doc["status"],
        "type": doc["type"],
        "url": FORMS_URL + doc["uuid"],
    }


@router.get("/forms")
def list_forms(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        docs = tx.all(KIND)
    docs = [d for d in docs if args.status in (None, d["status"]) and args.type in (None, d["type"])]
    return ok([form_view(d) for d in docs])
