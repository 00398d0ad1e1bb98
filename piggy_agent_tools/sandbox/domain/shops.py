"""Shops (business profiles) as listed and as embedded in transactions (shops.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx

KIND = "shop"
_ADDRESS_KEYS = (
    "street",
    "housenumber",
    "postalcode",
    "city",
    "state",
    "country",
    "latitude",
    "longitude",
    "house_number",
    "postal_code",
)


def require_shop(tx: Tx, shop_uuid: Any) -> Doc:
    """The stored shop, or 1008 Shop not found."""
    doc = tx.get(KIND, str(shop_uuid)) if shop_uuid else None
    if doc is None:
        raise fail(1008)
    return doc


def shop_view(doc: Doc) -> dict[str, Any]:
    """List/Get form: ``{uuid, name, type, reference}``."""
    return {"uuid": doc["uuid"], "name": doc["name"], "type": doc["type"], "reference": doc.get("reference")}


def shop_embedded(doc: Doc) -> dict[str, Any]:
    """Embedded form (loyalty transactions): adds ``id`` and the address."""
    address = doc.get("address", {})
    return {
        "id": doc["id"],
        "uuid": doc["uuid"],
        "type": doc["type"],
        "name": doc["name"],
        "address": {"id": doc["id"] + 44, "shop_id": doc["id"], **{k: address.get(k) for k in _ADDRESS_KEYS}},
    }
