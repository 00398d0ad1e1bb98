"""Prepaid transactions (prepaid.md): a contact's wallet in integer cents; the balance after each transaction."""

from __future__ import annotations

from piggy_agent_tools.models._base import PiggyModel
from piggy_agent_tools.models.contacts import PrepaidBalance


class PrepaidShop(PiggyModel):
    id: int | None = None
    uuid: str | None = None
    reference: str | None = None
    name: str | None = None


class PrepaidIdentifier(PiggyModel):
    """The contact identifier used for the transaction, if any."""

    name: str | None = None
    value: str
    active: bool = True


class PrepaidContact(PiggyModel):
    uuid: str
    email: str | None = None


class PrepaidTransaction(PiggyModel):
    """A top-up (positive) or payment (negative); ``prepaid_balance`` is the balance after it.

    ``contact`` is present in list items only.
    """

    uuid: str
    amount_in_cents: int
    prepaid_balance: PrepaidBalance | None = None
    created_at: str | None = None
    shop: PrepaidShop | None = None
    contact_identifier: PrepaidIdentifier | None = None
    contact: PrepaidContact | None = None
