"""Promotions (kind ``promotion``) and promotion attribute definitions, as stored and as Piggy shows them.

Promotion attributes are the generic custom attributes of entity ``promotion`` (custom-attributes.md says both APIs
cover the same data), so they are stored once, as ``custom_attribute`` documents.
"""

from __future__ import annotations

import re
from typing import Any

from piggy_agent_tools.sandbox.domain import custom_attributes
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "promotion"
ATTRIBUTE_ENTITY = "promotion"
# Inferred (promotions-vouchers.md: only SINGLE_USE is documented, "multi-use exists"): the other value.
TYPES = ("SINGLE_USE", "MULTI_USE")
_SELECTS = ("select", "multi_select")
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")  # the custom-attribute name rule
_NAME_RULE = "The name may only contain letters, numbers and underscores, starting with a letter."


def require_promotion(tx: Tx, promotion_uuid: Any) -> Doc:
    """The stored promotion, or 80002 Promotion not found."""
    doc = tx.get(KIND, str(promotion_uuid)) if promotion_uuid else None
    if doc is None:
        raise fail(80002)
    return doc


def attribute_docs(tx: Tx) -> list[Doc]:
    """Promotion attribute definitions in creation order."""
    return tx.find(custom_attributes.KIND, entity=ATTRIBUTE_ENTITY)


def attribute_values(tx: Tx, promotion: Doc) -> dict[str, Any]:
    """Every promotion attribute name with this promotion's value (null when unset), as recorded."""
    values = promotion.get("attributes") or {}
    return {d["name"]: values.get(d["name"]) for d in attribute_docs(tx)}


def new_promotion(
    tx: Tx,
    *,
    name: str,
    description: str,
    voucher_limit: int | None = None,
    limit_per_contact: int | None = None,
    expiration_duration: int | None = None,
    type: str | None = None,
    redemptions_per_voucher: int | None = None,
    attributes: dict[str, Any] | None = None,
    uuid: str | None = None,
    active: bool = True,
    valid_until: str | None = None,
    created_at: str | None = None,
) -> Doc:
    """Insert a promotion. ``active`` and ``valid_until`` are sandbox-only rule data (never shown): an inactive
    promotion's vouchers cannot be redeemed (80020); vouchers never outlive ``valid_until``."""
    per_voucher = redemptions_per_voucher or 1
    return tx.insert(
        KIND,
        {
            "name": name,
            "description": description,
            "voucher_limit": voucher_limit,
            "limit_per_contact": limit_per_contact,
            "expiration_duration": expiration_duration,
            "type": type or ("SINGLE_USE" if per_voucher == 1 else "MULTI_USE"),
            "redemptions_per_voucher": per_voucher,
            "attributes": dict(attributes or {}),
            "active": active,
            "valid_until": valid_until,
            "created_at": created_at or now_iso(),
        },
        uuid=uuid,
    )


def promotion_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Promotion object, keys in the recorded order; ``type`` and ``redemptions_per_voucher`` as the SDK needs."""
    return {
        "attributes": attribute_values(tx, doc),
        "name": doc["name"],
        "description": doc.get("description"),
        "voucher_limit": doc.get("voucher_limit"),
        "limit_per_contact": doc.get("limit_per_contact"),
        "expiration_duration": doc.get("expiration_duration"),
        "type": doc.get("type"),
        "redemptions_per_voucher": doc.get("redemptions_per_voucher", 1),
        "uuid": doc["uuid"],
    }


def promotion_embedded(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The promotion inside a voucher: no ``attributes`` object, its values flattened as top-level keys."""
    base = {
        "uuid": doc["uuid"],
        "name": doc["name"],
        "description": doc.get("description"),
        "voucher_limit": doc.get("voucher_limit"),
        "limit_per_contact": doc.get("limit_per_contact"),
        "expiration_duration": doc.get("expiration_duration"),
    }
    extra = {k: v for k, v in attribute_values(tx, doc).items() if k not in base}
    return base | extra


def promotion_attribute_view(doc: Doc) -> dict[str, Any]:
    """The Promotion Attribute object as recorded: ``{name, label, description, placeholder, type, options, id}``."""
    return {
        "name": doc["name"],
        "label": doc.get("label"),
        "description": doc.get("description") or "",
        "placeholder": doc.get("placeholder") or "",
        "type": doc.get("type"),
        "options": custom_attributes.options_view(doc.get("options")),
        "id": doc["id"],
    }


def require_attribute(tx: Tx, attribute_id: int) -> Doc:
    """The promotion attribute with this numeric id, or 60013 Model not found (inferred: undocumented)."""
    found = [d for d in attribute_docs(tx) if d["id"] == attribute_id]
    if not found:
        raise fail(60013)
    return found[0]


def create_attribute(
    tx: Tx,
    *,
    name: str,
    label: str,
    type: str,
    description: str | None,
    placeholder: str | None,
    options: list[dict[str, Any]] | None,
) -> Doc:
    """Store a promotion attribute (the custom-attribute rules: 1003 bad name/type, 60009 name taken)."""
    doc = custom_attributes.create_attribute(
        tx,
        entity=ATTRIBUTE_ENTITY,
        name=name,
        label=label,
        type=type,
        options=options,
        description=description,
        group_name=None,
    )
    doc["placeholder"] = placeholder
    return tx.put(custom_attributes.KIND, doc)


def update_attribute(tx: Tx, doc: Doc, changes: dict[str, Any]) -> Doc:
    """Apply the given fields; a rename carries every promotion's value along to the new name."""
    new_type = changes.get("type") or doc.get("type")
    if changes.get("type") is not None and changes["type"] not in custom_attributes.DATA_TYPES:
        raise invalid({"type": ["The selected type is invalid."]})
    options = changes.get("options")
    if options is not None and new_type not in _SELECTS:
        raise invalid({"options": ["Options can only be set on select attributes."]})
    if new_type in _SELECTS and not (options if options is not None else doc.get("options")):
        raise invalid({"options": ["The options field is required for select attributes."]})
    old_name, new_name = doc["name"], changes.get("name")
    if new_name is not None and new_name != old_name:
        if any(d["name"] == new_name for d in attribute_docs(tx)):
            raise fail(60009)
        if not _NAME_RE.match(new_name):
            raise invalid({"name": [_NAME_RULE]})
        for promotion in tx.all(KIND):
            values = promotion.get("attributes") or {}
            if old_name in values:
                values[new_name] = values.pop(old_name)
                tx.put(KIND, promotion)
        doc["name"] = new_name
    for key in ("label", "description", "placeholder", "type"):
        if changes.get(key) is not None:
            doc[key] = changes[key]
    if options is not None:
        doc["options"] = [{"label": str(o.get("label", "")), "value": str(o.get("value", ""))} for o in options]
    if new_type not in _SELECTS:
        doc["options"] = []
    return tx.put(custom_attributes.KIND, doc)
