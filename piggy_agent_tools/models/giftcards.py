"""Gift-card programs, gift cards and gift-card transactions (giftcards.md). Amounts are integer cents.

A card's balance is ``amount_in_cents`` (``amount`` in major units, ``display_amount`` formatted); there is no
``balance`` field on a gift card.
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class GiftcardProgram(PiggyModel):
    """A gift-card program: its maximum card balance and how long cards stay valid."""

    uuid: str
    id: int | None = None
    name: str = ""
    active: bool = True
    card_count: int | None = None
    settles: int | None = None
    expiration_days: int | None = None
    max_amount_in_cents: int | None = None
    min_amount_in_cents: int | None = None
    calculator_flow: str | None = None


class Giftcard(PiggyModel):
    """An anonymous stored-value card found by its ``hash`` (the code on the card / QR)."""

    uuid: str
    id: int | None = None
    hash: str = ""
    type: str | None = None
    active: bool = True
    upgradeable: bool | None = None
    amount_in_cents: int = 0
    amount: float | None = None
    display_amount: str | None = None
    expiration_date: str | None = None
    formatted_expiration_date: str | None = None
    url: str | None = None
    giftcard_program: GiftcardProgram | None = None
    giftcard_recipients: list[Any] = []


class GiftcardRef(PiggyModel):
    """The card as embedded in a transaction: ``{id, uuid}``."""

    id: int | None = None
    uuid: str | None = None


class GiftcardShop(PiggyModel):
    id: int | None = None
    uuid: str | None = None
    name: str | None = None


class GiftcardTransaction(PiggyModel):
    """One balance change: positive tops up, negative spends (``amount_in_cents``)."""

    uuid: str | None = None
    id: int | None = None
    amount_in_cents: int
    type: str | None = None
    settled: bool | None = None
    card: GiftcardRef | None = None
    shop: GiftcardShop | None = None
    settlements: list[Any] = []
    created_at: str | None = None
