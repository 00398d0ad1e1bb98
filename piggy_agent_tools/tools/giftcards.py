"""Gift-card tools: list, look up (by uuid or by the printed code), create, and move or reverse a card's balance."""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, StringConstraints, TypeAdapter, field_validator

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import Cents, Limit, PageNo, ShopUuid, Uuid
from piggy_agent_tools.tools._present import money, page_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.giftcards import Giftcard, GiftcardTransaction

_INT: TypeAdapter[int] = TypeAdapter(int)


def money_risk(args: dict[str, Any]) -> Risk:
    """A positive ``amount_in_cents`` adds value (write); zero or negative spends it (destructive).

    Missing or unparseable amounts raise (``KeyError`` / ``ValueError``), which ``ToolSpec.risk_of`` treats as
    destructive.
    """
    amount = _INT.validate_python(args["amount_in_cents"])
    return Risk.WRITE if amount > 0 else Risk.DESTRUCTIVE


def _expired(card: Giftcard) -> bool | None:
    if not card.expiration_date:
        return None
    try:
        expires = datetime.fromisoformat(card.expiration_date)
    except ValueError:
        return None
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return True if expires <= datetime.now(UTC) else None


def giftcard_summary(card: Giftcard) -> dict[str, Any]:
    """What an agent needs of a card: ids, balance (cents and euros), type, program, expiry, whether it is usable."""
    program = card.giftcard_program
    return {
        "uuid": card.uuid,
        "hash": card.hash,
        "balance_in_cents": card.amount_in_cents,
        "balance": money(card.amount_in_cents, card.display_amount),
        "type": card.type,
        "program": program.name if program else None,
        "program_uuid": program.uuid if program else None,
        "expires": card.formatted_expiration_date or (card.expiration_date or "")[:10] or None,
        "expired": _expired(card),
        "active": None if card.active else False,
        "can_top_up": card.upgradeable,
    }


def _recipient_contact(recipient: Any) -> str | None:
    """The contact uuid of a gift-card recipient, when its shape names one.

    Inferred (giftcards.md): every recorded card has ``giftcard_recipients: []``; the item shape is unknown, so
    ``{"contact": {"uuid"}}`` and ``{"contact_uuid"}`` are read and anything else counts as another contact.
    """
    if not isinstance(recipient, dict):
        return None
    contact = recipient.get("contact")
    if isinstance(contact, dict) and contact.get("uuid"):
        return str(contact["uuid"])
    return str(recipient["contact_uuid"]) if recipient.get("contact_uuid") else None


def card_in_scope(card: Giftcard, contact_uuid: str) -> bool:
    """An unlinked card is fine (the customer holds its code); a card linked to another contact is refused."""
    return all(_recipient_contact(r) == contact_uuid for r in card.giftcard_recipients)


GiftcardUuid = Annotated[Uuid, Field(description="The card's UUID (from find_giftcard).")]


class ListGiftcardsArgs(ArgsModel):
    giftcard_program_uuid: Uuid | None = Field(None, description="Only cards of this program.")
    page: PageNo = 1
    limit: Limit = 20


class GiftcardArgs(ArgsModel):
    giftcard_uuid: GiftcardUuid


class FindGiftcardArgs(ArgsModel):
    hash: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)] = Field(
        description="The code printed on the card or in its QR code."
    )

    @field_validator("hash")
    @classmethod
    def _upper(cls, value: str) -> str:
        # Inferred (giftcards.md, Giftcard object): the WordPress plugin upper-cases user input before the lookup.
        return value.upper()


class CreateGiftcardArgs(ArgsModel):
    giftcard_program_uuid: Uuid = Field(description="The program (a card's program_uuid).")


class GiftcardTransactionArgs(ArgsModel):
    giftcard_uuid: GiftcardUuid
    amount_in_cents: Cents = Field(description="Cents: positive adds value, negative spends.")
    shop_uuid: ShopUuid

    @field_validator("amount_in_cents")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("must not be 0")
        return value


class ReverseGiftcardTransactionArgs(ArgsModel):
    giftcard_transaction_uuid: Uuid = Field(description="The transaction_uuid to undo.")


class ListGiftcardTransactionsArgs(ArgsModel):
    giftcard_uuid: GiftcardUuid
    page: PageNo = 1
    limit: Limit = 20


class GiftcardTransactionLookupArgs(ArgsModel):
    giftcard_transaction_uuid: Uuid = Field(description="The transaction's uuid (from list_giftcard_transactions).")


def giftcard_transaction_summary(transaction: GiftcardTransaction) -> dict[str, Any]:
    """One booking on a card: amount (positive topped up, negative spent), type, shop and date."""
    return {
        "transaction_uuid": transaction.uuid,
        "giftcard_uuid": transaction.card.uuid if transaction.card else None,
        "amount_in_cents": transaction.amount_in_cents,
        "type": transaction.type,
        "shop": transaction.shop.name if transaction.shop else None,
        "created_at": transaction.created_at,
    }


def _create_transaction(client: Any, args: GiftcardTransactionArgs) -> Generator[Any, Any, Any]:
    """Read the card first (nothing can fail after the money moved), then book the transaction."""
    card = yield client.giftcards.get(args.giftcard_uuid)
    transaction = yield client.giftcard_transactions.create(
        giftcard_uuid=args.giftcard_uuid, amount_in_cents=args.amount_in_cents, shop_uuid=args.shop_uuid
    )
    return {"transaction": transaction, "giftcard": card}


def _reverse_transaction(client: Any, args: ReverseGiftcardTransactionArgs) -> Generator[Any, Any, Any]:
    """Read the transaction and its card first, then reverse (nothing can fail after the money moved)."""
    original = yield client.giftcard_transactions.get(args.giftcard_transaction_uuid)
    card = yield client.giftcards.get(original.card.uuid) if original.card and original.card.uuid else None
    reversal = yield client.giftcard_transactions.reverse(args.giftcard_transaction_uuid)
    return {"transaction": reversal, "giftcard": card, "reversed": original}


def _moved(result: dict[str, Any]) -> dict[str, Any]:
    """The transaction and the card's balance after it (the balance read before it plus the amount)."""
    transaction: GiftcardTransaction = result["transaction"]
    card: Giftcard | None = result["giftcard"]
    after = card.amount_in_cents + transaction.amount_in_cents if card else None
    return {
        "transaction_uuid": transaction.uuid,
        "giftcard_uuid": transaction.card.uuid if transaction.card else (card.uuid if card else None),
        "hash": card.hash if card else None,
        "amount_in_cents": transaction.amount_in_cents,
        "amount": money(transaction.amount_in_cents, card.display_amount if card else None),
        "balance_in_cents": after,
        "balance": money(after, card.display_amount if card else None),
    }


SPECS = [
    ToolSpec(
        name="list_giftcards",
        group="giftcards",
        title="List gift cards",
        description=(
            "List gift cards page by page, optionally of one program. Prefer find_giftcard when you have a "
            "card's code. Returns uuid, code, balance, program and expiry per card, and how to get more."
        ),
        args=ListGiftcardsArgs,
        call=lambda c, a: c.giftcards.list(giftcard_program_uuid=a.giftcard_program_uuid, page=a.page, limit=a.limit),
        present=lambda r, a: page_summary(r, [giftcard_summary(g) for g in r.items], "giftcards"),
        risk=Risk.READ,
        idempotent=True,
        scope="exclude",
    ),
    ToolSpec(
        name="get_giftcard",
        group="giftcards",
        title="Get gift card",
        description=(
            "Get one gift card by its uuid: code, balance, program, expiry and whether it can be topped up. Use "
            "find_giftcard when you only have the printed code."
        ),
        args=GiftcardArgs,
        call=lambda c, a: c.giftcards.get(a.giftcard_uuid),
        present=lambda r, a: giftcard_summary(r),
        risk=Risk.READ,
        idempotent=True,
        scope="exclude",
    ),
    ToolSpec(
        name="find_giftcard",
        group="giftcards",
        title="Find gift card by code",
        description=(
            "Find a gift card by the code printed on it or in its QR code; use this first when a customer asks "
            "about a gift card. Returns uuid, balance, expiry and whether it can be topped up."
        ),
        args=FindGiftcardArgs,
        call=lambda c, a: c.giftcards.find_by_hash(a.hash),
        present=lambda r, a: giftcard_summary(r),
        risk=Risk.READ,
        idempotent=True,
        check_scope=card_in_scope,
    ),
    ToolSpec(
        name="create_giftcard",
        group="giftcards",
        title="Create gift card",
        description=(
            "Create a new digital gift card in a program. It starts at €0.00 (Piggy takes no initial value); "
            "fund it with create_giftcard_transaction. Returns the card's uuid and code."
        ),
        args=CreateGiftcardArgs,
        call=lambda c, a: c.giftcards.create(a.giftcard_program_uuid),
        present=lambda r, a: {"created": True, **giftcard_summary(r)},
        risk=Risk.WRITE,
        scope="exclude",
    ),
    ToolSpec(
        name="create_giftcard_transaction",
        group="giftcards",
        title="Top up or spend gift card",
        description=(
            "Top up a gift card (positive amount) or pay with it (negative) at a shop. Fails if the balance is "
            "too low, the card expired or was topped up already. Returns the transaction and the new balance."
        ),
        args=GiftcardTransactionArgs,
        call=_create_transaction,
        present=lambda r, a: _moved(r),
        risk=Risk.DESTRUCTIVE,
        risk_by_args=money_risk,
        scope="exclude",
    ),
    ToolSpec(
        name="list_giftcard_transactions",
        group="giftcards",
        title="List gift-card transactions",
        description=(
            "List one gift card's transactions (top-ups positive, payments negative), newest first, page by page. "
            "Use it to explain a balance or to find the transaction to reverse (only the last one can be). Returns "
            "transaction_uuid, amount in cents, type, shop and date per transaction, and how to get more."
        ),
        args=ListGiftcardTransactionsArgs,
        call=lambda c, a: c.giftcard_transactions.list(
            giftcard_uuid=a.giftcard_uuid, page=a.page, limit=a.limit, sort="-created_at"
        ),
        present=lambda r, a: page_summary(r, [giftcard_transaction_summary(t) for t in r.items], "transactions"),
        risk=Risk.READ,
        idempotent=True,
        scope="exclude",
    ),
    ToolSpec(
        name="get_giftcard_transaction",
        group="giftcards",
        title="Get gift-card transaction",
        description=(
            "Get one gift-card transaction by its uuid: card, amount in cents (positive top-up, negative payment), "
            "type, shop and date."
        ),
        args=GiftcardTransactionLookupArgs,
        call=lambda c, a: c.giftcard_transactions.get(a.giftcard_transaction_uuid),
        present=lambda r, a: giftcard_transaction_summary(r),
        risk=Risk.READ,
        idempotent=True,
        scope="exclude",
    ),
    ToolSpec(
        name="reverse_giftcard_transaction",
        group="giftcards",
        title="Reverse gift-card transaction",
        description=(
            "Undo a gift-card transaction by booking the opposite amount. Only the card's last transaction can "
            "be reversed. Use it to correct a mistaken top-up or payment. Returns the new transaction and the "
            "card's balance."
        ),
        args=ReverseGiftcardTransactionArgs,
        call=_reverse_transaction,
        present=lambda r, a: {"reversed": a.giftcard_transaction_uuid, **_moved(r)},
        risk=Risk.DESTRUCTIVE,
        scope="exclude",
    ),
]
