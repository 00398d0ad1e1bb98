"""Demo seed: products, product categories and orders."""

from __future__ import annotations

from piggy_agent_tools.sandbox.store import Tx


def seed(tx: Tx) -> None:
    """Nothing seeded yet for this area."""
