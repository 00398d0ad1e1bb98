"""Demo seed: rewards (physical and digital, some with stock), collectable rewards and claimed rewards."""

from __future__ import annotations

from piggy_agent_tools.sandbox.store import Tx


def seed(tx: Tx) -> None:
    """Nothing seeded yet for this area."""
