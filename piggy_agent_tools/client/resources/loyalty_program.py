"""The loyalty program, its tiers and its units (loyalty-program.md; perks live in perks.py)."""

from __future__ import annotations

import builtins

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.contacts import Tier
from piggy_agent_tools.models.loyalty import LoyaltyProgram, Unit


class LoyaltyProgramResource(SyncAPIResource):
    """The account's single loyalty program."""

    def get(self) -> LoyaltyProgram:
        """GET /loyalty-program: name, maximum balance (``max_amount``), credit name and default unit."""
        return self._request(RequestSpec("GET", "/loyalty-program"), LoyaltyProgram)


class TiersResource(SyncAPIResource):
    """Loyalty tiers (Bronze, Silver...); a contact's own tier is ``contacts.get_tier``."""

    def list(self) -> builtins.list[Tier]:
        """GET /tiers: every tier, lowest position first (not paginated)."""
        return self._list(RequestSpec("GET", "/tiers"), Tier)


class UnitsResource(SyncAPIResource):
    """Loyalty units: what a credit reception's ``unit_value`` is measured in."""

    def list(self) -> builtins.list[Unit]:
        """GET /units: every unit; exactly one has ``is_default``."""
        return self._list(RequestSpec("GET", "/units"), Unit)

    def create(self, *, name: str, label: str, is_default: bool | None = None, prefix: str | None = None) -> Unit:
        """POST /units: a new unit (``name`` is immutable; ConflictError 55045 when it exists). ``is_default``
        makes it the account default."""
        body = {"name": name, "label": label, "is_default": is_default, "prefix": prefix}
        return self._request(RequestSpec("POST", "/units", body=body), Unit)
