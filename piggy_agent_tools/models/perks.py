"""Perks: tier benefits such as "free coffee refill" with one value per tier (loyalty-program.md, Perks)."""

from __future__ import annotations

from piggy_agent_tools.models._base import PiggyModel


class PerkOption(PiggyModel):
    """One possible value of a perk; the ``default`` one is given to tiers that existed when it was created."""

    label: str | None = None
    value: str | None = None
    default: bool = False


class Perk(PiggyModel):
    """A perk: ``data_type`` is ``single_select`` or ``boolean``; only its label can change after creation."""

    uuid: str
    name: str | None = None
    label: str | None = None
    data_type: str | None = None
    options: list[PerkOption] = []
