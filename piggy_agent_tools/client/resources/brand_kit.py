"""The account's brand kit (brand-kit.md): logos, colours and font."""

from __future__ import annotations

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.engagement import BrandKit


class BrandKitResource(SyncAPIResource):
    """The brand kit, for styling messages and pages in the account's look."""

    def get(self) -> BrandKit:
        """GET /brand-kit."""
        return self._request(RequestSpec("GET", "/brand-kit"), BrandKit)
