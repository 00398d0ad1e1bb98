"""Structural comparison of a sandbox answer with a recorded one: envelope keys, meta format, data keys and types.

Rules: keys present in the recording must be present in the answer, value types must match (int and float are one
"number"), ``null`` on either side matches anything, and a list is compared by its first item. An empty ``[]`` or
``{}`` matches either container, because PHP serialises every empty array as ``[]`` (README §5: meta is ``[]`` or
``{}`` even for the same endpoint).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

_ENVELOPE_KEYS = ("data", "meta", "links")
# Objects keyed by the account's own attribute names, not by the API's schema: compared as objects only, because
# their keys are account data (contacts.md §1: current_values "plus every custom contact attribute by its name";
# promotions-vouchers.md: attributes = "promotion attribute name -> value"; loyalty-transactions.md: options map).
ACCOUNT_KEYED = frozenset({"current_values", "current_display_values", "attributes", "options"})


def kind(value: Any) -> str:
    """The JSON type name of a value (YAML dates count as strings: they are strings on the wire)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str | date | datetime):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _empty_container(value: Any) -> bool:
    return isinstance(value, list | dict) and not value


def structure(recorded: Any, actual: Any, where: str, account_keys: frozenset[str] = frozenset()) -> list[str]:
    """Every way ``actual`` differs in structure from ``recorded``, as ``where: what`` lines.

    ``account_keys`` are names of the recording account's own attributes: when they appear as plain keys (a
    voucher's embedded promotion carries its attribute values flat, promotions-vouchers.md §Promotion object),
    they are account data, so their absence is not a structural difference.
    """
    if recorded is None or actual is None:
        return []
    rk, ak = kind(recorded), kind(actual)
    if {rk, ak} <= {"list", "object"} and (_empty_container(recorded) or _empty_container(actual)):
        return []
    if rk != ak:
        return [f"{where}: recorded {rk}, sandbox {ak}"]
    problems: list[str] = []
    if rk == "object" and where.rsplit(".", 1)[-1] in ACCOUNT_KEYED:
        return []
    if rk == "object":
        for key, value in recorded.items():
            if key not in actual:
                if key not in account_keys:
                    problems.append(f"{where}.{key}: missing")
            else:
                problems.extend(structure(value, actual[key], f"{where}.{key}", account_keys))
    elif rk == "list":
        problems.extend(structure(recorded[0], actual[0], f"{where}[0]", account_keys))
    return problems


def envelope(recorded: Any, actual: Any) -> list[str]:
    """Envelope keys (data, meta, links) must be the same set; the meta format must be the recorded one."""
    if not isinstance(actual, dict):
        return [f"body: recorded object envelope, sandbox {kind(actual)}"]
    problems: list[str] = []
    rkeys = {k for k in _ENVELOPE_KEYS if k in recorded}
    akeys = {k for k in _ENVELOPE_KEYS if k in actual}
    if rkeys != akeys:
        problems.append(f"envelope: recorded keys {sorted(rkeys)}, sandbox {sorted(akeys)}")
    problems.extend(meta(recorded.get("meta"), actual.get("meta")))
    if "links" in recorded and "links" in actual:
        problems.extend(structure(recorded["links"], actual["links"], "links"))
    return problems


def meta(recorded: Any, actual: Any) -> list[str]:
    """Empty meta (``[]``/``{}``) must stay empty; a pagination meta must have exactly the recorded keys and types."""
    if recorded is None or actual is None:
        return []
    if _empty_container(recorded):
        return [] if _empty_container(actual) else [f"meta: recorded empty, sandbox has {_keys(actual)}"]
    if not isinstance(recorded, dict) or not isinstance(actual, dict):
        return structure(recorded, actual, "meta")
    problems = []
    if set(recorded) != set(actual):
        problems.append(f"meta: recorded keys {sorted(recorded)}, sandbox {sorted(actual)}")
    for key in set(recorded) & set(actual):
        problems.extend(structure(recorded[key], actual[key], f"meta.{key}"))
    return problems


def data(recorded: Any, actual: Any, account_keys: frozenset[str] = frozenset()) -> list[str]:
    """Compare ``data``; a recorded non-empty list answered by an empty one cannot be checked, so it is a problem."""
    if isinstance(recorded, list) and recorded and isinstance(actual, list) and not actual:
        return ["data: the sandbox returned an empty list, so the recorded item structure cannot be checked"]
    return structure(recorded, actual, "data", account_keys)


def _keys(value: Any) -> str:
    return str(sorted(value)) if isinstance(value, dict) else repr(value)[:60]
