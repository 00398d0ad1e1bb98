"""Contact, its balances and tier (contacts.md §1), plus its identifiers list and batch-import results (§2)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel
from piggy_agent_tools.models.subscriptions import Subscription


class CreditBalance(PiggyModel):
    balance: int = 0


class PrepaidBalance(PiggyModel):
    balance_in_cents: int = 0
    balance: str | None = None


class Tier(PiggyModel):
    uuid: str | None = None
    name: str | None = None
    description: str | None = None
    position: int | None = None
    media: Any = None


class Contact(PiggyModel):
    """A contact (customer). Profile values are in ``current_values`` keyed by attribute name."""

    uuid: str
    id: int | None = None
    email: str = ""
    tier: Tier | None = None
    subscriptions: list[Subscription] = []
    credit_balance: CreditBalance | None = None
    prepaid_balance: PrepaidBalance | None = None
    current_values: dict[str, Any] = {}
    current_display_values: dict[str, Any] = {}


class ContactRef(PiggyModel):
    """What create, async create and anonymous create return: only the uuid."""

    uuid: str


class ContactIdentifierItem(PiggyModel):
    """One of a contact's identifiers (card, QR code...) as ``contacts.list_identifiers`` returns it."""

    name: str | None = None
    value: str
    active: bool = True
    default: bool = False
    contact: ContactRef | None = None


class BatchContactResult(PiggyModel):
    """One imported contact. Inferred shape: the real batch response was never recorded (contacts.md §2.17)."""

    uuid: str
    email: str = ""
    created: bool | None = None
