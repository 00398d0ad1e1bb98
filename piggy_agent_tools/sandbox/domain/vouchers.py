"""Voucher rules: creation limits, the derived status, redeem / multi-redeem / reverse, and locks.

A voucher (kind ``voucher``) stores its own state (``ACTIVE`` or ``DEACTIVATED``), ``times_redeemed`` and an
optional ``lock``; the shown status (REDEEMED, EXPIRED, LOCKED, INACTIVE) is derived from those and the clock.
Each use is a ``voucher_redemption`` document, which is what reverse takes.
"""

from __future__ import annotations

import secrets
import string
from datetime import UTC, datetime, timedelta
from typing import Any

from piggy_agent_tools.sandbox.domain import custom_attributes
from piggy_agent_tools.sandbox.domain.commerce_time import normalise_time
from piggy_agent_tools.sandbox.domain.contacts import KIND as CONTACT_KIND
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.promotions import (
    attribute_docs,
    attribute_values,
    promotion_embedded,
    require_promotion,
)
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, new_uuid, now_iso

KIND = "voucher"
REDEMPTION_KIND = "voucher_redemption"
BATCH_KIND = "voucher_batch"
STATUSES = ("ACTIVE", "REDEEMED", "EXPIRED", "DEACTIVATED", "INACTIVE", "LOCKED")
LOCK_DURATION = timedelta(hours=1)  # promotions-vouchers.md Lock: "auto-released by the system after one hour"
_CODE_ALPHABET = string.ascii_uppercase + string.digits


def utc_time(field: str, value: str | None) -> str | None:
    """An input date as stored: ISO 8601 in UTC (voucher dates are stored in UTC, README §9); 1003 if invalid."""
    text = normalise_time(field, value)
    if text is None:
        return None
    return datetime.fromisoformat(text).astimezone(UTC).isoformat()


def _later(seconds: float | timedelta) -> str:
    delta = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
    return (datetime.now(UTC).replace(microsecond=0) + delta).isoformat()


def require_voucher(tx: Tx, voucher_uuid: Any) -> Doc:
    """The stored voucher, or 80004 Voucher not found."""
    doc = tx.get(KIND, str(voucher_uuid)) if voucher_uuid else None
    if doc is None:
        raise fail(80004)
    return doc


def require_code(tx: Tx, code: str) -> Doc:
    """The voucher with this code, or 80004 Voucher not found."""
    doc = tx.find_one(KIND, code=code)
    if doc is None:
        raise fail(80004)
    return doc


def remaining(doc: Doc) -> int:
    return max(0, int(doc.get("total_redemptions_allowed", 1)) - int(doc.get("times_redeemed", 0)))


def lock_active(doc: Doc, now: str | None = None) -> bool:
    """A lock holds until released, or until the system releases it one hour after locking."""
    lock = doc.get("lock")
    return bool(lock and lock.get("unlocked_at") is None and lock["system_release_at"] > (now or now_iso()))


def status_of(doc: Doc, now: str | None = None) -> str:
    """The shown status: DEACTIVATED, then REDEEMED (no uses left), EXPIRED, LOCKED, INACTIVE (not yet active)."""
    moment = now or now_iso()
    if doc.get("state") == "DEACTIVATED":
        return "DEACTIVATED"
    if remaining(doc) == 0:
        return "REDEEMED"
    if doc.get("expiration_date") and doc["expiration_date"] <= moment:
        return "EXPIRED"
    if lock_active(doc, moment):
        return "LOCKED"
    if doc.get("activation_date") and doc["activation_date"] > moment:
        return "INACTIVE"
    return "ACTIVE"


def voucher_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Voucher object (the refreshed DOCS fields, keys in the recorded order)."""
    promotion = require_promotion(tx, doc["promotion_uuid"])
    contact = tx.get(CONTACT_KIND, doc["contact_uuid"]) if doc.get("contact_uuid") else None
    attributes = attribute_values(tx, promotion) | dict(doc.get("custom_attributes") or {})
    return {
        "uuid": doc["uuid"],
        "code": doc["code"],
        "status": status_of(doc),
        "name": promotion["name"],
        "description": promotion.get("description"),
        "expiration_date": doc.get("expiration_date"),
        "activation_date": doc.get("activation_date"),
        "redeemed_at": doc.get("redeemed_at"),
        # Inferred: a multi-use voucher with uses left is not "redeemed" (it still shows ACTIVE).
        "is_redeemed": remaining(doc) == 0,
        "redemptions_remaining": remaining(doc),
        "times_redeemed": int(doc.get("times_redeemed", 0)),
        "total_redemptions_allowed": int(doc.get("total_redemptions_allowed", 1)),
        "attributes": attributes,
        "contact": {"uuid": contact["uuid"], "email": contact["email"]} if contact else None,
        "promotion": promotion_embedded(tx, promotion),
    }


def check_custom_attributes(tx: Tx, values: dict[str, Any] | None) -> dict[str, Any]:
    """Only promotion or voucher attribute names may be set (inferred: unknown names are 1003)."""
    if not values:
        return {}
    known = {d["name"] for d in attribute_docs(tx)}
    known |= {d["name"] for d in tx.find(custom_attributes.KIND, entity="voucher")}
    unknown = sorted(set(values) - known)
    if unknown:
        raise invalid({f"custom_attributes.{name}": [f"The attribute {name} does not exist."] for name in unknown})
    return dict(values)


def _generated_code(tx: Tx) -> str:
    """A 9-character code like the recorded ``VTESCW2CT``, unique in the account."""
    while True:
        code = "V" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        if tx.find_one(KIND, code=code) is None:
            return code


def check_limits(tx: Tx, promotion: Doc, contact_uuid: str | None, quantity: int) -> None:
    """80008 when ``quantity`` more vouchers would pass the promotion's voucher limit or its limit per contact
    (inferred: the per-contact limit has no code of its own, so it shares 80008)."""
    limit = promotion.get("voucher_limit")
    if limit is not None and len(tx.find(KIND, promotion_uuid=promotion["uuid"])) + quantity > limit:
        raise fail(80008)
    per_contact = promotion.get("limit_per_contact")
    if contact_uuid and per_contact is not None:
        held = tx.find(KIND, promotion_uuid=promotion["uuid"], contact_uuid=contact_uuid)
        if len(held) + quantity > per_contact:
            raise fail(80008)


def new_voucher(
    tx: Tx,
    promotion: Doc,
    *,
    code: str | None = None,
    contact_uuid: str | None = None,
    activation_date: str | None = None,
    expiration_date: str | None = None,
    total_redemptions_allowed: int | None = None,
    custom_attributes: dict[str, Any] | None = None,
    uuid: str | None = None,
    created_at: str | None = None,
    emit: bool = True,
) -> Doc:
    """Insert a voucher with the promotion's defaults: active now, valid ``expiration_duration`` seconds but never
    past the promotion's end, used at most ``redemptions_per_voucher`` times. 80003 when the code is taken."""
    if code is not None and tx.find_one(KIND, code=code) is not None:
        raise fail(80003)
    stamp = created_at or now_iso()
    activation = activation_date or stamp
    expiration = expiration_date
    if expiration is None and promotion.get("expiration_duration"):
        start = datetime.fromisoformat(activation)
        expiration = (start + timedelta(seconds=int(promotion["expiration_duration"]))).isoformat()
    end = promotion.get("valid_until")
    if end and (expiration is None or expiration > end):
        expiration = end
    doc = tx.insert(
        KIND,
        {
            "code": code or _generated_code(tx),
            "promotion_uuid": promotion["uuid"],
            "contact_uuid": contact_uuid,
            "state": "ACTIVE",
            "activation_date": activation,
            "expiration_date": expiration,
            "total_redemptions_allowed": total_redemptions_allowed or promotion.get("redemptions_per_voucher") or 1,
            "times_redeemed": 0,
            "redeemed_at": None,
            "custom_attributes": dict(custom_attributes or {}),
            "lock": None,
            "created_at": stamp,
        },
        uuid=uuid,
    )
    if emit:
        tx.emit("voucher_created", {"voucher": voucher_view(tx, doc)})
    return doc


def check_redeemable(
    tx: Tx,
    doc: Doc,
    *,
    contact_uuid: str | None,
    shop_uuid: str | None,
    release_key: str | None,
    times: int = 1,
) -> None:
    """Every rule a redemption must pass, in Piggy's order of meaning; raises the first failure, writes nothing."""
    now = now_iso()
    if doc.get("state") == "DEACTIVATED":
        raise fail(80012)
    if remaining(doc) == 0:
        raise fail(80005)
    if doc.get("expiration_date") and doc["expiration_date"] <= now:
        raise fail(80006)
    if doc.get("activation_date") and doc["activation_date"] > now:
        raise fail(80014)
    if not require_promotion(tx, doc["promotion_uuid"]).get("active", True):
        raise fail(80020)
    if lock_active(doc, now) and release_key != doc["lock"]["release_key"]:
        raise fail(80017)
    if times > remaining(doc):
        raise fail(80019)
    owner = doc.get("contact_uuid")
    if owner is None and not contact_uuid:
        raise invalid({"contact_uuid": ["The contact uuid field is required when the voucher has no contact."]})
    if contact_uuid:
        require_contact(tx, contact_uuid)
        if owner is not None and contact_uuid != owner:
            # Inferred (Redeem: contact_uuid is "otherwise optional identity check"): a mismatch is refused.
            raise invalid({"contact_uuid": ["The voucher does not belong to this contact."]})
    if shop_uuid:
        require_shop(tx, shop_uuid)


def redeem(
    tx: Tx,
    doc: Doc,
    *,
    contact_uuid: str | None,
    shop_uuid: str | None,
    release_key: str | None,
    times: int = 1,
) -> list[Doc]:
    """Use the voucher ``times`` times (all or nothing); a lock released by its key is freed. Emits
    ``voucher_redeemed``; returns the new redemption documents."""
    check_redeemable(tx, doc, contact_uuid=contact_uuid, shop_uuid=shop_uuid, release_key=release_key, times=times)
    stamp = now_iso()
    redemptions = [
        tx.insert(
            REDEMPTION_KIND,
            {
                "voucher_uuid": doc["uuid"],
                "contact_uuid": contact_uuid or doc.get("contact_uuid"),
                "shop_uuid": shop_uuid,
                "created_at": stamp,
                "reversed_at": None,
            },
        )
        for _ in range(times)
    ]
    doc["times_redeemed"] = int(doc.get("times_redeemed", 0)) + times
    doc["redeemed_at"] = stamp
    if lock_active(doc, stamp):
        doc["lock"]["unlocked_at"] = stamp
        doc["lock"]["system_release_at"] = None
    tx.put(KIND, doc)
    tx.emit("voucher_redeemed", {"voucher": voucher_view(tx, doc)})
    return redemptions


def redemption_view(doc: Doc) -> dict[str, Any]:
    return {"uuid": doc["uuid"], "created_at": doc["created_at"]}


def reverse(tx: Tx, redemption_uuid: str) -> Doc:
    """Undo one redemption: the voucher gets that use back. 80004 for an unknown redemption; reversing twice is
    1003 (inferred: undocumented). Emits ``voucher_updated``; returns the voucher."""
    redemption = tx.get(REDEMPTION_KIND, redemption_uuid)
    if redemption is None:
        raise fail(80004)
    if redemption.get("reversed_at"):
        raise invalid({"voucher_redemption_uuid": ["The voucher redemption has already been reversed."]})
    redemption["reversed_at"] = now_iso()
    tx.put(REDEMPTION_KIND, redemption)
    doc = require_voucher(tx, redemption["voucher_uuid"])
    doc["times_redeemed"] = max(0, int(doc.get("times_redeemed", 0)) - 1)
    left = [r for r in tx.find(REDEMPTION_KIND, voucher_uuid=doc["uuid"]) if not r.get("reversed_at")]
    doc["redeemed_at"] = max((r["created_at"] for r in left), default=None)
    tx.put(KIND, doc)
    tx.emit("voucher_updated", {"voucher": voucher_view(tx, doc)})
    return doc


def lock(tx: Tx, doc: Doc) -> Doc:
    """Lock against concurrent use (80012 deactivated, 80005 redeemed, 80006 expired, 80017 already locked)."""
    now = now_iso()
    if doc.get("state") == "DEACTIVATED":
        raise fail(80012)
    if remaining(doc) == 0:
        raise fail(80005)
    if doc.get("expiration_date") and doc["expiration_date"] <= now:
        raise fail(80006)
    if lock_active(doc, now):
        raise fail(80017)
    doc["lock"] = {
        "release_key": new_uuid(),
        "locked_at": now,
        "unlocked_at": None,
        "system_release_at": _later(LOCK_DURATION),
    }
    tx.put(KIND, doc)
    tx.emit("voucher_updated", {"voucher": voucher_view(tx, doc)})
    return doc


def release(tx: Tx, doc: Doc, release_key: str) -> Doc:
    """Free a lock with its key (80006 expired, 80005 redeemed; a voucher that is not locked, or a wrong key, is
    1003: inferred, undocumented)."""
    now = now_iso()
    if remaining(doc) == 0:
        raise fail(80005)
    if doc.get("expiration_date") and doc["expiration_date"] <= now:
        raise fail(80006)
    if not lock_active(doc, now):
        raise invalid({"release_key": ["The voucher is not locked."]})
    if release_key != doc["lock"]["release_key"]:
        raise invalid({"release_key": ["The release key is invalid."]})
    doc["lock"]["unlocked_at"] = now
    doc["lock"]["system_release_at"] = None
    tx.put(KIND, doc)
    tx.emit("voucher_updated", {"voucher": voucher_view(tx, doc)})
    return doc


def lock_view(doc: Doc) -> dict[str, Any]:
    """The Lock / Release answer: ``{voucher: {uuid, status}, lock: {...}}``."""
    lock_doc = doc["lock"]
    return {
        "voucher": {"uuid": doc["uuid"], "status": status_of(doc)},
        "lock": {k: lock_doc.get(k) for k in ("release_key", "locked_at", "unlocked_at", "system_release_at")},
    }


def update(
    tx: Tx,
    doc: Doc,
    *,
    status: str | None,
    custom_attributes: dict[str, Any] | None,
    expiration_date: str | None,
) -> Doc:
    """Change state, attribute values or expiration date; emits ``voucher_updated``.

    Inferred (Update is silent on these): a fully redeemed voucher cannot change status (80005), and the
    expiration date can only move on an active or inactive voucher (1003), as DOCS describe that field.
    """
    shown = status_of(doc)
    if status is not None and status != doc.get("state"):
        if shown == "REDEEMED":
            raise fail(80005)
        doc["state"] = status
    if expiration_date is not None:
        if shown not in ("ACTIVE", "INACTIVE"):
            raise invalid({"expiration_date": ["The expiration date can only be changed on an active voucher."]})
        doc["expiration_date"] = expiration_date
    if custom_attributes:
        doc["custom_attributes"] = dict(doc.get("custom_attributes") or {}) | custom_attributes
    tx.put(KIND, doc)
    tx.emit("voucher_updated", {"voucher": voucher_view(tx, doc)})
    return doc
