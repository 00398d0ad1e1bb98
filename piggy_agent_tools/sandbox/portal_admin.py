"""Sandbox-only admin route for portal sessions: ``POST /_sandbox/portal-sessions/{uuid}/complete`` plays the
customer's part in the hosted page (which is not part of Piggy's API), moving value through the sandbox's rules.

Mounted with ``register_admin_extension(install_portal_admin)`` in ``app.py``.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from piggy_agent_tools.sandbox.domain.portal_sessions import complete_session, require_session, session_view
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.params import read_params, validate


class CompleteArgs(BaseModel):
    """What the customer does: ``action`` only for a generic session; the rest as the action needs."""

    action: (
        Literal["credit_reception", "redeem_giftcards", "top_up_giftcards", "pay_prepaid", "top_up_prepaid", "prepaid"]
        | None
    ) = None
    contact_uuid: str | None = None
    unit_value: float | None = None
    amount_in_cents: int | None = None
    giftcard_uuids: list[str] | None = None


def install_portal_admin(admin: APIRouter, app: FastAPI) -> None:
    """Admin extension: add the customer-side completion of a portal session."""

    @admin.post("/portal-sessions/{portal_session_uuid}/complete")
    def complete_portal_session(
        portal_session_uuid: str, params: dict[str, Any] = Depends(read_params)
    ) -> JSONResponse:
        """Complete the session once (expired or used ones are refused); answers the session with its events."""
        args = validate(CompleteArgs, params)
        path = f"/_sandbox/portal-sessions/{portal_session_uuid}/complete"
        audit = {"portal_session_uuid": portal_session_uuid, **args.model_dump(exclude_none=True)}
        with app.state.store.tx("portal_sessions.complete", audit, method="POST", path=path) as tx:
            doc = complete_session(tx, require_session(tx, portal_session_uuid), **args.model_dump())
            return ok(session_view(tx, doc, with_events=True))
