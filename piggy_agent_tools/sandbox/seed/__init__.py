"""Seeds: ``demo`` (a small believable coffee-bar account, fixed ids) or ``empty`` (the account and program only).

Each area module adds its own demo data; they run in this order inside one transaction.
"""

from __future__ import annotations

from piggy_agent_tools.sandbox.seed import (
    attributes,
    automations,
    bookings,
    core,
    engagement,
    giftcards,
    identifiers,
    orders,
    prepaid,
    rewards,
    vouchers,
    webhooks,
)
from piggy_agent_tools.sandbox.store import Store

DEMO = [
    core,
    attributes,
    identifiers,
    rewards,
    vouchers,
    giftcards,
    prepaid,
    automations,
    orders,
    bookings,
    engagement,
    webhooks,
]
SEEDS = ("demo", "empty")


def apply_seed(store: Store, name: str) -> None:
    """Fill an empty store with the named seed."""
    if name not in SEEDS:
        raise ValueError(f"unknown seed {name!r}; choose one of {', '.join(SEEDS)}")
    if name == "empty":
        with store.tx() as tx:
            core.seed_account(tx)
        return
    with store.tx() as tx:
        for module in DEMO:
            module.seed(tx)
