"""Referrals (referrals.md): a contact created with another contact's referral code, completed by a rule.

Sandbox rules: every contact's code is its ``referral_code`` or the first 8 characters of its uuid, upper case.
A referral starts ``pending``; when the referred contact meets the programme's completion event it becomes
``completed`` (both incentives are paid, ``referral_completed`` is emitted) or ``failed`` when the referrer has
already reached ``limit_per_contact`` completed referrals.
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.domain.program import require_unit
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.errors import invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "referral"
SETTINGS_KIND = "referral_settings"
SETTINGS_UUID = "referral-settings"
STATUSES = ("pending", "completed", "failed")


def settings(tx: Tx) -> Doc | None:
    """The referral programme, or None when the account has none (the empty seed)."""
    return tx.get(SETTINGS_KIND, SETTINGS_UUID)


def settings_view(doc: Doc) -> dict[str, Any]:
    return {
        k: doc.get(k)
        for k in ("completion_event", "limit_per_contact", "referred_contact_incentive", "referring_contact_incentive")
    }


def referral_code_for(contact: Doc) -> str:
    """The code a contact shares."""
    return str(contact.get("referral_code") or contact["uuid"][:8].upper())


def find_referrer(tx: Tx, code: str) -> Doc | None:
    wanted = code.strip().upper()
    return next((c for c in tx.all("contact") if referral_code_for(c).upper() == wanted), None)


def referral_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """``{uuid, referring_contact: {uuid, email}, referred_contact: {uuid, email}, status}`` as recorded."""

    def part(contact_uuid: str) -> dict[str, Any]:
        contact = tx.get("contact", contact_uuid)
        return {"uuid": contact_uuid, "email": contact["email"] if contact else None}

    return {
        "uuid": doc["uuid"],
        "referring_contact": part(doc["referring_contact_uuid"]),
        "referred_contact": part(doc["referred_contact_uuid"]),
        "status": doc["status"],
    }


def start_referral(tx: Tx, referred: Doc, referral_code: str) -> Doc:
    """Record that ``referred`` signed up with ``referral_code`` (contacts.md §2.2) and check completion at once.

    Inferred: the error for an unknown code is undocumented; 1003 naming ``referral_code``.
    """
    referrer = find_referrer(tx, referral_code)
    if referrer is None or referrer["uuid"] == referred["uuid"]:
        raise invalid({"referral_code": ["The referral code is invalid."]})
    if tx.find_one(KIND, referred_contact_uuid=referred["uuid"]):
        raise invalid({"referral_code": ["This contact has already been referred."]})
    doc = tx.insert(
        KIND,
        {
            "referring_contact_uuid": referrer["uuid"],
            "referred_contact_uuid": referred["uuid"],
            "status": "pending",
            "created_at": now_iso(),
            "completed_at": None,
        },
    )
    check_completion(tx, referred)
    return tx.get(KIND, doc["uuid"]) or doc


def _event_met(program: Doc, contact: Doc) -> bool:
    event = program.get("completion_event") or {}
    kind = event.get("type")
    if kind in ("contact_creation", None):
        return True
    if kind in ("loyalty_transaction", "first_loyalty_transaction"):
        needed = int((event.get("data") or {}).get("number_of_transactions", 1))
        return int(contact.get("transactions", 0)) >= needed
    return False


def check_completion(tx: Tx, contact: Doc) -> Doc | None:
    """Complete the contact's pending referral when the completion event is met.

    Call it after the caller's own writes to ``contact`` (a new transaction); re-read the contact afterwards, as
    the incentive changes its balance.
    """
    referral = tx.find_one(KIND, referred_contact_uuid=contact["uuid"], status="pending")
    program = settings(tx)
    if referral is None or program is None or not _event_met(program, contact):
        return None
    return complete_referral(tx, referral)


def complete_referral(tx: Tx, referral: Doc) -> Doc:
    """Pay both incentives and emit ``referral_completed``; over the referrer's limit the referral fails instead."""
    program = settings(tx) or {}
    limit = program.get("limit_per_contact")
    done = tx.find(KIND, referring_contact_uuid=referral["referring_contact_uuid"], status="completed")
    if limit is not None and len(done) >= int(limit):
        referral["status"] = "failed"
        return tx.put(KIND, referral)
    referral["status"] = "completed"
    referral["completed_at"] = now_iso()
    tx.put(KIND, referral)
    _pay(tx, program.get("referred_contact_incentive"), referral["referred_contact_uuid"])
    _pay(tx, program.get("referring_contact_incentive"), referral["referring_contact_uuid"])
    tx.emit("referral_completed", {"referral": referral_view(tx, referral)})
    return referral


def _pay(tx: Tx, incentive: dict[str, Any] | None, contact_uuid: str) -> None:
    """Give one incentive. ``loyalty_points`` (``loyalty_credit`` in v4 words) become a credit reception at the
    incentive's shop. Voucher and prepaid incentives are not paid by the sandbox yet; ``nothing`` gives nothing."""
    if not incentive or incentive.get("type") not in ("loyalty_points", "loyalty_credit"):
        return
    data = incentive.get("data") or {}
    contact = require_contact(tx, contact_uuid)
    shop = require_shop(tx, (data.get("business_profile") or {}).get("uuid"))
    create_credit_reception(tx, contact, shop, require_unit(tx, None), credits=int(data.get("points", 0)))
