"""Generic custom attributes and groups for any entity (custom-attributes.md), stored as ``custom_attribute`` and
``custom_attribute_group`` documents. Contact ones also show up as contact attributes (contact_attributes.py).
"""

from __future__ import annotations

import re
from typing import Any

from piggy_agent_tools.sandbox.domain import contact_attributes
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "custom_attribute"
GROUP_KIND = "custom_attribute_group"
ENTITIES = (
    "business_profiles",
    "contact",
    "reward",
    "promotion",
    "voucher",
    "giftcard",
    "giftcard_transaction",
    "prepaid",
    "booking",
    "visit",
    "shift",
)
DATA_TYPES = contact_attributes.DATA_TYPES
_SELECTS = ("select", "multi_select")
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
# As recorded (Create Custom Attributes): an attribute without a group is shown in the entity's "General" group.
_DEFAULT_GROUP = {"id": 141, "name": "General", "created_by_user": None, "position": 1}


def check_entity(entity: str | None) -> str:
    """The entity, or 1003 naming ``entity`` (it is required on every call)."""
    if not entity:
        raise invalid({"entity": ["The entity field is required."]})
    if entity not in ENTITIES:
        raise invalid({"entity": ["The selected entity is invalid."]})
    return entity


def options_view(options: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Options as Piggy shows them: the value always a string, plus ``description`` and ``media``."""
    return [
        {"value": str(o.get("value")), "label": o.get("label"), "description": o.get("description"), "media": None}
        for o in options or []
    ]


def _clean_options(options: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [{"label": str(o.get("label", "")), "value": str(o.get("value", ""))} for o in options or []]


def require_group(tx: Tx, entity: str, group_name: str) -> Doc:
    """The entity's group of that name, or 1003 (inferred: the error for an unknown group is undocumented)."""
    group = tx.find_one(GROUP_KIND, entity=entity, name=group_name)
    if group is None:
        raise invalid({"group_name": [f"The group {group_name} does not exist for entity {entity}."]})
    return group


def attribute_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Custom Attribute object (custom-attributes.md, as recorded by Create / List)."""
    group = tx.find_one(GROUP_KIND, entity=doc["entity"], name=doc["group_name"]) if doc.get("group_name") else None
    group_part = (
        {"id": group["id"], "name": group["name"], "created_by_user": None, "position": group.get("position", 1)}
        if group
        else dict(_DEFAULT_GROUP)
    )
    return {
        "id": doc["id"],
        "entity": doc["entity"],
        "name": doc["name"],
        "label": doc.get("label"),
        "type": doc.get("type"),
        "group_name": doc.get("group_name"),
        "group": group_part,
        "is_piggy_defined": False,
        "is_soft_read_only": False,
        "is_hard_read_only": False,
        "field_type": None,
        "has_unique_value": False,
        "description": doc.get("description"),
        "options": options_view(doc.get("options")),
        "position": doc.get("position", 1),
        "created_at": doc["created_at"],
        "meta": [],
        "can_be_deleted": True,
        "last_used_date": None,
        "created_by_user": None,
    }


def list_attributes(tx: Tx, entity: str) -> list[dict[str, Any]]:
    """Every attribute of the entity. For ``contact`` that is the full contact attribute list (system ones too),
    so a name taken by a system attribute is visible before creating it."""
    if entity == "contact":
        own = {d["name"]: d for d in tx.find(KIND, entity="contact")}
        out = []
        for definition in contact_attributes.definitions(tx):
            doc = own.get(definition["name"])
            view = attribute_view(tx, doc) if doc else {**definition, "entity": "contact"}
            out.append(view)
        return out
    return [attribute_view(tx, d) for d in tx.find(KIND, entity=entity)]


def _taken_names(tx: Tx, entity: str) -> set[str]:
    names = {d["name"] for d in tx.find(KIND, entity=entity)}
    if entity == "contact":
        names |= {d["name"] for d in contact_attributes.definitions(tx)}
    return names


def create_attribute(
    tx: Tx,
    *,
    entity: str,
    name: str,
    label: str,
    type: str,
    options: list[dict[str, Any]] | None,
    description: str | None,
    group_name: str | None,
) -> Doc:
    """Store a custom attribute: 1003 for a bad name / type / missing select options, 60009 when the name exists."""
    errors: dict[str, list[str]] = {}
    if not _NAME_RE.match(name):
        errors["name"] = ["The name may only contain letters, numbers and underscores, starting with a letter."]
    if type not in DATA_TYPES:
        errors["type"] = ["The selected type is invalid."]
    if type in _SELECTS and not options:
        # Inferred (custom-attributes.md: options "selects only"): a select without options is refused.
        errors["options"] = ["The options field is required for select attributes."]
    if errors:
        raise invalid(errors)
    if group_name:
        require_group(tx, entity, group_name)
    if name in _taken_names(tx, entity):
        # Inferred (custom-attributes.md: "likely 60009"): names are unique per entity.
        raise fail(60009)
    return tx.insert(
        KIND,
        {
            "entity": entity,
            "name": name,
            "label": label,
            "type": type,
            "options": _clean_options(options) if type in _SELECTS else [],
            "description": description,
            "group_name": group_name,
            "position": len(tx.find(KIND, entity=entity)) + 1,
            "created_at": now_iso(),
        },
    )


def update_attribute(
    tx: Tx,
    entity: str,
    name: str,
    *,
    label: str | None,
    options: list[dict[str, Any]] | None,
    description: str | None,
    group_name: str | None,
) -> dict[str, Any]:
    """Change label, description, options (selects only) or group of a custom attribute found by name; returns
    its view. Custom contact attributes made through ``/contact-attributes`` are updatable here too.

    System attributes cannot be updated (1003); an unknown name is 60013 Model not found (inferred: undocumented).
    """
    kind, doc = KIND, tx.find_one(KIND, entity=entity, name=name)
    if doc is None and entity == "contact":
        kind, doc = contact_attributes.KIND, tx.find_one(contact_attributes.KIND, name=name)
    if doc is None:
        if entity == "contact" and name in {d["name"] for d in contact_attributes.definitions(tx)}:
            raise invalid({"name": [f"The attribute {name} is defined by Piggy and cannot be updated."]})
        raise fail(60013)
    if options is not None:
        if (doc.get("type") or doc.get("data_type")) not in _SELECTS:
            raise invalid({"options": ["Options can only be set on select attributes."]})
        if not options:
            raise invalid({"options": ["The options field is required for select attributes."]})
        doc["options"] = _clean_options(options)
    if group_name is not None:
        require_group(tx, entity, group_name)
        doc["group_name"] = group_name
    if label is not None:
        doc["label"] = label
    if description is not None:
        doc["description"] = description
    tx.put(kind, doc)
    if kind == KIND:
        return attribute_view(tx, doc)
    return next(view for view in list_attributes(tx, entity) if view["name"] == name)


def group_view(doc: Doc) -> dict[str, Any]:
    """The Custom Attribute Group object ``{entity, name, label, created_at}``."""
    return {k: doc.get(k) for k in ("entity", "name", "label", "created_at")}


def create_group(tx: Tx, entity: str, name: str, label: str | None) -> Doc:
    """Store a group; the name is the entity's unique internal id (1003 when taken, inferred: undocumented)."""
    if not _NAME_RE.match(name):
        raise invalid({"name": ["The name may only contain letters, numbers and underscores, starting with a letter."]})
    if tx.find_one(GROUP_KIND, entity=entity, name=name):
        raise invalid({"name": ["The name has already been taken."]})
    position = len(tx.find(GROUP_KIND, entity=entity)) + 2  # "General" is always position 1
    return tx.insert(
        GROUP_KIND,
        {"entity": entity, "name": name, "label": label or name, "position": position, "created_at": now_iso()},
    )
