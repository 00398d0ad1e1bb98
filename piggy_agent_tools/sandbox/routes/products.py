"""Sandbox routes: products and product categories (orders.md). Fixed paths come before ``/{uuid}`` paths."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.products import (
    CATEGORY,
    PRODUCT,
    TAKEN,
    category_view,
    delete_category,
    ensure_unique,
    find_by_external,
    new_category,
    new_product,
    product_view,
    require,
    require_external,
    resolve_categories,
)
from piggy_agent_tools.sandbox.envelope import meta_a, ok, slice_page
from piggy_agent_tools.sandbox.errors import invalid
from piggy_agent_tools.sandbox.store import now_iso

router = APIRouter()


class ListArgs(BaseModel):
    # Inferred (orders.md): page/limit are not documented; the meta is format A, so contacts' defaults apply.
    page: int = Field(1, ge=1)
    limit: int = Field(30, ge=1, le=100)


class ExternalArgs(BaseModel):
    external_identifier: str = Field(min_length=1)


class CategoryRef(BaseModel):
    uuid: str | None = None
    external_identifier: str | None = None


class ProductArgs(BaseModel):
    external_identifier: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str | None = None
    categories: list[CategoryRef] = []


class FindOrCreateProductArgs(ExternalArgs):
    """orders.md: only ``external_identifier`` is required; a new product without a name is named after it."""

    name: str | None = None
    description: str | None = None
    categories: list[CategoryRef] = []


class ProductUpdateArgs(BaseModel):
    external_identifier: str | None = Field(None, min_length=1)
    name: str | None = Field(None, min_length=1)
    description: str | None = None
    categories: list[CategoryRef] | None = None


class ProductBatchArgs(BaseModel):
    # Inferred: batch limits are not documented; 1-1000 items per call.
    products: list[ProductArgs] = Field(min_length=1, max_length=1000)


class CategoryArgs(BaseModel):
    external_identifier: str = Field(min_length=1)
    name: str = Field(min_length=1)


class FindOrCreateCategoryArgs(ExternalArgs):
    name: str | None = None


class CategoryUpdateArgs(BaseModel):
    external_identifier: str | None = Field(None, min_length=1)
    name: str | None = Field(None, min_length=1)


class CategoryBatchArgs(BaseModel):
    categories: list[CategoryArgs] = Field(min_length=1, max_length=1000)


def _refs(refs: list[CategoryRef]) -> list[dict[str, Any]]:
    return [r.model_dump() for r in refs]


def _no_repeats(identifiers: list[str], field: str) -> None:
    """The same external identifier twice in one batch is 1003 naming the second one."""
    seen: set[str] = set()
    for i, identifier in enumerate(identifiers):
        if identifier in seen:
            raise invalid({f"{field}.{i}.external_identifier": [TAKEN]})
        seen.add(identifier)


# --- Products ---


@router.get("/products")
def list_products(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        page, total, _ = slice_page(tx.all(PRODUCT), args.page, args.limit)
        items = [product_view(tx, d) for d in page]
    return ok(items, meta_a(args.page, args.limit, total))


@router.post("/products")
def create_product(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ProductArgs)
    with ctx.write("products.create") as tx:
        categories = resolve_categories(tx, _refs(args.categories))
        doc = new_product(
            tx, args.external_identifier, args.name, description=args.description, category_uuids=categories
        )
        return ok(product_view(tx, doc))


@router.post("/products/batch")
def batch_products(ctx: CtxDep) -> JSONResponse:
    """Import products: new identifiers are created, known ones updated; all checked before any is kept.

    Inferred (orders.md gives no rule; the Magento module re-exports its catalogue periodically): an import
    upserts by external identifier; the same identifier twice in one batch is 1003.
    """
    args = ctx.args(ProductBatchArgs)
    _no_repeats([p.external_identifier for p in args.products], "products")
    with ctx.write("products.batch", count=len(args.products)) as tx:
        docs = []
        for i, item in enumerate(args.products):
            categories = resolve_categories(tx, _refs(item.categories), field=f"products.{i}.categories")
            doc = find_by_external(tx, PRODUCT, item.external_identifier)
            if doc is None:
                doc = new_product(
                    tx, item.external_identifier, item.name, description=item.description, category_uuids=categories
                )
            else:
                doc.update(name=item.name, description=item.description, category_uuids=categories)
                doc["updated_at"] = now_iso()
                tx.put(PRODUCT, doc)
            docs.append(doc)
        return ok([product_view(tx, d) for d in docs])


@router.get("/products/find")
def find_product(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ExternalArgs)
    with ctx.read() as tx:
        return ok(product_view(tx, require_external(tx, PRODUCT, args.external_identifier)))


@router.post("/products/find-or-create")
def find_or_create_product(ctx: CtxDep) -> JSONResponse:
    """The product with this external identifier, unchanged; else a new one from the given fields."""
    args = ctx.args(FindOrCreateProductArgs)
    with ctx.read() as tx:
        found = find_by_external(tx, PRODUCT, args.external_identifier)
        if found is not None:
            return ok(product_view(tx, found))
    with ctx.write("products.find_or_create") as tx:
        doc = find_by_external(tx, PRODUCT, args.external_identifier)
        if doc is None:
            categories = resolve_categories(tx, _refs(args.categories))
            name = args.name or args.external_identifier
            doc = new_product(
                tx, args.external_identifier, name, description=args.description, category_uuids=categories
            )
        return ok(product_view(tx, doc))


@router.get("/products/{product_uuid}")
def get_product(product_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(product_view(tx, require(tx, PRODUCT, product_uuid)))


@router.put("/products/{product_uuid}")
def update_product(product_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Change any of external identifier (still unique), name, description and categories (replaced as a set)."""
    args = ctx.args(ProductUpdateArgs)
    with ctx.write("products.update", product_uuid=product_uuid) as tx:
        doc = require(tx, PRODUCT, product_uuid)
        if args.external_identifier is not None:
            ensure_unique(tx, PRODUCT, args.external_identifier, field="external_identifier", own_uuid=doc["uuid"])
            doc["external_identifier"] = args.external_identifier
        if args.name is not None:
            doc["name"] = args.name
        if args.description is not None:
            doc["description"] = args.description
        if args.categories is not None:
            doc["category_uuids"] = resolve_categories(tx, _refs(args.categories))
        doc["updated_at"] = now_iso()
        tx.put(PRODUCT, doc)
        return ok(product_view(tx, doc))


@router.delete("/products/{product_uuid}")
def delete_product(product_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Delete by uuid (documented). Postman also deletes by external identifier (orders.md conflict): the sandbox
    accepts an external identifier too when no product has that uuid."""
    with ctx.write("products.delete", product_uuid=product_uuid) as tx:
        doc = tx.get(PRODUCT, product_uuid) or require_external(tx, PRODUCT, product_uuid)
        tx.delete(PRODUCT, doc["uuid"])
    return ok(None)


# --- Product categories ---


@router.get("/product-categories")
def list_categories(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        page, total, _ = slice_page(tx.all(CATEGORY), args.page, args.limit)
    return ok([category_view(d) for d in page], meta_a(args.page, args.limit, total))


@router.post("/product-categories")
def create_category(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(CategoryArgs)
    with ctx.write("product_categories.create") as tx:
        return ok(category_view(new_category(tx, args.external_identifier, args.name)))


@router.post("/product-categories/batch")
def batch_categories(ctx: CtxDep) -> JSONResponse:
    """Import categories: upsert by external identifier, as the product import (inferred)."""
    args = ctx.args(CategoryBatchArgs)
    _no_repeats([c.external_identifier for c in args.categories], "categories")
    with ctx.write("product_categories.batch", count=len(args.categories)) as tx:
        docs = []
        for item in args.categories:
            doc = find_by_external(tx, CATEGORY, item.external_identifier)
            if doc is None:
                doc = new_category(tx, item.external_identifier, item.name)
            else:
                doc.update(name=item.name, updated_at=now_iso())
                tx.put(CATEGORY, doc)
            docs.append(doc)
    return ok([category_view(d) for d in docs])


@router.get("/product-categories/find")
def find_category(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ExternalArgs)
    with ctx.read() as tx:
        return ok(category_view(require_external(tx, CATEGORY, args.external_identifier)))


@router.post("/product-categories/find-or-create")
def find_or_create_category(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(FindOrCreateCategoryArgs)
    with ctx.read() as tx:
        found = find_by_external(tx, CATEGORY, args.external_identifier)
        if found is not None:
            return ok(category_view(found))
    with ctx.write("product_categories.find_or_create") as tx:
        doc = find_by_external(tx, CATEGORY, args.external_identifier) or new_category(
            tx, args.external_identifier, args.name or args.external_identifier
        )
        return ok(category_view(doc))


@router.get("/product-categories/{category_uuid}")
def get_category(category_uuid: str, ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok(category_view(require(tx, CATEGORY, category_uuid)))


@router.put("/product-categories/{category_uuid}")
def update_category(category_uuid: str, ctx: CtxDep) -> JSONResponse:
    args = ctx.args(CategoryUpdateArgs)
    with ctx.write("product_categories.update", category_uuid=category_uuid) as tx:
        doc = require(tx, CATEGORY, category_uuid)
        if args.external_identifier is not None:
            ensure_unique(tx, CATEGORY, args.external_identifier, field="external_identifier", own_uuid=doc["uuid"])
            doc["external_identifier"] = args.external_identifier
        if args.name is not None:
            doc["name"] = args.name
        doc["updated_at"] = now_iso()
        tx.put(CATEGORY, doc)
        return ok(category_view(doc))


@router.delete("/product-categories/{category_uuid}")
def delete_category_route(category_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Delete the category; products keep existing without it."""
    with ctx.write("product_categories.delete", category_uuid=category_uuid) as tx:
        delete_category(tx, require(tx, CATEGORY, category_uuid))
    return ok(None)
