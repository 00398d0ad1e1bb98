"""Products and product categories (orders.md "Products", "Product Categories")."""

from __future__ import annotations

from piggy_agent_tools.models._base import PiggyModel


class ProductCategory(PiggyModel):
    """A product category: ``external_identifier`` is your own unique key for it."""

    uuid: str
    external_identifier: str = ""
    name: str = ""


class Product(PiggyModel):
    """A product as orders reference it by ``external_identifier`` (your SKU), with its categories."""

    uuid: str
    external_identifier: str = ""
    name: str = ""
    description: str | None = None
    categories: list[ProductCategory] = []
