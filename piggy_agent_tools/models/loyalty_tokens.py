"""What claiming a loyalty token returns: the Credit Reception it created (loyalty-tokens.md, Claim)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class ClaimedCredits(PiggyModel):
    """The Credit Reception created by a claim: ``credits`` earned and the contact's balance after it."""

    uuid: str
    type: str | None = None
    credits: int = 0
    unit_value: float | None = None
    unit: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None
    shop: dict[str, Any] | None = None
    contact_identifier: Any = None
    created_at: str | None = None
