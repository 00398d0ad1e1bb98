"""Orders: create, process, find, update, simulate, list.; Order returns."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class OrdersResource(SyncAPIResource):
    """Orders: create, process, find, update, simulate, list."""


class OrderReturnsResource(SyncAPIResource):
    """Order returns."""
