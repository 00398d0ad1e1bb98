"""Perks of tiers (loyalty-program.md, Perks): list, create, get, update the label, delete."""

from __future__ import annotations

import builtins
from typing import Any, Literal

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.perks import Perk


class PerksResource(SyncAPIResource):
    """Tier benefits: each perk has options, exactly one of them the default given to existing tiers."""

    def list(self) -> builtins.list[Perk]:
        """GET /perks: every perk (not paginated)."""
        return self._list(RequestSpec("GET", "/perks"), Perk)

    def create(
        self,
        *,
        name: str,
        label: str,
        data_type: Literal["single_select", "boolean"],
        options: builtins.list[dict[str, Any]],
    ) -> Perk:
        """POST /perks: ``options`` are ``[{"label", "value", "default"}]`` with exactly one default; boolean
        perks take only the values ``true`` and ``false``."""
        body = {"name": name, "label": label, "data_type": data_type, "options": options}
        return self._request(RequestSpec("POST", "/perks", body=body), Perk)

    def get(self, perk_uuid: str) -> Perk:
        """GET /perks/{perk_uuid}: NotFoundError 110000 when unknown."""
        return self._request(RequestSpec("GET", f"/perks/{uuid_segment('perk_uuid', perk_uuid)}"), Perk)

    def update(self, perk_uuid: str, *, label: str) -> Perk:
        """PUT /perks/{perk_uuid}: only the label can change."""
        path = f"/perks/{uuid_segment('perk_uuid', perk_uuid)}"
        return self._request(RequestSpec("PUT", path, body={"label": label}), Perk)

    def delete(self, perk_uuid: str) -> None:
        """DELETE /perks/{perk_uuid}: removes the perk from every tier."""
        self._raw(RequestSpec("DELETE", f"/perks/{uuid_segment('perk_uuid', perk_uuid)}"))
