"""Contact login: emailed verification codes and contact session tokens (contacts.md §5-§7).

The sandbox cannot send email: codes are stored (kind ``contact_verification_code``) and never returned by the
API; tests read them from the store. Session tokens (kind ``contact_session_token``) are minted by the auth-token
and Contacts Portal auth-url calls and go from ``active`` to ``used``.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

CODE_KIND = "contact_verification_code"
TOKEN_KIND = "contact_session_token"
# Inferred: lifetimes are not documented; 15 minutes for a login code and 1 hour for a session token.
CODE_TTL = timedelta(minutes=15)
TOKEN_TTL = timedelta(hours=1)
PORTAL_URL = "https://portal.sandbox.leat.local/home"


def _later(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).replace(microsecond=0).isoformat()


def _expired(doc: Doc) -> bool:
    return bool(doc.get("expires_at")) and str(doc["expires_at"]) <= now_iso()


def issue_code(tx: Tx, contact: Doc) -> Doc:
    """Store a fresh 6-digit login code for the contact; earlier unused codes stop working."""
    for old in tx.find(CODE_KIND, contact_uuid=contact["uuid"], used=False):
        old["used"] = True
        tx.put(CODE_KIND, old)
    return tx.insert(
        CODE_KIND,
        {
            "contact_uuid": contact["uuid"],
            "email": contact["email"],
            "code": f"{secrets.randbelow(1_000_000):06d}",
            "used": False,
            "created_at": now_iso(),
            "expires_at": _later(CODE_TTL),
        },
    )


def redeem_code(tx: Tx, email: str, code: str) -> str:
    """Use a login code once; returns the contact uuid. Wrong, used or expired codes are 13010 Passcode not found."""
    for doc in tx.find(CODE_KIND, email=email.strip().lower(), code=code.strip(), used=False):
        if not _expired(doc):
            doc["used"] = True
            tx.put(CODE_KIND, doc)
            return str(doc["contact_uuid"])
    raise fail(13010)


def _opaque_token() -> str:
    """An opaque string shaped like the recorded Laravel-encrypted tokens (base64 of ``{iv, value, mac, tag}``)."""
    payload = {
        "iv": base64.b64encode(secrets.token_bytes(16)).decode(),
        "value": base64.b64encode(secrets.token_bytes(48)).decode(),
        "mac": secrets.token_hex(32),
        "tag": "",
    }
    # URL-safe alphabet: the token travels as a path segment and in the portal URL's query.
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def mint_session_token(tx: Tx, contact: Doc) -> Doc:
    """A new active session token for the contact."""
    token = _opaque_token()
    return tx.insert(
        TOKEN_KIND,
        {
            "token": token,
            "contact_uuid": contact["uuid"],
            "status": "active",
            "created_at": now_iso(),
            "expires_at": _later(TOKEN_TTL),
        },
        uuid=secrets.token_hex(16),
    )


def require_session_token(tx: Tx, token: str) -> Doc:
    """The stored token: unknown is 60013 Model not found; expired is 3000 The token is expired (inferred codes)."""
    doc = tx.find_one(TOKEN_KIND, token=token)
    if doc is None:
        raise fail(60013)
    if _expired(doc) and doc.get("status") == "active":
        raise fail(3000)
    return doc


def session_token_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """``{token, contact: {uuid, email}, status}`` (contacts.md §6.1, DOCS shape)."""
    contact = tx.get("contact", str(doc["contact_uuid"])) if doc.get("contact_uuid") else None
    return {
        "token": doc["token"],
        "contact": {"uuid": doc.get("contact_uuid"), "email": contact["email"] if contact else None},
        "status": doc["status"],
    }
