"""Sandbox routes: contact verification by email login code (contacts.md §5), contact session tokens (§6)
and the Contacts Portal authenticated URL (§7).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, EmailStr, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.contact_sessions import (
    PORTAL_URL,
    TOKEN_KIND,
    issue_code,
    mint_session_token,
    redeem_code,
    require_session_token,
    session_token_view,
)
from piggy_agent_tools.sandbox.domain.contacts import find_by_email, require_contact
from piggy_agent_tools.sandbox.envelope import ok
from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import now_iso

router = APIRouter()


class SendArgs(BaseModel):
    email: EmailStr


class VerifyArgs(BaseModel):
    code: str = Field(min_length=1)
    email: EmailStr


class PortalArgs(BaseModel):
    contact_uuid: str = Field(min_length=1)


@router.post("/contact-verification/send")
def send_code(ctx: CtxDep) -> JSONResponse:
    """Store a login code for the contact (the sandbox sends no email); the answer never contains the code."""
    args = ctx.args(SendArgs)
    with ctx.write("contact_verification.send") as tx:
        contact = find_by_email(tx, args.email)
        if contact is None:
            raise fail(55031)
        issue_code(tx, contact)
    message = (
        f"An email containing a link to verify your email has been sent to {contact['email']}. "
        "Please check your spam / junk as well."
    )
    # PM records ``type: "success"`` and meta {}; DOCS print "Success" (contacts.md §5.1): PM is followed.
    return ok({"type": "success", "message": message}, {})


@router.post("/contact-verification/verify")
def verify_code(ctx: CtxDep) -> JSONResponse:
    """Use the emailed code once: the contact's uuid, or 13010 Passcode not found."""
    args = ctx.args(VerifyArgs)
    with ctx.write("contact_verification.verify") as tx:
        contact_uuid = redeem_code(tx, args.email, args.code)
    return ok({"uuid": contact_uuid}, {})


@router.get("/contact-verification/auth-token/{contact_uuid}")
def auth_token(contact_uuid: str, ctx: CtxDep) -> JSONResponse:
    """A fresh opaque auth token for the contact (also usable as a contact session token)."""
    with ctx.write("contact_verification.auth_token", contact_uuid=contact_uuid) as tx:
        token = mint_session_token(tx, require_contact(tx, contact_uuid))
    # DOCS give {auth_token}, PM a bare string; DOCS is the more recent source (contacts.md §5.3).
    return ok({"auth_token": token["token"]})


@router.get("/contact-session-tokens/{contact_session_token}")
def get_session_token(contact_session_token: str, ctx: CtxDep) -> JSONResponse:
    """The token with its contact and status; DOCS shape preferred over PM's bare string (contacts.md §6.1)."""
    with ctx.read() as tx:
        return ok(session_token_view(tx, require_session_token(tx, contact_session_token)))


@router.post("/contact-session-tokens/{contact_session_token}/use")
def use_session_token(contact_session_token: str, ctx: CtxDep) -> JSONResponse:
    """Mark an active token used. Inferred: using it again is 3000 The token is expired."""
    with ctx.write("contact_session_tokens.use") as tx:
        doc = require_session_token(tx, contact_session_token)
        if doc["status"] != "active":
            raise fail(3000)
        doc["status"] = "used"
        doc["used_at"] = now_iso()
        tx.put(TOKEN_KIND, doc)
        return ok(session_token_view(tx, doc), {})


@router.get("/contacts-portal/auth-url")
def portal_auth_url(ctx: CtxDep) -> JSONResponse:
    """A Contacts Portal URL that logs the contact in: its ``token`` is a fresh contact session token."""
    args = ctx.args(PortalArgs)
    with ctx.write("contacts_portal.auth_url", contact_uuid=args.contact_uuid) as tx:
        token = mint_session_token(tx, require_contact(tx, args.contact_uuid))
    return ok({"url": f"{PORTAL_URL}?token={quote(token['token'], safe='')}"}, {})
