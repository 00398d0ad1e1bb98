"""Demo seed: rewards (physical and digital, some with stock and claim limits), reward attributes, claims, and
loyalty transaction attributes (``table_number``, ``barista``)."""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.rewards import claim
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.store import Tx

FREE_CAPPUCCINO = ids.fixed("reward", "free-cappuccino")
FREE_PASTRY = ids.fixed("reward", "free-pastry")
TOTE_BAG = ids.fixed("reward", "tote-bag")  # stock 3, one per customer
WEBSHOP_DISCOUNT = ids.fixed("reward", "webshop-5")  # digital: yields a code
BARISTA_WORKSHOP = ids.fixed("reward", "barista-workshop")  # expensive, last unit
RETIRED_MUG = ids.fixed("reward", "retired-mug")  # inactive
MONTH = 30 * 24 * 3600

REWARDS = [
    (FREE_CAPPUCCINO, "Free cappuccino", "Any size, any milk", 120, "PHYSICAL", None, None, True, "CAP-01"),
    (FREE_PASTRY, "Free pastry", "A croissant or muffin of your choice", 80, "PHYSICAL", 25, None, True, "PAS-01"),
    (TOTE_BAG, "Bean There tote bag", "Organic cotton tote", 400, "PHYSICAL", 3, 1, True, "TOTE-01"),
    (WEBSHOP_DISCOUNT, "€5 webshop discount", "A code worth €5 in the webshop", 250, "DIGITAL", None, None, True, None),
    (BARISTA_WORKSHOP, "Barista workshop", "Two hours behind the bar", 1500, "PHYSICAL", 1, 1, True, "WS-01"),
    (RETIRED_MUG, "Retired mug", "No longer available", 300, "PHYSICAL", 0, None, False, "MUG-01"),
]


def seed(tx: Tx) -> None:
    """Rewards, a ``plu`` reward attribute, two claims (Sofia's cappuccino, Lucas's tote bag), transaction fields."""
    for name, label, data_type in (("table_number", "Table", "number"), ("barista", "Barista", "text")):
        tx.insert(
            "loyalty_transaction_attribute",
            {
                "name": name,
                "label": label,
                "data_type": data_type,
                "description": None,
                "placeholder": None,
                "options": None,
            },
        )
    tx.insert(
        "reward_attribute",
        {
            "name": "plu",
            "label": "PLU",
            "type": "text",
            "description": "Cash register code",
            "placeholder": None,
            "options": [],
        },
    )
    for uuid, title, description, price, kind, stock, limit, active, plu in REWARDS:
        tx.insert(
            "reward",
            {
                "title": title,
                "description": description,
                "required_credits": price,
                "reward_type": kind,
                "is_active": active,
                "media": None,
                "cost_price": None,
                "stock": stock,
                "pre_redeemable": True,
                "expiration_duration": MONTH if kind == "PHYSICAL" else None,
                "claim_limit": limit,
                "attributes": {"plu": plu},
            },
            uuid=uuid,
        )
    amsterdam = tx.get("shop", ids.SHOP_AMSTERDAM)
    for who, reward_uuid in (("sofia", FREE_CAPPUCCINO), ("lucas", TOTE_BAG)):
        contact, reward = tx.get("contact", ids.fixed("contact", who)), tx.get("reward", reward_uuid)
        assert contact and reward and amsterdam
        claim(tx, contact, amsterdam, reward)
