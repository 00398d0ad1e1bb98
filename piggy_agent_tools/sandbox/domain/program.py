"""The loyalty program and its units: how a value in a unit becomes credits (loyalty-program.md)."""

from __future__ import annotations

import math
from typing import Any

from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx

PROGRAM_UUID = "loyalty-program"


def program(tx: Tx) -> Doc:
    """The account's single loyalty program, or 1103 Loyalty Program not found."""
    doc = tx.get("loyalty_program", PROGRAM_UUID)
    if doc is None:
        raise fail(1103)
    return doc


def require_unit(tx: Tx, unit_name: str | None) -> Doc:
    """The named unit, or the default unit when no name is given (60007 / 55046)."""
    if unit_name:
        unit = tx.find_one("unit", name=unit_name)
        if unit is None:
            raise fail(60007)
        return unit
    default = tx.find_one("unit", is_default=True)
    if default is None:
        raise fail(55046)
    return default


def unit_view(unit: Doc) -> dict[str, Any]:
    """List form ``{name, label, prefix, is_default}``."""
    return {k: unit.get(k) for k in ("name", "label", "prefix", "is_default")}


def unit_embedded(unit: Doc) -> dict[str, Any]:
    """Embedded form ``{id, name, label, prefix, is_default}``."""
    return {"id": unit["id"], **unit_view(unit)}


def credits_for(unit: Doc, unit_value: float, tier: Doc | None = None) -> int:
    """The program's earning rule: credits per unit (sandbox data), times the tier multiplier, rounded down."""
    rate = float(unit.get("credits_per_unit", 1))
    multiplier = float(tier.get("multiplier", 1)) if tier else 1.0
    return math.floor(unit_value * rate * multiplier + 1e-9)
