"""Demo seed: the coffee bar's product categories, eight products and a few processed orders of seeded contacts.

The orders are processed through the same rule as the API, so their credits are part of the contacts' balances.
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.domain.order_args import OrderArgs
from piggy_agent_tools.sandbox.domain.orders import create_order, process_order
from piggy_agent_tools.sandbox.domain.products import new_category, new_product
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.store import Tx

ORDER_TIME = "2025-02-03T09:15:00+00:00"
COFFEE = ids.fixed("product_category", "coffee")
TEA = ids.fixed("product_category", "tea")
BAKERY = ids.fixed("product_category", "bakery")
CATEGORIES = [(COFFEE, "cat-coffee", "Coffee"), (TEA, "cat-tea", "Tea"), (BAKERY, "cat-bakery", "Bakery")]

# (key = external identifier, name, description, unit price in cents, category uuid)
PRODUCTS = [
    ("espresso", "Espresso", "A single shot of our house blend", 260, COFFEE),
    ("cappuccino", "Cappuccino", "Espresso with steamed milk foam", 340, COFFEE),
    ("flat-white", "Flat White", "Double ristretto with velvety milk", 380, COFFEE),
    ("latte", "Caffè Latte", "Espresso with lots of steamed milk", 370, COFFEE),
    ("chai-latte", "Chai Latte", "Spiced black tea with milk", 390, TEA),
    ("croissant", "Croissant", "Butter croissant, baked every morning", 280, BAKERY),
    ("banana-bread", "Banana Bread", "A thick slice, vegan", 350, BAKERY),
    ("beans-1kg", "House Blend Beans 1 kg", "Whole beans to brew at home", 2490, COFFEE),
]
PRICES = {key: price for key, _, _, price, _ in PRODUCTS}
NAMES = {key: name for key, name, _, _, _ in PRODUCTS}

# (order external identifier, contact key, shop uuid, [(product key, quantity)])
ORDERS = [
    ("SEED-ORDER-1001", "sofia", ids.SHOP_AMSTERDAM, [("flat-white", 2), ("croissant", 2)]),
    ("SEED-ORDER-1002", "emma", ids.SHOP_AMSTERDAM, [("cappuccino", 1), ("banana-bread", 1)]),
    ("SEED-ORDER-1003", "mila", ids.SHOP_WEB, [("beans-1kg", 2)]),
]


def product_uuid(key: str) -> str:
    return ids.fixed("product", key)


def order_uuid(external_identifier: str) -> str:
    return ids.fixed("order", external_identifier)


def _order_body(external_identifier: str, contact_key: str, shop: str, lines: list[tuple[str, int]]) -> OrderArgs:
    items: list[dict[str, Any]] = [
        {
            "external_identifier": f"{external_identifier}-L{i + 1}",
            "name": NAMES[key],
            "quantity": quantity,
            "price": PRICES[key],
            "total_amount": PRICES[key] * quantity,
            "product": {"external_identifier": key},
        }
        for i, (key, quantity) in enumerate(lines)
    ]
    total = sum(item["total_amount"] for item in items)
    return OrderArgs.model_validate(
        {
            "external_identifier": external_identifier,
            "reference": f"Order {external_identifier[-4:]}",
            "status": "COMPLETED",
            "payment_status": "PAID",
            "total_order_amount": total,
            "paid_at": ORDER_TIME,
            "completed_at": ORDER_TIME,
            "contact": {"uuid": ids.fixed("contact", contact_key)},
            "business_profile": {"uuid": shop},
            "line_items": items,
        }
    )


def seed(tx: Tx) -> None:
    """Categories, products, then three completed orders processed into credits."""
    for uuid, external, name in CATEGORIES:
        new_category(tx, external, name, uuid=uuid)
    for key, name, description, _price, category in PRODUCTS:
        new_product(tx, key, name, description=description, category_uuids=[category], uuid=product_uuid(key))
    for external, contact_key, shop, lines in ORDERS:
        order = create_order(tx, _order_body(external, contact_key, shop, lines), uuid=order_uuid(external))
        order.update(created_at=ORDER_TIME, updated_at=ORDER_TIME)
        process_order(tx, order, at=ORDER_TIME)
