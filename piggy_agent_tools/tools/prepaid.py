"""Prepaid tools: a customer's prepaid wallet in cents, its balance, its history, top-ups and payments."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from piggy_agent_tools.models.prepaid import PrepaidTransaction
from piggy_agent_tools.tools._fields import Cents, ContactUuid, PageNo, ShopUuid
from piggy_agent_tools.tools._present import euros, page_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec
from piggy_agent_tools.tools.giftcards import money_risk


def prepaid_transaction_summary(transaction: PrepaidTransaction) -> dict[str, Any]:
    """One transaction: amount and the balance after it, both in cents and euros, with date and shop."""
    after = transaction.prepaid_balance.balance_in_cents if transaction.prepaid_balance else None
    return {
        "transaction_uuid": transaction.uuid,
        "amount_in_cents": transaction.amount_in_cents,
        "amount": euros(transaction.amount_in_cents),
        "balance_in_cents": after,
        "balance": euros(after),
        "created_at": transaction.created_at,
        "shop": transaction.shop.name if transaction.shop else None,
    }


class ContactArgs(BaseModel):
    contact_uuid: ContactUuid


class ListPrepaidArgs(BaseModel):
    contact_uuid: ContactUuid
    page: PageNo = 1
    # Piggy allows at most 30 prepaid transactions per page (prepaid.md, List).
    limit: Annotated[int, Field(ge=1, le=30)] = Field(20, description="Items per page, at most 30.")


class PrepaidTransactionArgs(BaseModel):
    contact_uuid: ContactUuid
    amount_in_cents: Cents = Field(description="Cents: positive tops up, negative pays.")
    shop_uuid: ShopUuid

    @field_validator("amount_in_cents")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("must not be 0")
        return value


SPECS = [
    ToolSpec(
        name="get_prepaid_balance",
        group="prepaid",
        title="Get prepaid balance",
        description=(
            "Get a customer's prepaid wallet balance (money they paid in advance, not loyalty credits or gift "
            "cards). Returns the balance in cents and as euros."
        ),
        args=ContactArgs,
        call=lambda c, a: c.contacts.get_prepaid_balance(a.contact_uuid),
        present=lambda r, a: {
            "contact_uuid": a.contact_uuid,
            "balance_in_cents": r.balance_in_cents,
            "balance": euros(r.balance_in_cents),
        },
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="list_prepaid_transactions",
        group="prepaid",
        title="List prepaid transactions",
        description=(
            "List a customer's prepaid top-ups and payments, oldest first, page by page. Use it to explain a "
            "prepaid balance. Returns each transaction's uuid, amount, balance after it, date and shop."
        ),
        args=ListPrepaidArgs,
        call=lambda c, a: c.prepaid_transactions.list(contact_uuid=a.contact_uuid, page=a.page, limit=a.limit),
        present=lambda r, a: page_summary(r, [prepaid_transaction_summary(t) for t in r.items], "transactions"),
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="create_prepaid_transaction",
        group="prepaid",
        title="Top up or pay with prepaid",
        description=(
            "Top up a customer's prepaid balance (positive amount) or pay from it (negative amount) at a shop. "
            "The balance cannot go below zero. Returns the transaction uuid and the new balance."
        ),
        args=PrepaidTransactionArgs,
        call=lambda c, a: c.prepaid_transactions.create(
            contact_uuid=a.contact_uuid, amount_in_cents=a.amount_in_cents, shop_uuid=a.shop_uuid
        ),
        present=lambda r, a: prepaid_transaction_summary(r),
        risk=Risk.DESTRUCTIVE,
        risk_by_args=money_risk,
    ),
]
