"""Money rules of gift cards and prepaid, enforced by the sandbox and seen through the real client.

Balances never go below zero or above the program maximum, even under concurrent requests; reversals are guarded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InsufficientBalanceError, InvalidRequestError
from piggy_agent_tools.models.giftcards import Giftcard
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import giftcards as seeded
from piggy_agent_tools.sandbox.seed import ids


def _card(client: PiggyClient, cents: int) -> Giftcard:
    """A new digital card of the demo program, funded once with ``cents`` (0 leaves it unfunded)."""
    card = client.giftcards.create(seeded.PROGRAM)
    if cents:
        client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=cents, shop_uuid=ids.SHOP_WEB)
    return client.giftcards.get(card.uuid)


def _spend(client: PiggyClient, card: Giftcard, cents: int) -> Callable[[], Any]:
    return lambda: client.giftcard_transactions.create(
        giftcard_uuid=card.uuid, amount_in_cents=-cents, shop_uuid=ids.SHOP_WEB
    )


def _count(client: PiggyClient, card: Giftcard) -> int | None:
    return client.giftcard_transactions.list(giftcard_uuid=card.uuid).total


# --- gift cards ---


def test_spending_more_than_the_card_holds_fails_with_5003_and_changes_nothing(client: PiggyClient) -> None:
    card = _card(client, 1000)
    with pytest.raises(InsufficientBalanceError) as caught:
        _spend(client, card, 1001)()
    assert caught.value.code == 5003
    assert "Insufficient amount on giftcard." in caught.value.message
    assert client.giftcards.get(card.uuid).amount_in_cents == 1000 and _count(client, card) == 1
    _spend(client, card, 1000)()
    assert client.giftcards.get(card.uuid).amount_in_cents == 0


def test_top_up_above_the_program_maximum_fails_with_5008(client: PiggyClient) -> None:
    card = _card(client, 0)
    with pytest.raises(InsufficientBalanceError) as caught:
        client.giftcard_transactions.create(
            giftcard_uuid=card.uuid, amount_in_cents=seeded.PROGRAM_MAX_IN_CENTS + 1, shop_uuid=ids.SHOP_WEB
        )
    assert caught.value.code == 5008 and client.giftcards.get(card.uuid).amount_in_cents == 0
    client.giftcard_transactions.create(
        giftcard_uuid=card.uuid, amount_in_cents=seeded.PROGRAM_MAX_IN_CENTS, shop_uuid=ids.SHOP_WEB
    )
    assert client.giftcards.get(card.uuid).amount_in_cents == seeded.PROGRAM_MAX_IN_CENTS


def test_physical_card_top_up_is_capped_by_the_maximum_too(client: PiggyClient) -> None:
    held = client.giftcards.get(seeded.PHYSICAL).amount_in_cents
    with pytest.raises(InsufficientBalanceError) as caught:
        client.giftcard_transactions.create(
            giftcard_uuid=seeded.PHYSICAL,
            amount_in_cents=seeded.PROGRAM_MAX_IN_CENTS - held + 1,
            shop_uuid=ids.SHOP_AMSTERDAM,
        )
    assert caught.value.code == 5008 and client.giftcards.get(seeded.PHYSICAL).amount_in_cents == held


def test_a_digital_card_is_topped_up_only_once_5006(client: PiggyClient) -> None:
    card = _card(client, 1000)
    assert card.upgradeable is False
    with pytest.raises(ConflictError) as caught:
        client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=100, shop_uuid=ids.SHOP_WEB)
    assert caught.value.code == 5006 and client.giftcards.get(card.uuid).amount_in_cents == 1000


def test_an_expired_card_cannot_be_used_5002(client: PiggyClient) -> None:
    expired = client.giftcards.get(seeded.EXPIRED)
    with pytest.raises(ConflictError) as caught:
        client.giftcard_transactions.create(giftcard_uuid=seeded.EXPIRED, amount_in_cents=-100, shop_uuid=ids.SHOP_WEB)
    assert caught.value.code == 5002
    assert client.giftcards.get(seeded.EXPIRED).amount_in_cents == expired.amount_in_cents == 1500


def test_unknown_card_5001_unknown_shop_1008_zero_amount_1003(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as card:
        client.giftcard_transactions.create(
            giftcard_uuid=ids.fixed("giftcard", "none"), amount_in_cents=-1, shop_uuid=ids.SHOP_WEB
        )
    with pytest.raises(NotFoundError) as shop:
        client.giftcard_transactions.create(
            giftcard_uuid=seeded.SPENT, amount_in_cents=-1, shop_uuid=ids.fixed("shop", "none")
        )
    with pytest.raises(InvalidRequestError) as zero:
        client.giftcard_transactions.create(giftcard_uuid=seeded.SPENT, amount_in_cents=0, shop_uuid=ids.SHOP_WEB)
    assert (card.value.code, shop.value.code, zero.value.code) == (5001, 1008, 1003)
    assert client.giftcards.get(seeded.SPENT).amount_in_cents == 3750


def test_only_the_cards_last_transaction_can_be_reversed_55025(client: PiggyClient) -> None:
    card = _card(client, 2000)
    first = _spend(client, card, 300)()
    _spend(client, card, 200)()
    with pytest.raises(ConflictError) as caught:
        client.giftcard_transactions.reverse(first.uuid)
    assert caught.value.code == 55025
    assert client.giftcards.get(card.uuid).amount_in_cents == 1500 and _count(client, card) == 3


def test_a_transaction_is_reversed_once_55025(client: PiggyClient) -> None:
    card = _card(client, 2000)
    spend = _spend(client, card, 500)()
    client.giftcard_transactions.reverse(spend.uuid)
    with pytest.raises(ConflictError) as caught:
        client.giftcard_transactions.reverse(spend.uuid)
    assert caught.value.code == 55025 and client.giftcards.get(card.uuid).amount_in_cents == 2000


def test_reversing_the_top_up_empties_the_card(client: PiggyClient) -> None:
    card = client.giftcards.create(seeded.PROGRAM)
    top_up = client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=900, shop_uuid=ids.SHOP_WEB)
    assert client.giftcard_transactions.reverse(top_up.uuid).amount_in_cents == -900
    assert client.giftcards.get(card.uuid).amount_in_cents == 0


async def test_concurrent_card_deductions_never_go_below_zero(client: PiggyClient, aclient: AsyncPiggyClient) -> None:
    card = _card(client, 1000)

    async def spend() -> object:
        return await aclient.giftcard_transactions.create(
            giftcard_uuid=card.uuid, amount_in_cents=-100, shop_uuid=ids.SHOP_WEB
        )

    results = await asyncio.gather(*(spend() for _ in range(25)), return_exceptions=True)
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(results) - len(refused) == 10
    assert all(isinstance(r, InsufficientBalanceError) and r.code == 5003 for r in refused)
    assert client.giftcards.get(card.uuid).amount_in_cents == 0
    assert _count(client, card) == 11


# --- prepaid ---


def test_prepaid_payment_beyond_the_balance_is_refused_and_changes_nothing(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=500, shop_uuid=ids.SHOP_WEB)
    with pytest.raises(InsufficientBalanceError) as caught:
        client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=-501, shop_uuid=ids.SHOP_WEB)
    assert caught.value.code == 1017
    assert client.contacts.get_prepaid_balance(contact.uuid).balance_in_cents == 500
    assert client.prepaid_transactions.list(contact_uuid=contact.uuid).total == 1


def test_prepaid_reversal_happens_once_and_never_reverses_a_reversal(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    pay_in = client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=700, shop_uuid=ids.SHOP_WEB)
    pay = client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=-200, shop_uuid=ids.SHOP_WEB)
    refund = client.prepaid_transactions.reverse(pay.uuid)
    assert refund.amount_in_cents == 200 and refund.prepaid_balance is not None
    assert refund.prepaid_balance.balance_in_cents == 700
    for again in (pay.uuid, refund.uuid):
        with pytest.raises(InvalidRequestError) as caught:
            client.prepaid_transactions.reverse(again)
        assert caught.value.code == 1003 and "prepaid_transaction_uuid" in caught.value.errors
    assert client.contacts.get_prepaid_balance(contact.uuid).balance_in_cents == 700
    assert pay_in.prepaid_balance is not None and pay_in.prepaid_balance.balance_in_cents == 700


def test_reversing_a_spent_top_up_cannot_overdraw(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    top_up = client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=500, shop_uuid=ids.SHOP_WEB)
    client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=-400, shop_uuid=ids.SHOP_WEB)
    with pytest.raises(InsufficientBalanceError) as caught:
        client.prepaid_transactions.reverse(top_up.uuid)
    assert caught.value.code == 1017
    assert client.contacts.get_prepaid_balance(contact.uuid).balance_in_cents == 100


def test_reversing_an_unknown_prepaid_transaction_fails_with_60013(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.prepaid_transactions.reverse(ids.fixed("prepaid_transaction", "none"))
    assert caught.value.code == 60013


async def test_concurrent_prepaid_payments_never_go_below_zero(
    client: PiggyClient, aclient: AsyncPiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email)
    client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=600, shop_uuid=ids.SHOP_WEB)

    async def pay() -> object:
        return await aclient.prepaid_transactions.create(
            contact_uuid=contact.uuid, amount_in_cents=-100, shop_uuid=ids.SHOP_WEB
        )

    results = await asyncio.gather(*(pay() for _ in range(15)), return_exceptions=True)
    assert sum(not isinstance(r, BaseException) for r in results) == 6
    assert client.contacts.get_prepaid_balance(contact.uuid).balance_in_cents == 0


# --- webhook events ---


def test_money_and_identifier_writes_emit_their_webhook_events(fresh_sandbox: Sandbox) -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    fresh_sandbox.store.add_listener(lambda kind, payload: events.append((kind, payload)))
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as client:
        card = client.giftcards.create(seeded.PROGRAM)
        gift = client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=500, shop_uuid=ids.SHOP_WEB)
        paid = client.prepaid_transactions.create(contact_uuid=ids.JANE, amount_in_cents=300, shop_uuid=ids.SHOP_WEB)
        client.contact_identifiers.create("CARD-EVENT-1", contact_uuid=ids.TOM)
        with pytest.raises(InsufficientBalanceError):
            client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=-501, shop_uuid=ids.SHOP_WEB)
    by_type = {kind: payload for kind, payload in events}
    assert by_type["giftcard_transaction_created"]["giftcard_transaction"]["uuid"] == gift.uuid
    assert by_type["prepaid_transaction_created"]["prepaid_transaction"]["uuid"] == paid.uuid
    assert by_type["prepaid_transaction_created"]["prepaid_transaction"]["contact"]["uuid"] == ids.JANE
    identifier = by_type["contact_identifier_created"]["contact_identifier"]
    assert identifier["value"] == "CARD-EVENT-1" and identifier["contact"]["uuid"] == ids.TOM
    assert [kind for kind, _ in events].count("giftcard_transaction_created") == 1  # the refused spend emits nothing
