"""Contract tests for contact attribute definitions, subscription types and a contact's subscriptions
(sync and async clients against the running sandbox).
"""

from __future__ import annotations

import uuid

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InvalidRequestError
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.attributes import (
    SUBSCRIPTION_FUNCTIONAL,
    SUBSCRIPTION_MARKETING,
    SUBSCRIPTION_NEWSLETTER,
)


def test_contact_attributes_list_system_and_custom_definitions(client: PiggyClient) -> None:
    by_name = {a.name: a for a in client.contact_attributes.list()}
    assert by_name["email"].is_hard_read_only and by_name["email"].has_unique_value
    assert by_name["firstname"].is_piggy_defined and not by_name["firstname"].is_soft_read_only
    assert by_name["loyalty_balance"].is_soft_read_only
    drink = by_name["favourite_drink"]
    assert not drink.is_piggy_defined and drink.type == "select"
    assert [o.value for o in drink.options] == ["espresso", "cappuccino", "latte", "tea"]


def test_created_contact_attribute_can_be_set_on_a_contact(client: PiggyClient, new_email: str) -> None:
    name = f"cup_size_{uuid.uuid4().hex[:6]}"
    created = client.contact_attributes.create(
        name=name,
        label="Cup size",
        data_type="select",
        options=[{"label": "Small", "value": 1}, {"label": "Big", "value": 2}],
    )
    assert created.name == name and created.type == "select" and not created.is_piggy_defined
    assert [o.value for o in created.options] == ["1", "2"]  # values come back as strings, as recorded
    assert name in {a.name for a in client.contact_attributes.list()}
    ref = client.contacts.create(new_email)
    assert client.contacts.update(ref.uuid, attributes={name: "2"}).current_values[name] == "2"


async def test_async_client_contact_attributes_refuse_a_duplicate_with_60009(aclient: AsyncPiggyClient) -> None:
    assert any(a.name == "firstname" for a in await aclient.contact_attributes.list())
    with pytest.raises(ConflictError) as caught:
        await aclient.contact_attributes.create(name="firstname", label="First", data_type="text")
    assert caught.value.code == 60009


def test_contact_attribute_with_an_unknown_data_type_is_1003(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.contact_attributes.create(name="mood", label="Mood", data_type="feelings")
    assert "data_type" in caught.value.errors


def test_subscription_types_include_the_three_strategies(client: PiggyClient) -> None:
    types = {t.uuid: t.strategy for t in client.subscription_types.list()}
    assert types[SUBSCRIPTION_MARKETING] == "OPT_IN"
    assert types[SUBSCRIPTION_FUNCTIONAL] == "OPT_OUT"
    assert types[SUBSCRIPTION_NEWSLETTER] == "DOUBLE_OPT_IN"


async def test_async_client_lists_subscription_types(aclient: AsyncPiggyClient) -> None:
    assert {t.name for t in await aclient.subscription_types.list()} >= {"Marketing", "Functional"}


def test_subscribe_and_unsubscribe_show_in_the_contact(client: PiggyClient, new_email: str) -> None:
    ref = client.contacts.create(new_email)
    subscribed = client.contact_subscriptions.subscribe(ref.uuid, subscription_type_uuid=SUBSCRIPTION_MARKETING)
    assert subscribed.is_subscribed and subscribed.status == "SUBSCRIBED"
    listed = {
        s.subscription_type.uuid: s.status for s in client.contact_subscriptions.list(ref.uuid) if s.subscription_type
    }
    assert listed[SUBSCRIPTION_MARKETING] == "SUBSCRIBED"
    contact = client.contacts.get(ref.uuid)
    assert any(
        s.status == "SUBSCRIBED" and s.subscription_type and s.subscription_type.uuid == SUBSCRIPTION_MARKETING
        for s in contact.subscriptions
    )
    left = client.contact_subscriptions.unsubscribe(ref.uuid, subscription_type_uuid=SUBSCRIPTION_MARKETING)
    assert not left.is_subscribed and left.status == "UNSUBSCRIBED"


async def test_async_client_subscriptions(aclient: AsyncPiggyClient, new_email: str) -> None:
    ref = await aclient.contacts.create(new_email)
    pending = await aclient.contact_subscriptions.subscribe(ref.uuid, subscription_type_uuid=SUBSCRIPTION_NEWSLETTER)
    assert pending.status == "PENDING_CONFIRMATION" and not pending.is_subscribed
    gone = await aclient.contact_subscriptions.unsubscribe(ref.uuid, subscription_type_uuid=SUBSCRIPTION_NEWSLETTER)
    assert gone.status == "UNSUBSCRIBED"
    statuses = {
        s.subscription_type.uuid: s.status
        for s in await aclient.contact_subscriptions.list(ref.uuid)
        if s.subscription_type
    }
    assert statuses[SUBSCRIPTION_NEWSLETTER] == "UNSUBSCRIBED"


def test_subscribing_to_an_unknown_type_is_55030(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.contact_subscriptions.subscribe(ids.JANE, subscription_type_uuid=str(uuid.uuid4()))
    assert caught.value.code == 55030
