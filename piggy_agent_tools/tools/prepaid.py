"""Prepaid tools: a customer's prepaid wallet in cents, its balance, its history, top-ups and payments."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, field_validator

from piggy_agent_tools.errors import NotFoundError
from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import Cents, ContactUuid, PageNo, ShopUuid, Uuid
from piggy_agent_tools.tools._present import money, page_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec
from piggy_agent_tools.tools.giftcards import money_risk

if TYPE_CHECKING:
    from piggy_agent_tools.models.prepaid import PrepaidTransaction


def prepaid_transaction_summary(transaction: PrepaidTransaction) -> dict[str, Any]:
    """One transaction: amount and the balance after it, both in cents and euros, with date and shop."""
    after = transaction.prepaid_balance.balance_in_cents if transaction.prepaid_balance else None
    like = transaction.prepaid_balance.balance if transaction.prepaid_balance else None
    return {
        "transaction_uuid": transaction.uuid,
        "amount_in_cents": transaction.amount_in_cents,
        "amount": money(transaction.amount_in_cents, like),
        "balance_in_cents": after,
        "balance": money(after, like),
        "created_at": transaction.created_at,
        "shop": transaction.shop.name if transaction.shop else None,
    }


class ContactArgs(ArgsModel):
    contact_uuid: ContactUuid


class ListPrepaidArgs(ArgsModel):
    contact_uuid: ContactUuid
    page: PageNo = 1
    # Piggy allows at most 30 prepaid transactions per page (prepaid.md, List).
    limit: Annotated[int, Field(ge=1, le=30)] = Field(20, description="Items per page, at most 30.")


class PrepaidTransactionArgs(ArgsModel):
    contact_uuid: ContactUuid
    amount_in_cents: Cents = Field(description="Cents: positive tops up, negative pays.")
    shop_uuid: ShopUuid

    @field_validator("amount_in_cents")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("must not be 0")
        return value


class ReversePrepaidArgs(ArgsModel):
    prepaid_transaction_uuid: Uuid = Field(description="The transaction to undo (from list_prepaid_transactions).")
    contact_uuid: ContactUuid = Field(description="Whose wallet it is; refused unless the transaction is theirs.")


PER_PAGE = 30  # Piggy's maximum page size for prepaid transactions (prepaid.md, List)


def _reverse_prepaid(client: Any, args: ReversePrepaidArgs) -> Generator[Any, Any, Any]:
    """Check the transaction is in the named customer's wallet (every page), then book the opposite amount."""
    page_no = 1
    while True:
        page = yield client.prepaid_transactions.list(contact_uuid=args.contact_uuid, page=page_no, limit=PER_PAGE)
        if any(t.uuid == args.prepaid_transaction_uuid for t in page.items):
            break
        if not page.has_more or page_no >= 3000:
            raise NotFoundError("This prepaid transaction is not in the customer's wallet.")
        page_no += 1
    reversal = yield client.prepaid_transactions.reverse(args.prepaid_transaction_uuid)
    return reversal


SPECS = [
    ToolSpec(
        name="get_prepaid_balance",
        group="prepaid",
        title="Get prepaid balance",
        description=(
            "Get a customer's prepaid wallet balance (money they paid in advance, not loyalty credits or gift "
            "cards). Returns the balance in cents and as money in the account's currency."
        ),
        args=ContactArgs,
        call=lambda c, a: c.contacts.get_prepaid_balance(a.contact_uuid),
        present=lambda r, a: {
            "contact_uuid": a.contact_uuid,
            "balance_in_cents": r.balance_in_cents,
            "balance": money(r.balance_in_cents, r.balance),
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
    ToolSpec(
        name="reverse_prepaid_transaction",
        group="prepaid",
        title="Reverse prepaid transaction",
        description=(
            "Undo a prepaid top-up or payment by booking the opposite amount, e.g. a payment made by mistake. "
            "Refused if the transaction is not this customer's, or if undoing a top-up would take the balance "
            "below zero. Returns the new transaction and the balance after it."
        ),
        args=ReversePrepaidArgs,
        call=_reverse_prepaid,
        present=lambda r, a: {"reversed": a.prepaid_transaction_uuid, **prepaid_transaction_summary(r)},
        risk=Risk.DESTRUCTIVE,
    ),
]
