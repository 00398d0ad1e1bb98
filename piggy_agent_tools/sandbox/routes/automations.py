"""Sandbox routes: automations, list and run for a contact (automations.md). Runs are stored, not executed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.automations import KIND, automation_view, start_run
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.envelope import ok

router = APIRouter()


class RunArgs(BaseModel):
    contact_uuid: str = Field(min_length=1)
    automation_uuid: str = Field(min_length=1)
    data: Any = None


@router.get("/automations")
def list_automations(ctx: CtxDep) -> JSONResponse:
    """Every automation, unpaginated (``meta: []``)."""
    with ctx.read() as tx:
        return ok([automation_view(d) for d in tx.all(KIND)])


@router.post("/automations/runs")
def run(ctx: CtxDep) -> JSONResponse:
    """Start a run for one contact: 55031 unknown contact, 60013 unknown automation, 1003 not runnable."""
    args = ctx.args(RunArgs)
    with ctx.write("automations.run") as tx:
        start_run(tx, require_contact(tx, args.contact_uuid), args.automation_uuid, args.data)
    # As recorded by PM: ``{"data": [], "meta": {}}``.
    return ok([], {})
