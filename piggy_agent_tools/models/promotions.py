"""Promotions (voucher campaigns) and promotion attribute definitions (promotions-vouchers.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class Promotion(PiggyModel):
    """A voucher campaign: its limits and validity. ``attributes`` maps promotion attribute names to values."""

    uuid: str
    name: str = ""
    description: str | None = None
    voucher_limit: int | None = None
    limit_per_contact: int | None = None
    expiration_duration: int | None = None
    type: str | None = None
    redemptions_per_voucher: int | None = None
    attributes: dict[str, Any] = {}


class PromotionAttributeOption(PiggyModel):
    """One choice of a select promotion attribute."""

    value: str | None = None
    label: str | None = None
    description: str | None = None
    media: Any = None


class PromotionAttribute(PiggyModel):
    """A custom field on promotions, addressed by its numeric ``id`` (not a uuid)."""

    id: int
    name: str
    label: str | None = None
    description: str | None = None
    placeholder: str | None = None
    type: str | None = None
    options: list[PromotionAttributeOption] = []
