"""Shops (business profiles): the list/get form and the embedded form with its address (shops.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class Shop(PiggyModel):
    """A shop: ``type`` is ``physical`` or ``web``; embedded forms add ``id`` and an ``address`` object."""

    uuid: str
    name: str = ""
    type: str | None = None
    reference: str | None = None
    id: int | None = None
    address: dict[str, Any] | None = None
