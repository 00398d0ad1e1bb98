"""Fixed ids of the demo seed, so docs, tests and examples can name things. Derived with uuid5, never random."""

from __future__ import annotations

import uuid

_NAMESPACE = uuid.UUID("6a1f0c2e-9d1b-4c8e-a7a2-3f5e8b9c0d11")


def fixed(kind: str, name: str) -> str:
    """The deterministic uuid of a seeded object: ``fixed("contact", "jane")``."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{name}"))


SHOP_AMSTERDAM = fixed("shop", "amsterdam")
SHOP_WEB = fixed("shop", "web")
TIER_BRONZE = fixed("tier", "bronze")
TIER_SILVER = fixed("tier", "silver")
TIER_GOLD = fixed("tier", "gold")
UNIT_PURCHASE = fixed("unit", "purchase_amount")
UNIT_VISITS = fixed("unit", "visits")
JANE = fixed("contact", "jane")  # jane.doe@example.com, the hero of the docs
TOM = fixed("contact", "tom")  # tom.berg@example.com
ANON = fixed("contact", "anonymous")  # an anonymous contact waiting to be claimed
