"""Contact identifiers (cards, QR codes) as stored (kind ``contact_identifier``) and as Piggy shows them."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "contact_identifier"


def find_identifier(tx: Tx, value: str) -> Doc | None:
    """The identifier with exactly this value (values are unique per account), or None."""
    return tx.find_one(KIND, value=value)


def require_identifier(tx: Tx, value: str, *, active: bool = True) -> Doc:
    """The identifier, or 60003 Contact identifier not found; with ``active``, 60004 when it is inactive."""
    doc = find_identifier(tx, value)
    if doc is None:
        raise fail(60003)
    if active and doc.get("active") is False:
        raise fail(60004)
    return doc


def new_identifier(tx: Tx, value: str, *, name: str | None = None, contact: Doc | None = None) -> Doc:
    """Insert an identifier (60006 when the value exists) and emit ``contact_identifier_created``."""
    if find_identifier(tx, value) is not None:
        raise fail(60006)
    stamp = now_iso()
    doc = tx.insert(
        KIND,
        {
            "value": value,
            "name": name or value,
            "active": True,
            "contact_uuid": None,
            "default": False,
            "created_at": stamp,
            "updated_at": stamp,
        },
    )
    if contact is not None:
        link(tx, doc, contact)
    tx.emit("contact_identifier_created", {"contact_identifier": identifier_view(tx, doc)})
    return doc


def link(tx: Tx, doc: Doc, contact: Doc) -> Doc:
    """Link an unlinked identifier (60014 when linked); the contact's first identifier becomes its default."""
    if doc.get("contact_uuid"):
        raise fail(60014)
    # Inferred (contacts.md §2.13 shows a ``default`` flag but not how it is chosen): the first linked one.
    has_default = any(d.get("default") for d in tx.find(KIND, contact_uuid=contact["uuid"]))
    doc.update(contact_uuid=contact["uuid"], default=not has_default, updated_at=now_iso())
    return tx.put(KIND, doc)


def unlink(tx: Tx, doc: Doc) -> Doc:
    """Unlink a linked identifier; 60011 Contact identifier is not linked to a contact otherwise."""
    if not doc.get("contact_uuid"):
        # Inferred (contact-identifiers.md, Unlink): 60011 exists in the global list but is not tied to this call.
        raise fail(60011)
    doc.update(contact_uuid=None, default=False, updated_at=now_iso())
    return tx.put(KIND, doc)


def identifier_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """``{name, value, active, contact: {uuid, email} | null}`` (contact-identifiers.md, Identifier object)."""
    contact = tx.get("contact", doc["contact_uuid"]) if doc.get("contact_uuid") else None
    return {
        "name": doc.get("name") or doc["value"],
        "value": doc["value"],
        "active": bool(doc.get("active", True)),
        "contact": {"uuid": contact["uuid"], "email": contact["email"]} if contact else None,
    }


def identifier_brief(doc: Doc) -> dict[str, Any]:
    """The identifier as embedded in prepaid transactions: ``{name, value, active}``."""
    return {"name": doc.get("name") or doc["value"], "value": doc["value"], "active": bool(doc.get("active", True))}


def contact_of_identifier(tx: Tx, value: str) -> tuple[Doc, Doc]:
    """(identifier, its contact) for an active identifier used to address a contact (60003, 60004, 60011)."""
    doc = require_identifier(tx, value)
    contact = tx.get("contact", doc["contact_uuid"]) if doc.get("contact_uuid") else None
    if contact is None:
        # Inferred: an unlinked identifier cannot address a contact; 60011 names exactly that.
        raise fail(60011)
    return doc, contact
