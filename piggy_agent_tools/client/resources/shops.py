"""Shops (business profiles): where credits are earned and rewards claimed (shops.md)."""

from __future__ import annotations

import builtins

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.shops import Shop


class ShopsResource(SyncAPIResource):
    """Shops (business profiles)."""

    def list(self) -> builtins.list[Shop]:
        """GET /shops: every shop as ``{uuid, name, type, reference}`` (not paginated)."""
        return self._list(RequestSpec("GET", "/shops"), Shop)

    def get(self, shop_uuid: str) -> Shop:
        """GET /shops/{shop_uuid}; NotFoundError (1008) when unknown."""
        return self._request(RequestSpec("GET", f"/shops/{uuid_segment('shop_uuid', shop_uuid)}"), Shop)
