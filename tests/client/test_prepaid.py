"""Prepaid transactions through the real client (sync and async) against the sandbox: create, list, reverse.

Balance rules (never negative, reversal once) are in tests/sandbox/test_money_rules.py.
"""

from __future__ import annotations

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import identifiers as seeded_ids
from piggy_agent_tools.sandbox.seed import ids, prepaid


def test_seeded_balance_is_the_sum_of_the_seeded_transactions(client: PiggyClient) -> None:
    listed = client.prepaid_transactions.list(contact_uuid=ids.fixed("contact", "sofia"))
    assert [t.amount_in_cents for t in listed.items][:2] == prepaid.TRANSACTIONS["sofia"]
    assert client.contacts.get_prepaid_balance(ids.fixed("contact", "sofia")).balance_in_cents == 6750


def test_top_up_then_pay_reports_the_balance_after_each(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    top_up = client.prepaid_transactions.create(
        contact_uuid=contact.uuid, amount_in_cents=5000, shop_uuid=ids.SHOP_AMSTERDAM
    )
    assert top_up.prepaid_balance is not None and top_up.prepaid_balance.balance_in_cents == 5000
    assert top_up.prepaid_balance.balance == "€50.00" and top_up.contact_identifier is None
    assert top_up.shop is not None and top_up.shop.uuid == ids.SHOP_AMSTERDAM and top_up.shop.reference == "AMS-01"
    pay = client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=-1000, shop_uuid=ids.SHOP_WEB)
    assert pay.amount_in_cents == -1000 and pay.prepaid_balance is not None
    assert pay.prepaid_balance.balance_in_cents == 4000
    assert client.contacts.get_prepaid_balance(contact.uuid).balance_in_cents == 4000


def test_a_contact_can_be_named_by_its_identifier(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    card = f"CARD-{new_email[5:17]}"
    client.contact_identifiers.create(card, contact_uuid=contact.uuid, contact_identifier_name="Loyalty card")
    done = client.prepaid_transactions.create(
        contact_identifier_value=card, amount_in_cents=1200, shop_uuid=ids.SHOP_WEB
    )
    assert done.contact_identifier is not None and done.contact_identifier.value == card
    assert client.contacts.get_prepaid_balance(contact.uuid).balance_in_cents == 1200


def test_unknown_or_inactive_identifier_is_refused(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as unknown:
        client.prepaid_transactions.create(
            contact_identifier_value="NO-SUCH-CARD", amount_in_cents=100, shop_uuid=ids.SHOP_WEB
        )
    with pytest.raises(ConflictError) as inactive:
        client.prepaid_transactions.create(
            contact_identifier_value=seeded_ids.INACTIVE_CARD, amount_in_cents=100, shop_uuid=ids.SHOP_WEB
        )
    assert unknown.value.code == 60003 and inactive.value.code == 60004


def test_unknown_contact_or_shop_is_not_found(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as contact:
        client.prepaid_transactions.create(
            contact_uuid=ids.fixed("contact", "nobody"), amount_in_cents=100, shop_uuid=ids.SHOP_WEB
        )
    with pytest.raises(NotFoundError) as shop:
        client.prepaid_transactions.create(
            contact_uuid=ids.JANE, amount_in_cents=100, shop_uuid=ids.fixed("shop", "nowhere")
        )
    assert contact.value.code == 55031 and shop.value.code == 1008


def test_neither_contact_nor_identifier_is_invalid_input(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.prepaid_transactions.create(amount_in_cents=100, shop_uuid=ids.SHOP_WEB)
    assert caught.value.code == 1003
    assert {"contact_uuid", "contact_identifier_value"} <= set(caught.value.errors)


def test_list_pages_by_contact_with_the_contact_on_each_item(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    for cents in (1000, -100, -200):
        client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=cents, shop_uuid=ids.SHOP_WEB)
    first = client.prepaid_transactions.list(contact_uuid=contact.uuid, limit=2)
    assert first.total == 3 and first.last_page == 2 and first.per_page == 2
    assert [t.amount_in_cents for t in first.items] == [1000, -100]
    assert all(t.contact is not None and t.contact.email == new_email for t in first.items)
    second = client.prepaid_transactions.list(contact_uuid=contact.uuid, limit=2, page=2)
    assert [t.amount_in_cents for t in second.items] == [-200]


def test_list_limit_above_30_is_invalid_input(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError):
        client.prepaid_transactions.list(limit=31)


def test_reverse_books_the_opposite_and_is_audited(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    top_up = client.prepaid_transactions.create(contact_uuid=contact.uuid, amount_in_cents=800, shop_uuid=ids.SHOP_WEB)
    reversal = client.prepaid_transactions.reverse(top_up.uuid)
    assert reversal.amount_in_cents == -800 and reversal.prepaid_balance is not None
    assert reversal.prepaid_balance.balance_in_cents == 0
    assert client.contacts.get_prepaid_balance(contact.uuid).balance_in_cents == 0
    rows = sandbox.audit("prepaid_transactions.reverse")
    assert rows[-1]["args"]["prepaid_transaction_uuid"] == top_up.uuid


async def test_async_client_creates_lists_and_reverses(aclient: AsyncPiggyClient, new_email: str) -> None:
    contact = await aclient.contacts.create(new_email)
    top_up = await aclient.prepaid_transactions.create(
        contact_uuid=contact.uuid, amount_in_cents=2500, shop_uuid=ids.SHOP_WEB
    )
    assert top_up.prepaid_balance is not None and top_up.prepaid_balance.balance_in_cents == 2500
    listed = await aclient.prepaid_transactions.list(contact_uuid=contact.uuid)
    assert [t.uuid for t in listed.items] == [top_up.uuid]
    reversal = await aclient.prepaid_transactions.reverse(top_up.uuid)
    assert reversal.amount_in_cents == -2500
    assert (await aclient.contacts.get_prepaid_balance(contact.uuid)).balance_in_cents == 0
