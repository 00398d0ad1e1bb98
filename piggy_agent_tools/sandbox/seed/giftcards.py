"""Demo seed: two gift-card programs and cards whose balances come from real seeded transactions."""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain import giftcards as gc
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.store import Tx

SEED_TIME = "2025-01-15T10:00:00+00:00"

PROGRAM = ids.fixed("giftcard_program", "bean-there")  # max €500.00, cards valid 5 years
PROGRAM_MAX_IN_CENTS = 50000
CORPORATE_PROGRAM = ids.fixed("giftcard_program", "corporate")  # no maximum, no expiry

FUNDED_HASH = "BEAN-GC-0001"  # €25.00, topped up once (digital: no further top-up)
SPENT_HASH = "BEAN-GC-0002"  # €50.00 topped up, €12.50 spent -> €37.50
EMPTY_HASH = "BEAN-GC-0003"  # €20.00 topped up and fully spent -> €0.00
EXPIRED_HASH = "BEAN-GC-0004"  # €15.00 left but expired on 2023-12-31
NEW_HASH = "BEAN-GC-0005"  # never funded: €0.00, still upgradeable
PHYSICAL_HASH = "BEAN-GC-0006"  # physical card topped up twice -> €100.00
CORPORATE_HASH = "BEAN-CORP-0001"  # corporate card, €200.00

FUNDED = ids.fixed("giftcard", FUNDED_HASH)
SPENT = ids.fixed("giftcard", SPENT_HASH)
EMPTY = ids.fixed("giftcard", EMPTY_HASH)
EXPIRED = ids.fixed("giftcard", EXPIRED_HASH)
NEW = ids.fixed("giftcard", NEW_HASH)
PHYSICAL = ids.fixed("giftcard", PHYSICAL_HASH)
CORPORATE = ids.fixed("giftcard", CORPORATE_HASH)

# (hash, program, type, transactions in cents, shop)
CARDS = [
    (FUNDED_HASH, PROGRAM, "DIGITAL", [2500], ids.SHOP_WEB),
    (SPENT_HASH, PROGRAM, "DIGITAL", [5000, -1250], ids.SHOP_AMSTERDAM),
    (EMPTY_HASH, PROGRAM, "DIGITAL", [2000, -2000], ids.SHOP_AMSTERDAM),
    (EXPIRED_HASH, PROGRAM, "DIGITAL", [1500], ids.SHOP_WEB),
    (NEW_HASH, PROGRAM, "DIGITAL", [], ids.SHOP_WEB),
    (PHYSICAL_HASH, PROGRAM, "PHYSICAL", [5000, 5000], ids.SHOP_AMSTERDAM),
    (CORPORATE_HASH, CORPORATE_PROGRAM, "DIGITAL", [20000], ids.SHOP_WEB),
]


def seed(tx: Tx) -> None:
    """The programs, then each card funded (and spent) through ``apply_transaction``, so balances add up."""
    tx.insert(
        gc.PROGRAM,
        {
            "name": "Bean There Gift Card",
            "active": True,
            "settles": 0,
            "expiration_days": 1825,
            "max_amount_in_cents": PROGRAM_MAX_IN_CENTS,
            "min_amount_in_cents": None,
            "calculator_flow": "DEFAULT",
        },
        uuid=PROGRAM,
    )
    tx.insert(
        gc.PROGRAM,
        {
            "name": "Corporate Gifts",
            "active": True,
            "settles": 0,
            "expiration_days": None,
            "max_amount_in_cents": None,
            "min_amount_in_cents": None,
            "calculator_flow": "DEFAULT",
        },
        uuid=CORPORATE_PROGRAM,
    )
    for card_hash, program_uuid, card_type, amounts, shop_uuid in CARDS:
        program = tx.get(gc.PROGRAM, program_uuid)
        shop = tx.get("shop", shop_uuid)
        assert program and shop
        expired = card_hash == EXPIRED_HASH
        card = gc.new_card(
            tx,
            program,
            uuid=ids.fixed("giftcard", card_hash),
            hash=card_hash,
            card_type=card_type,
            created_at="2019-01-01T10:00:00+00:00" if expired else SEED_TIME,
        )
        if expired:
            card["expiration_date"] = None  # funded while valid, expired below
        for amount in amounts:
            gc.apply_transaction(tx, card, shop, amount, created_at=card["created_at"])
        if expired:
            card["expiration_date"] = "2023-12-31T23:59:59+00:00"
            tx.put(gc.CARD, card)
