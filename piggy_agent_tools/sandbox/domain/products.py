"""Products and product categories (orders.md "Products", "Product Categories"): unique external identifiers.

Not-found and duplicate errors are not documented for these endpoints. Inferred: an unknown uuid or
external_identifier is 60013 Model not found (the global code for a missing model), and a duplicate
external_identifier is 1003 Invalid input naming the field, as Laravel's ``unique`` rule reports it.
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

PRODUCT = "product"
CATEGORY = "product_category"
TAKEN = "The external identifier has already been taken."


def category_view(doc: Doc) -> dict[str, Any]:
    """The Product Category object ``{uuid, external_identifier, name}``."""
    return {"uuid": doc["uuid"], "external_identifier": doc["external_identifier"], "name": doc["name"]}


def product_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Product object ``{uuid, external_identifier, name, description, categories}``."""
    categories = [tx.get(CATEGORY, uuid) for uuid in doc.get("category_uuids", [])]
    return {
        "uuid": doc["uuid"],
        "external_identifier": doc["external_identifier"],
        "name": doc["name"],
        "description": doc.get("description"),
        "categories": [category_view(c) for c in categories if c is not None],
    }


def require(tx: Tx, kind: str, uuid: str) -> Doc:
    """The stored product or category, or 60013 Model not found."""
    doc = tx.get(kind, uuid)
    if doc is None:
        raise fail(60013)
    return doc


def find_by_external(tx: Tx, kind: str, external_identifier: str) -> Doc | None:
    return tx.find_one(kind, external_identifier=external_identifier)


def require_external(tx: Tx, kind: str, external_identifier: str) -> Doc:
    """Find by external identifier, or 60013 Model not found."""
    doc = find_by_external(tx, kind, external_identifier)
    if doc is None:
        raise fail(60013)
    return doc


def ensure_unique(tx: Tx, kind: str, external_identifier: str, *, field: str, own_uuid: str | None = None) -> None:
    """1003 when another document of ``kind`` already uses ``external_identifier``."""
    other = find_by_external(tx, kind, external_identifier)
    if other is not None and other["uuid"] != own_uuid:
        raise invalid({field: [TAKEN]})


def new_category(tx: Tx, external_identifier: str, name: str, *, uuid: str | None = None) -> Doc:
    """Insert a category after checking that its external identifier is free."""
    ensure_unique(tx, CATEGORY, external_identifier, field="external_identifier")
    stamp = now_iso()
    data = {"external_identifier": external_identifier, "name": name, "created_at": stamp, "updated_at": stamp}
    return tx.insert(CATEGORY, data, uuid=uuid)


def resolve_categories(tx: Tx, refs: list[dict[str, Any]], *, field: str = "categories") -> list[str]:
    """Category uuids for ``[{uuid} | {external_identifier}]``; an unknown one is 1003 naming its position."""
    uuids: list[str] = []
    for i, ref in enumerate(refs):
        doc = None
        if ref.get("uuid"):
            doc = tx.get(CATEGORY, str(ref["uuid"]))
        elif ref.get("external_identifier"):
            doc = find_by_external(tx, CATEGORY, str(ref["external_identifier"]))
        if doc is None:
            raise invalid({f"{field}.{i}": ["The selected category is invalid."]})
        if doc["uuid"] not in uuids:
            uuids.append(doc["uuid"])
    return uuids


def new_product(
    tx: Tx,
    external_identifier: str,
    name: str,
    *,
    description: str | None = None,
    category_uuids: list[str] | None = None,
    uuid: str | None = None,
    field: str = "external_identifier",
) -> Doc:
    """Insert a product after checking that its external identifier is free."""
    ensure_unique(tx, PRODUCT, external_identifier, field=field)
    stamp = now_iso()
    data = {
        "external_identifier": external_identifier,
        "name": name,
        "description": description,
        "category_uuids": list(category_uuids or []),
        "created_at": stamp,
        "updated_at": stamp,
    }
    return tx.insert(PRODUCT, data, uuid=uuid)


def delete_category(tx: Tx, category: Doc) -> None:
    """Remove the category and take it off every product that had it."""
    for product in tx.all(PRODUCT):
        if category["uuid"] in product.get("category_uuids", []):
            product["category_uuids"] = [u for u in product["category_uuids"] if u != category["uuid"]]
            tx.put(PRODUCT, product)
    tx.delete(CATEGORY, category["uuid"])


def product_for_line(tx: Tx, ref: dict[str, Any] | None, line_name: str) -> Doc | None:
    """The product an order line names; an unknown external identifier auto-creates it from the line name.

    orders.md: "product auto-created from line name if unknown". A line without a product has none.
    """
    if not ref:
        return None
    if ref.get("uuid"):
        return require(tx, PRODUCT, str(ref["uuid"]))
    external = ref.get("external_identifier")
    if not external:
        return None
    return find_by_external(tx, PRODUCT, str(external)) or new_product(tx, str(external), line_name)
