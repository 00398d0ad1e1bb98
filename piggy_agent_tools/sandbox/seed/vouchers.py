"""Demo seed: promotion attributes, five promotions and vouchers in every state, under well-known codes.

Codes are constants so docs and tests can name them; tests that redeem create their own vouchers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from piggy_agent_tools.sandbox.domain.promotions import create_attribute, new_promotion
from piggy_agent_tools.sandbox.domain.vouchers import KIND, LOCK_DURATION, REDEMPTION_KIND, new_voucher
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.ids import fixed
from piggy_agent_tools.sandbox.store import Doc, Tx

SEED_TIME = "2025-01-15T10:00:00+00:00"
FAR_FUTURE = "2099-12-31T23:00:00+00:00"

PROMO_SPRING = fixed("promotion", "spring-10")  # 10% off, single use, 90 days
PROMO_FREE_COFFEE = fixed("promotion", "free-coffee")  # one per contact, 30 days
PROMO_COFFEE_CARD = fixed("promotion", "coffee-card")  # multi-use: 5 coffees per voucher
PROMO_SUMMER = fixed("promotion", "summer-terrace")  # inactive: its vouchers cannot be redeemed (80020)
PROMO_XMAS = fixed("promotion", "christmas-2024")  # ended 2024-12-31: its vouchers are expired

VOUCHER_SPRING = "SPRING-10-JANE"  # ACTIVE, Jane's
VOUCHER_SPRING_OPEN = "SPRING-10-OPEN"  # ACTIVE, no contact (redeem with contact_uuid)
VOUCHER_SPRING_LATER = "SPRING-10-LATER"  # INACTIVE: activates in 2099 (80014)
VOUCHER_SPRING_OFF = "SPRING-10-TOM-OFF"  # DEACTIVATED, Tom's (80012)
VOUCHER_COFFEE_TOM = "FREE-COFFEE-TOM"  # REDEEMED, Tom's (80005)
VOUCHER_COFFEE_LOCKED = "FREE-COFFEE-LOCKED"  # LOCKED at seed time (80017 without LOCKED_RELEASE_KEY)
VOUCHER_COFFEE_CARD = "COFFEE-CARD-JANE"  # multi-use, Jane's: 2 of 5 used
VOUCHER_SUMMER = "SUMMER-TERRACE-JANE"  # ACTIVE voucher of the inactive promotion (80020)
VOUCHER_XMAS = "XMAS-2024-JANE"  # EXPIRED (80006)
LOCKED_RELEASE_KEY = fixed("voucher_lock", "free-coffee-locked")
TOM_COFFEE_REDEMPTION = fixed("voucher_redemption", "free-coffee-tom")


def seed_promotion_attributes(tx: Tx) -> None:
    """``discount_pct`` (the docs example) and ``plu`` (the till's product code)."""
    create_attribute(
        tx,
        name="discount_pct",
        label="Discount %",
        type="number",
        description="Percentage off the order",
        placeholder="10",
        options=None,
    )
    create_attribute(
        tx, name="plu", label="PLU", type="text", description="Product code at the till", placeholder="", options=None
    )


def seed_promotions(tx: Tx) -> None:
    """Spring discount first (the promotion most examples use), then the others."""
    new_promotion(
        tx,
        uuid=PROMO_SPRING,
        name="Spring 10% off",
        description="10% off your next order",
        voucher_limit=5000,
        expiration_duration=90 * 86400,
        attributes={"discount_pct": "10"},
        created_at=SEED_TIME,
    )
    new_promotion(
        tx,
        uuid=PROMO_FREE_COFFEE,
        name="Free coffee",
        description="One free coffee of any size",
        voucher_limit=500,
        limit_per_contact=1,
        expiration_duration=30 * 86400,
        attributes={"plu": "COFFEE-FREE"},
        created_at=SEED_TIME,
    )
    new_promotion(
        tx,
        uuid=PROMO_COFFEE_CARD,
        name="Coffee card",
        description="Five coffees on one card",
        redemptions_per_voucher=5,
        attributes={"plu": "COFFEE-CARD"},
        created_at=SEED_TIME,
    )
    new_promotion(
        tx, uuid=PROMO_SUMMER, name="Summer terrace", description="Free lemonade", active=False, created_at=SEED_TIME
    )
    new_promotion(
        tx,
        uuid=PROMO_XMAS,
        name="Christmas 2024",
        description="A free gingerbread latte",
        valid_until="2024-12-31T23:00:00+00:00",
        created_at=SEED_TIME,
    )


def _voucher(
    tx: Tx,
    promotion: str,
    code: str,
    contact: str | None = None,
    *,
    activation_date: str = SEED_TIME,
    expiration_date: str = FAR_FUTURE,
    **fields: Any,
) -> Doc:
    """A seeded voucher with a fixed uuid; ``fields`` overwrite stored state (times redeemed, lock...)."""
    doc = new_voucher(
        tx,
        tx.get("promotion", promotion) or {},
        code=code,
        contact_uuid=contact,
        uuid=fixed("voucher", code),
        created_at=SEED_TIME,
        activation_date=activation_date,
        expiration_date=expiration_date,
        emit=False,
    )
    doc.update(fields)
    return tx.put(KIND, doc)


def seed_vouchers(tx: Tx) -> None:
    """One voucher per state; the lock is taken now (locks last one hour)."""
    _voucher(tx, PROMO_SPRING, VOUCHER_SPRING, ids.JANE)
    _voucher(tx, PROMO_SPRING, VOUCHER_SPRING_OPEN)
    _voucher(tx, PROMO_SPRING, VOUCHER_SPRING_LATER, ids.JANE, activation_date="2099-01-01T00:00:00+00:00")
    _voucher(tx, PROMO_SPRING, VOUCHER_SPRING_OFF, ids.TOM, state="DEACTIVATED")
    redeemed_at = "2025-02-01T09:30:00+00:00"
    tom = _voucher(tx, PROMO_FREE_COFFEE, VOUCHER_COFFEE_TOM, ids.TOM, times_redeemed=1, redeemed_at=redeemed_at)
    tx.insert(
        REDEMPTION_KIND,
        {
            "voucher_uuid": tom["uuid"],
            "contact_uuid": ids.TOM,
            "shop_uuid": ids.SHOP_AMSTERDAM,
            "created_at": redeemed_at,
            "reversed_at": None,
        },
        uuid=TOM_COFFEE_REDEMPTION,
    )
    now = datetime.now(UTC).replace(microsecond=0)
    lock = {
        "release_key": LOCKED_RELEASE_KEY,
        "locked_at": now.isoformat(),
        "unlocked_at": None,
        "system_release_at": (now + LOCK_DURATION).isoformat(),
    }
    _voucher(tx, PROMO_FREE_COFFEE, VOUCHER_COFFEE_LOCKED, lock=lock)
    card = _voucher(tx, PROMO_COFFEE_CARD, VOUCHER_COFFEE_CARD, ids.JANE, times_redeemed=2)
    for day in (3, 10):
        stamp = (datetime.fromisoformat(SEED_TIME) + timedelta(days=day)).isoformat()
        tx.insert(
            REDEMPTION_KIND,
            {
                "voucher_uuid": card["uuid"],
                "contact_uuid": ids.JANE,
                "shop_uuid": ids.SHOP_AMSTERDAM,
                "created_at": stamp,
                "reversed_at": None,
            },
        )
        card["redeemed_at"] = stamp
    tx.put(KIND, card)
    _voucher(tx, PROMO_SUMMER, VOUCHER_SUMMER, ids.JANE)
    _voucher(
        tx,
        PROMO_XMAS,
        VOUCHER_XMAS,
        ids.JANE,
        activation_date="2024-12-01T00:00:00+00:00",
        expiration_date="2024-12-31T23:00:00+00:00",
    )


def seed(tx: Tx) -> None:
    """Promotion attributes, promotions, then vouchers."""
    seed_promotion_attributes(tx)
    seed_promotions(tx)
    seed_vouchers(tx)
