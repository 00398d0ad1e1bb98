"""Loyalty core through the real clients (sync and async) against the running sandbox: shops, program, tiers,
units, credit receptions, loyalty transactions and their attributes."""

from __future__ import annotations

import uuid

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids


def _contact(client: PiggyClient, email: str, credits: int = 0) -> str:
    contact_uuid = client.contacts.create(email).uuid
    if credits:
        client.credit_receptions.create(contact_uuid=contact_uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=credits)
    return contact_uuid


# --- shops ---


def test_shops_list_returns_both_seeded_shops_in_list_form(client: PiggyClient) -> None:
    shops = {s.uuid: s for s in client.shops.list()}
    assert shops[ids.SHOP_AMSTERDAM].name == "Bean There Amsterdam"
    assert shops[ids.SHOP_AMSTERDAM].type == "physical" and shops[ids.SHOP_AMSTERDAM].reference == "AMS-01"
    assert shops[ids.SHOP_WEB].reference == "web-1"
    assert shops[ids.SHOP_WEB].address is None  # the list form has no address


def test_shop_get_returns_one_shop_and_unknown_is_1008(client: PiggyClient) -> None:
    assert client.shops.get(ids.SHOP_WEB).name == "Bean There Webshop"
    with pytest.raises(NotFoundError) as caught:
        client.shops.get(ids.fixed("shop", "nowhere"))
    assert caught.value.code == 1008 and "Shop not found." in str(caught.value)


async def test_async_shops_list_and_get(aclient: AsyncPiggyClient) -> None:
    shops = await aclient.shops.list()
    assert {s.uuid for s in shops} >= {ids.SHOP_AMSTERDAM, ids.SHOP_WEB}
    assert (await aclient.shops.get(ids.SHOP_AMSTERDAM)).reference == "AMS-01"


# --- program, tiers, units ---


def test_loyalty_program_names_the_credit_maximum_and_default_unit(client: PiggyClient) -> None:
    program = client.loyalty_program.get()
    assert program.name == "Bean There Rewards" and program.max_amount == 50000
    assert program.custom_credit_name == "Beans"
    assert program.unit is not None and program.unit.name == "purchase_amount" and program.unit.prefix == "€"


def test_tiers_are_listed_lowest_position_first(client: PiggyClient) -> None:
    tiers = client.tiers.list()
    assert [t.name for t in tiers][:3] == ["Bronze", "Silver", "Gold"]
    assert [t.position for t in tiers] == sorted(t.position or 0 for t in tiers)
    assert tiers[0].uuid == ids.TIER_BRONZE


def test_units_list_has_exactly_one_default(client: PiggyClient) -> None:
    units = client.units.list()
    assert {u.name for u in units} >= {"purchase_amount", "visits"}
    assert [u.name for u in units if u.is_default] == ["purchase_amount"]


def test_creating_a_unit_lists_it_and_a_duplicate_name_is_55045(client: PiggyClient) -> None:
    name = f"stamps_{uuid.uuid4().hex[:6]}"
    created = client.units.create(name=name, label="Stamps", prefix="S")
    assert created.name == name and created.label == "Stamps" and created.prefix == "S"
    assert created.is_default is False and created.id is not None
    assert name in {u.name for u in client.units.list()}
    with pytest.raises(ConflictError) as caught:
        client.units.create(name=name, label="Again")
    assert caught.value.code == 55045


async def test_async_program_tiers_and_units(aclient: AsyncPiggyClient) -> None:
    assert (await aclient.loyalty_program.get()).max_amount == 50000
    assert (await aclient.tiers.list())[0].name == "Bronze"
    name = f"cups_{uuid.uuid4().hex[:6]}"
    assert (await aclient.units.create(name=name, label="Cups")).name == name
    assert name in {u.name for u in await aclient.units.list()}


# --- credit receptions ---


def test_awarding_explicit_credits_raises_the_balance_and_echoes_the_reception(
    client: PiggyClient, new_email: str
) -> None:
    contact_uuid = _contact(client, new_email)
    reception = client.credit_receptions.create(contact_uuid=contact_uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=42)
    assert reception.type == "credit_reception" and reception.credits == 42
    assert reception.contact is not None and reception.contact.uuid == contact_uuid
    assert reception.contact.credit_balance == {"id": reception.contact.credit_balance["id"], "balance": 42}
    assert reception.shop is not None and reception.shop.uuid == ids.SHOP_AMSTERDAM and reception.shop.address
    assert reception.unit is not None and reception.unit.name == "purchase_amount"
    assert client.contacts.get_credit_balance(contact_uuid).balance == 42


def test_awarding_a_unit_value_applies_the_unit_rate(client: PiggyClient, new_email: str) -> None:
    contact_uuid = _contact(client, new_email)
    euros = client.credit_receptions.create(contact_uuid=contact_uuid, shop_uuid=ids.SHOP_WEB, unit_value=12.75)
    visits = client.credit_receptions.create(
        contact_uuid=contact_uuid, shop_uuid=ids.SHOP_WEB, unit_value=2, unit_name="visits"
    )
    assert euros.credits == 12 and euros.unit_value == 12.75  # 1 credit per euro, rounded down
    assert visits.credits == 20 and visits.unit is not None and visits.unit.name == "visits"  # 10 per visit
    assert client.contacts.get_credit_balance(contact_uuid).balance == 32


def test_reversing_a_reception_books_a_negated_one_and_restores_the_balance(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact_uuid = _contact(client, new_email, credits=10)
    award = client.credit_receptions.create(contact_uuid=contact_uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=25)
    reversal = client.credit_receptions.reverse(award.uuid)
    assert reversal.uuid != award.uuid and reversal.credits == -25
    assert client.contacts.get_credit_balance(contact_uuid).balance == 10
    assert any(
        row["args"].get("credit_reception_uuid") == award.uuid for row in sandbox.audit("credit_receptions.reverse")
    )


def test_calculate_answers_the_credits_without_booking_anything(client: PiggyClient, new_email: str) -> None:
    contact_uuid = _contact(client, new_email, credits=5)
    calc = client.credit_receptions.calculate(shop_uuid=ids.SHOP_AMSTERDAM, unit_value=3, unit_name="visits")
    assert calc.credits == 30
    assert client.credit_receptions.calculate(shop_uuid=ids.SHOP_AMSTERDAM, unit_value=9.99).credits == 9
    with_contact = client.credit_receptions.calculate(
        shop_uuid=ids.SHOP_AMSTERDAM, unit_value=10, contact_uuid=contact_uuid
    )
    assert with_contact.credits == 10
    assert client.contacts.get_credit_balance(contact_uuid).balance == 5
    page = client.loyalty_transactions.list(contact_uuid=contact_uuid)
    assert page.total == 1


def test_a_reception_without_credits_or_unit_value_is_1003(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.credit_receptions.create(contact_uuid=ids.TOM, shop_uuid=ids.SHOP_AMSTERDAM)
    assert caught.value.code == 1003 and caught.value.errors and "credits" in caught.value.errors


async def test_async_credit_receptions_create_reverse_calculate(aclient: AsyncPiggyClient, new_email: str) -> None:
    contact_uuid = (await aclient.contacts.create(new_email)).uuid
    award = await aclient.credit_receptions.create(contact_uuid=contact_uuid, shop_uuid=ids.SHOP_WEB, unit_value=7.5)
    assert award.credits == 7
    assert (await aclient.credit_receptions.calculate(shop_uuid=ids.SHOP_WEB, unit_value=7.5)).credits == 7
    assert (await aclient.credit_receptions.reverse(award.uuid)).credits == -7
    assert (await aclient.contacts.get_credit_balance(contact_uuid)).balance == 0


# --- loyalty transactions and attributes ---


def test_transactions_list_filters_by_contact_type_and_shop_newest_first(client: PiggyClient, new_email: str) -> None:
    contact_uuid = _contact(client, new_email)
    first = client.credit_receptions.create(contact_uuid=contact_uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=3)
    second = client.credit_receptions.create(contact_uuid=contact_uuid, shop_uuid=ids.SHOP_WEB, credits=4)
    page = client.loyalty_transactions.list(contact_uuid=contact_uuid, type="credit_receptions")
    assert [t.uuid for t in page.items] == [second.uuid, first.uuid]
    assert page.total == 2 and page.per_page == 10 and page.page == 1
    assert all(t.type == "credit_reception" for t in page.items)
    oldest_first = client.loyalty_transactions.list(contact_uuid=contact_uuid, sort="created_at")
    assert [t.uuid for t in oldest_first.items] == [first.uuid, second.uuid]
    web_only = client.loyalty_transactions.list(contact_uuid=contact_uuid, shop_uuid=ids.SHOP_WEB)
    assert [t.uuid for t in web_only.items] == [second.uuid]
    rewards_only = client.loyalty_transactions.list(contact_uuid=contact_uuid, type="reward_receptions")
    assert rewards_only.items == [] and rewards_only.total == 0


def test_transactions_list_includes_reward_receptions(client: PiggyClient) -> None:
    sofia = ids.fixed("contact", "sofia")  # the seed gave Sofia a claimed cappuccino
    page = client.loyalty_transactions.list(contact_uuid=sofia, type="reward_receptions")
    assert page.items and page.items[0].type == "reward_reception" and page.items[0].credits < 0
    assert page.items[0].reward is not None and page.items[0].reward["title"] == "Free cappuccino"


def test_transactions_list_filters_by_created_at_range_and_pages(client: PiggyClient) -> None:
    seeded = client.loyalty_transactions.list(
        contact_uuid=ids.JANE,
        type="credit_receptions",
        created_at={"gte": "2025-01-15T00:00:00+00:00", "lt": "2025-01-16T00:00:00+00:00"},
    )
    assert seeded.total == 2  # Jane's two seeded purchases (Amsterdam and web)
    pages = client.loyalty_transactions.list(contact_uuid=ids.JANE, limit=1, page=2)
    assert pages.page == 2 and pages.per_page == 1 and len(pages.items) == 1 and pages.last_page == pages.total


async def test_async_transactions_list(aclient: AsyncPiggyClient) -> None:
    page = await aclient.loyalty_transactions.list(contact_uuid=ids.JANE, limit=100)
    assert page.items and all(t.contact is not None and t.contact.uuid == ids.JANE for t in page.items)


def test_transaction_attributes_list_create_and_echo_on_receptions(client: PiggyClient, new_email: str) -> None:
    assert {"table_number", "barista"} <= {a.name for a in client.loyalty_transaction_attributes.list()}
    name = f"till_{uuid.uuid4().hex[:6]}"
    created = client.loyalty_transaction_attributes.create(
        name=name, data_type="select", label="Till", options={"a": "Till A", "b": "Till B"}
    )
    assert created.name == name and created.type == "select" and created.options == {"a": "Till A", "b": "Till B"}
    assert name in {a.name for a in client.loyalty_transaction_attributes.list()}
    with pytest.raises(ConflictError) as caught:
        client.loyalty_transaction_attributes.create(name=name, data_type="text")
    assert caught.value.code == 60009
    contact_uuid = _contact(client, new_email)
    reception = client.credit_receptions.create(
        contact_uuid=contact_uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=1, attributes={name: "b", "table_number": 7}
    )
    assert reception.model_extra is not None
    assert reception.model_extra[name] == "b" and reception.model_extra["table_number"] == 7
    listed = client.loyalty_transactions.list(contact_uuid=contact_uuid).items[0]
    assert listed.model_extra is not None and listed.model_extra["table_number"] == 7


async def test_async_transaction_attributes(aclient: AsyncPiggyClient) -> None:
    name = f"lane_{uuid.uuid4().hex[:6]}"
    assert (await aclient.loyalty_transaction_attributes.create(name=name, data_type="number")).type == "number"
    assert name in {a.name for a in await aclient.loyalty_transaction_attributes.list()}
