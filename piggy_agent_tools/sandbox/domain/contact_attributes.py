"""Contact attribute definitions: Piggy's system ones (every account has them) plus the account's custom ones.

System definitions live in code so even the ``empty`` seed knows them; custom ones are documents of kind
``contact_attribute`` (generic custom attributes with ``entity == "contact"`` count too, custom-attributes.md).
"""

from __future__ import annotations

import re
from typing import Any

from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "contact_attribute"
DATA_TYPES = (
    "url text date phone float color email number select boolean rich_text date_time long_text date_range "
    "time_range identifier birth_date file_upload media_upload multi_select license_plate"
).split()
_GROUP = {"id": 140, "name": "profile", "position": 1}
_SYSTEM_CREATED = "2023-11-03T14:58:25+00:00"
_STATUS_OPTIONS = [
    ("UNSUBSCRIBED", "Unsubscribed"),
    ("PENDING_CONFIRMATION", "Pending confirmation"),
    ("SUBSCRIBED", "Subscribed"),
]
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")

# (id, name, label, type, soft read-only, hard read-only, description, options) as recorded in leat-openapi.yaml
# (List Contact Attributes). Read-only ones (soft or hard) are system-defined values the API never updates.
_SYSTEM: list[tuple[int, str, str, str, bool, bool, str, list[tuple[str, str]]]] = [
    (2204, "avatar", "Avatar", "media_upload", False, False, "An image for the contact", []),
    (2205, "firstname", "First name", "text", False, False, "The contact's first name", []),
    (2206, "lastname", "Last name", "text", False, False, "The contact's last name", []),
    (2203, "email", "Email", "email", True, True, "The contact's email address", []),
    (2220, "previous_loyalty_balance", "Previous credit balance", "number", True, False,
     "The value of the credit balance before the last transaction was applied.", []),
    (2219, "loyalty_balance", "Credit balance", "number", True, False, "Current credit balance", []),
    (2223, "loyalty_number_of_transactions", "Number of transactions", "number", True, False,
     "The number of loyalty transaction the contact has had", []),
    (2221, "loyalty_first_transaction_date", "First credit reception date", "date_time", True, True,
     "The date that the contact got their first points", []),
    (2222, "loyalty_last_transaction_date", "Last transaction date", "date_time", True, False,
     "The date of thecontact's most recent loyalty transaction", []),
    (2207, "address", "Address", "text", False, False, "The contact's address information", []),
    (2208, "phonenumber", "Telephone number", "phone", False, False, "The contact's phone number", []),
    (2209, "birthdate", "Birth date", "birth_date", False, False, "The contact's birthdate", []),
    (2210, "channel", "Channel", "select", True, True, "The channel through which this contact was created",
     [("BUSINESS_APP", "BUSINESS_APP"), ("API", "API"), ("BUSINESS_DASHBOARD", "BUSINESS_DASHBOARD")]),
    (2211, "age", "Age", "number", False, False, "The contact's age", []),
    (2212, "locale", "Preferred language", "select", False, False, "The contact's preferred language",
     [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]),
    (2213, "status", "Status", "select", True, False, "The contact's current status",
     [("ACTIVE", "Active"), ("INACTIVE", "Inactive")]),
    (2214, "updated_at", "Updated at", "date_time", True, False, "The date the contact was last updated", []),
    (2215, "created_at", "Created at", "date_time", True, True, "The date on which the contact was created", []),
    (2216, "is_anonymous", "Anonymous", "boolean", True, False,
     "This contact has not been verified and uses a fictive email address", [("1", "Yes"), ("0", "No")]),
    (2217, "prepaid_balance", "Prepaid balance", "float", True, False, "The contact's current prepaid balance", []),
    (2218, "loyalty_associated_shops", "Associated shops", "multi_select", True, False,
     "All of the shops where this contact has had loyalty transactions", []),
    (2224, "loyalty_total_credits_received", "Total credits received", "number", True, False,
     "The total number of credits the contact have received to date", []),
    (2225, "tier", "Tier", "select", True, True, "The tier the contact is assigned to", []),
    # Not in the recorded list but named as system keys of current_values (contacts.md §1): read-only too.
    (2240, "postalcode", "Postal code", "text", False, False, "The contact's postal code", []),
    (2241, "housenumber", "House number", "text", False, False, "The contact's house number", []),
    (2242, "city", "City", "text", False, False, "The contact's city", []),
]  # fmt: skip
# Keys of current_values that are always system-defined even though they have no definition of their own.
_SYSTEM_VALUE_KEYS = {"uuid", "add_to_wallet", "default_contact_identifier", "custom_app_login_url",
                      "custom_app_login_code", "subscription_preferences_url"}  # fmt: skip


def _options(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"value": v, "label": label, "description": None, "media": None} for v, label in pairs]


def _system_definitions(tx: Tx) -> list[Doc]:
    out: list[Doc] = []
    for position, (id_, name, label, type_, soft, hard, description, options) in enumerate(_SYSTEM, start=1):
        opts = _options(options)
        if name == "loyalty_associated_shops":
            opts = _options([(str(s["id"]), s["name"]) for s in tx.all("shop")])
        if name == "tier":
            opts = _options([(t["uuid"], t["name"]) for t in tx.all("tier")])
        out.append(
            _definition(id_, name, label, type_, soft, hard, description, opts, position, piggy=True, unique=False)
        )
    out[3]["has_unique_value"] = True  # email
    for stype in tx.all("subscription_type"):
        name = f"subscription_status_{stype['id']}"
        out.append(
            _definition(
                2300 + int(stype["id"]),
                name,
                f"Subscription status: {stype['name']}",
                "select",
                True,
                False,
                f"The current status for the {stype['name']} subscription type.",
                _options(_STATUS_OPTIONS),
                len(out) + 1,
                piggy=True,
                unique=False,
            )
        )
    return out


def _definition(
    id_: int,
    name: str,
    label: str,
    type_: str,
    soft: bool,
    hard: bool,
    description: str | None,
    options: list[dict[str, Any]],
    position: int,
    *,
    piggy: bool,
    unique: bool,
    created_at: str = _SYSTEM_CREATED,
) -> Doc:
    return {
        "id": id_,
        "name": name,
        "label": label,
        "type": type_,
        "group_name": None,
        "group": dict(_GROUP),
        "is_piggy_defined": piggy,
        "is_soft_read_only": soft,
        "is_hard_read_only": hard,
        "field_type": "default" if piggy else None,
        "has_unique_value": unique,
        "description": description,
        "options": options,
        "position": position,
        "created_at": created_at,
        "meta": [],
        "can_be_deleted": not piggy,
        "last_used_date": None,
        "created_by_user": None,
    }


def _custom_docs(tx: Tx) -> list[Doc]:
    docs = tx.all(KIND)
    known = {d["name"] for d in docs}
    docs += [d for d in tx.find("custom_attribute", entity="contact") if d.get("name") not in known]
    return docs


def definitions(tx: Tx) -> list[Doc]:
    """Every contact attribute definition in the API's shape: system ones first, then custom ones."""
    system = _system_definitions(tx)
    custom = [
        _definition(
            int(d["id"]),
            d["name"],
            d.get("label") or d["name"],
            d.get("type") or d.get("data_type") or "text",
            bool(d.get("is_soft_read_only", False)),
            bool(d.get("is_hard_read_only", False)),
            d.get("description"),
            _options([(str(o.get("value")), str(o.get("label"))) for o in d.get("options") or []]),
            len(system) + i,
            piggy=False,
            unique=False,
            created_at=d.get("created_at") or _SYSTEM_CREATED,
        )
        for i, d in enumerate(_custom_docs(tx), start=1)
    ]
    return system + custom


def custom_names(tx: Tx) -> list[str]:
    """Names of the account's custom contact attributes (shown as ``null`` on contacts that have no value)."""
    return [d["name"] for d in _custom_docs(tx)]


def create_definition(
    tx: Tx,
    *,
    name: str,
    label: str,
    data_type: str,
    description: str | None = None,
    options: list[dict[str, Any]] | None = None,
) -> Doc:
    """Store a custom contact attribute: 1003 for a bad name, type or missing options; 60009 when it exists."""
    errors: dict[str, list[str]] = {}
    if not _NAME_RE.match(name):
        errors["name"] = ["The name may only contain letters, numbers and underscores, starting with a letter."]
    if data_type not in DATA_TYPES:
        errors["data_type"] = ["The selected data type is invalid."]
    if data_type in ("select", "multi_select") and not options:
        # Inferred (contacts.md §3.2): options are listed "for select/multi_select"; an empty select is refused.
        errors["options"] = ["The options field is required for select attributes."]
    if errors:
        raise invalid(errors)
    if name in {d["name"] for d in definitions(tx)} | _SYSTEM_VALUE_KEYS:
        raise fail(60009)
    stored_options = [{"label": str(o.get("label", "")), "value": str(o.get("value", ""))} for o in options or []]
    return tx.insert(
        KIND,
        {
            "name": name,
            "label": label,
            "type": data_type,
            "description": description,
            "options": stored_options,
            "created_at": now_iso(),
        },
    )


def view_by_name(tx: Tx, name: str) -> Doc:
    """The API view of one definition (after a create)."""
    return next(d for d in definitions(tx) if d["name"] == name)


def validate_values(tx: Tx, values: dict[str, Any]) -> dict[str, Any]:
    """Check a contact update: names must exist and be writable; select/number/boolean values must fit.

    Raises 1003 Invalid input naming each bad field as ``attributes.<name>``. Returns the values to store.
    """
    if not values:
        raise invalid({"attributes": ["The attributes field is required."]})
    by_name = {d["name"]: d for d in definitions(tx)}
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name, value in values.items():
        key = f"attributes.{name}"
        definition = by_name.get(name)
        if definition is None:
            errors[key] = [f"The contact attribute {name} does not exist."]
        elif definition["is_soft_read_only"] or definition["is_hard_read_only"] or name in _SYSTEM_VALUE_KEYS:
            errors[key] = [f"The contact attribute {name} is read-only and cannot be updated."]
        else:
            problem, value = _check_value(definition, value)
            if problem:
                errors[key] = [problem]
            clean[name] = value
    if errors:
        raise invalid(errors)
    return clean


def _check_value(definition: Doc, value: Any) -> tuple[str | None, Any]:
    """(problem or None, the value as stored). Empty values clear the attribute."""
    if value is None or value == "":
        return None, None
    kind = definition["type"]
    if kind == "select" and not definition["is_piggy_defined"]:
        # System selects (locale) are not checked: the demo seed stores Piggy-style locales such as ``nl_NL``.
        allowed = [o["value"] for o in definition["options"]]
        if str(value) not in allowed:
            return f"The value must be one of: {', '.join(allowed)}.", value
        return None, str(value)
    if kind in ("number", "float"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return "The value must be a number.", value
        return None, int(number) if kind == "number" and number.is_integer() else number
    if kind == "boolean":
        text = str(value).strip().lower()
        if text in ("1", "true", "yes"):
            return None, True
        if text in ("0", "false", "no"):
            return None, False
        return "The value must be true or false.", value
    if kind == "email" and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", str(value)):
        return "The value must be a valid email address.", value
    return None, value
