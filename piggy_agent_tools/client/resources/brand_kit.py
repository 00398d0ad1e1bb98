"""The account's brand kit."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class BrandKitResource(SyncAPIResource):
    """The account's brand kit."""
