"""Products.; Product categories."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class ProductsResource(SyncAPIResource):
    """Products."""


class ProductCategoriesResource(SyncAPIResource):
    """Product categories."""
