"""Products and product categories: list (meta format A), create, batch, get, find, find-or-create, update,
delete (orders.md). ``external_identifier`` is your own unique key (a SKU), used by order lines."""

from __future__ import annotations

import builtins
from typing import Any

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.products import Product, ProductCategory


class ProductsResource(SyncAPIResource):
    """Products; ``categories`` are given as ``[{"uuid": ...}]`` or ``[{"external_identifier": ...}]``."""

    def list(self, *, page: int | None = None, limit: int | None = None) -> Page[Product]:
        """GET /products: one page of products (meta format A)."""
        params = {"page": page, "limit": limit}
        return self._page(RequestSpec("GET", "/products", params=params), Product)

    def create(
        self,
        *,
        external_identifier: str,
        name: str,
        description: str | None = None,
        categories: builtins.list[dict[str, str]] | None = None,
    ) -> Product:
        """POST /products: a new product; InvalidRequestError (1003) when the external identifier is taken."""
        body: dict[str, Any] = {"external_identifier": external_identifier, "name": name}
        body.update(description=description, categories=categories)
        return self._request(RequestSpec("POST", "/products", body=body), Product)

    def batch(self, products: builtins.list[dict[str, Any]]) -> builtins.list[Product]:
        """POST /products/batch: import products (``{external_identifier, name[, description, categories]}``)."""
        return self._list(RequestSpec("POST", "/products/batch", body={"products": products}), Product)

    def get(self, product_uuid: str) -> Product:
        """GET /products/{product_uuid}."""
        path = f"/products/{uuid_segment('product_uuid', product_uuid)}"
        return self._request(RequestSpec("GET", path), Product)

    def find(self, external_identifier: str) -> Product:
        """GET /products/find?external_identifier=: NotFoundError when no product has it."""
        params = {"external_identifier": external_identifier}
        return self._request(RequestSpec("GET", "/products/find", params=params), Product)

    def find_or_create(
        self,
        *,
        external_identifier: str,
        name: str | None = None,
        description: str | None = None,
        categories: builtins.list[dict[str, str]] | None = None,
    ) -> Product:
        """POST /products/find-or-create: the existing product unchanged, or a new one from these fields."""
        body: dict[str, Any] = {"external_identifier": external_identifier, "name": name}
        body.update(description=description, categories=categories)
        return self._request(RequestSpec("POST", "/products/find-or-create", body=body), Product)

    def update(
        self,
        product_uuid: str,
        *,
        external_identifier: str | None = None,
        name: str | None = None,
        description: str | None = None,
        categories: builtins.list[dict[str, str]] | None = None,
    ) -> Product:
        """PUT /products/{product_uuid}: change the given fields; ``categories`` replaces the whole set."""
        path = f"/products/{uuid_segment('product_uuid', product_uuid)}"
        body: dict[str, Any] = {"external_identifier": external_identifier, "name": name}
        body.update(description=description, categories=categories)
        return self._request(RequestSpec("PUT", path, body=body), Product)

    def delete(self, product_uuid: str) -> None:
        """DELETE /products/{product_uuid}."""
        path = f"/products/{uuid_segment('product_uuid', product_uuid)}"
        self._raw(RequestSpec("DELETE", path))


class ProductCategoriesResource(SyncAPIResource):
    """Product categories (path ``/product-categories``)."""

    def list(self, *, page: int | None = None, limit: int | None = None) -> Page[ProductCategory]:
        """GET /product-categories: one page of categories (meta format A)."""
        params = {"page": page, "limit": limit}
        return self._page(RequestSpec("GET", "/product-categories", params=params), ProductCategory)

    def create(self, *, external_identifier: str, name: str) -> ProductCategory:
        """POST /product-categories: InvalidRequestError (1003) when the external identifier is taken."""
        body = {"external_identifier": external_identifier, "name": name}
        return self._request(RequestSpec("POST", "/product-categories", body=body), ProductCategory)

    def batch(self, categories: builtins.list[dict[str, str]]) -> builtins.list[ProductCategory]:
        """POST /product-categories/batch: import ``[{external_identifier, name}]``."""
        spec = RequestSpec("POST", "/product-categories/batch", body={"categories": categories})
        return self._list(spec, ProductCategory)

    def get(self, category_uuid: str) -> ProductCategory:
        """GET /product-categories/{category_uuid}."""
        path = f"/product-categories/{uuid_segment('category_uuid', category_uuid)}"
        return self._request(RequestSpec("GET", path), ProductCategory)

    def find(self, external_identifier: str) -> ProductCategory:
        """GET /product-categories/find?external_identifier=: NotFoundError when none has it."""
        params = {"external_identifier": external_identifier}
        return self._request(RequestSpec("GET", "/product-categories/find", params=params), ProductCategory)

    def find_or_create(self, *, external_identifier: str, name: str | None = None) -> ProductCategory:
        """POST /product-categories/find-or-create: the existing category unchanged, or a new one."""
        body = {"external_identifier": external_identifier, "name": name}
        return self._request(RequestSpec("POST", "/product-categories/find-or-create", body=body), ProductCategory)

    def update(
        self, category_uuid: str, *, external_identifier: str | None = None, name: str | None = None
    ) -> ProductCategory:
        """PUT /product-categories/{category_uuid}."""
        path = f"/product-categories/{uuid_segment('category_uuid', category_uuid)}"
        body = {"external_identifier": external_identifier, "name": name}
        return self._request(RequestSpec("PUT", path, body=body), ProductCategory)

    def delete(self, category_uuid: str) -> None:
        """DELETE /product-categories/{category_uuid}: products keep existing without it."""
        path = f"/product-categories/{uuid_segment('category_uuid', category_uuid)}"
        self._raw(RequestSpec("DELETE", path))
