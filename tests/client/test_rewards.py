"""Rewards, reward attributes, collectable rewards and reward receptions through the client (sync and async)."""

from __future__ import annotations

import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.errors import InsufficientBalanceError, InvalidRequestError, NotFoundError
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.rewards import FREE_CAPPUCCINO, FREE_PASTRY, WEBSHOP_DISCOUNT


def _rich_contact(client: PiggyClient, email: str, credits: int) -> str:
    """A fresh contact with exactly ``credits`` credits, earned through a real credit reception."""
    uuid = client.contacts.create(email).uuid
    client.credit_receptions.create(contact_uuid=uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=credits)
    return uuid


def test_list_get_and_claimable_filter(client: PiggyClient, new_email: str) -> None:
    everything = client.rewards.list()
    assert {r.uuid for r in everything} >= {FREE_CAPPUCCINO, FREE_PASTRY, WEBSHOP_DISCOUNT}
    poor = _rich_contact(client, new_email, 100)
    claimable = {r.uuid for r in client.rewards.list(contact_uuid=poor)}
    assert FREE_PASTRY in claimable and FREE_CAPPUCCINO not in claimable  # 80 affordable, 120 not
    assert client.rewards.get(FREE_CAPPUCCINO).required_credits == 120
    with pytest.raises(NotFoundError) as caught:
        client.rewards.get(ids.fixed("reward", "nope"))
    assert caught.value.code == 6003


def test_claiming_spends_credits_and_reversing_refunds_them(client: PiggyClient, new_email: str) -> None:
    uuid = _rich_contact(client, new_email, 200)
    claim = client.reward_receptions.create(
        contact_uuid=uuid, reward_uuid=FREE_CAPPUCCINO, shop_uuid=ids.SHOP_AMSTERDAM
    )
    assert claim.type == "reward_reception" and claim.credits == -120 and claim.has_been_collected is False
    assert client.contacts.get_credit_balance(uuid).balance == 80
    refund = client.reward_receptions.reverse(claim.uuid)
    assert refund.type == "credit_reception" and refund.credits == 120
    assert client.contacts.get_credit_balance(uuid).balance == 200
    with pytest.raises(InvalidRequestError):
        client.reward_receptions.reverse(claim.uuid)  # a claim reverses once


def test_claiming_without_enough_credits_fails_with_1017(client: PiggyClient, new_email: str) -> None:
    uuid = _rich_contact(client, new_email, 10)
    with pytest.raises(InsufficientBalanceError) as caught:
        client.reward_receptions.create(contact_uuid=uuid, reward_uuid=FREE_CAPPUCCINO, shop_uuid=ids.SHOP_AMSTERDAM)
    assert caught.value.code == 1017 and caught.value.message == "Onvoldoende punten | Insufficient credits."
    assert client.contacts.get_credit_balance(uuid).balance == 10


def test_digital_rewards_yield_a_code(client: PiggyClient, new_email: str) -> None:
    uuid = _rich_contact(client, new_email, 300)
    claim = client.reward_receptions.create(contact_uuid=uuid, reward_uuid=WEBSHOP_DISCOUNT, shop_uuid=ids.SHOP_WEB)
    assert claim.type == "digital_reward_reception"
    assert claim.digital_reward_code and claim.digital_reward_code["code"]


def test_collect_and_reverse_a_pickup(client: PiggyClient, new_email: str) -> None:
    uuid = _rich_contact(client, new_email, 100)
    claim = client.reward_receptions.create(contact_uuid=uuid, reward_uuid=FREE_PASTRY, shop_uuid=ids.SHOP_AMSTERDAM)
    waiting = client.collectable_rewards.list(contact_uuid=uuid)
    assert [c.uuid for c in waiting] == [claim.uuid]
    collected = client.collectable_rewards.collect(claim.uuid)
    assert collected.has_been_collected and collected.status == "COLLECTED"
    assert client.collectable_rewards.list(contact_uuid=uuid) == []
    undone = client.collectable_rewards.reverse(claim.uuid)
    assert undone.status == "REVERSED" and not undone.has_been_collected


def test_update_reward_and_custom_attributes(client: PiggyClient) -> None:
    attribute = f"attr_{ids.fixed('x', 'y')[:6].replace('-', '')}"
    created = client.reward_attributes.create(name=attribute, label="Shelf", type="text")
    assert created.name == attribute
    assert attribute in {a.name for a in client.reward_attributes.list()}
    updated = client.rewards.update(FREE_PASTRY, description="Croissant or muffin", attributes={attribute: "B2"})
    assert updated.description == "Croissant or muffin"
    assert getattr(updated, attribute) == "B2"
    # Recorded (leat-openapi.yaml, Update Reward): a name that is no reward attribute is ignored, not an error.
    ignored = client.rewards.update(FREE_PASTRY, attributes={"no_such_attribute": 1})
    assert ignored.model_extra is not None and "no_such_attribute" not in ignored.model_extra
    assert getattr(ignored, attribute) == "B2"


async def test_async_claim_and_list(aclient: AsyncPiggyClient, client: PiggyClient, new_email: str) -> None:
    uuid = _rich_contact(client, new_email, 150)
    claim = await aclient.reward_receptions.create(
        contact_uuid=uuid, reward_uuid=FREE_PASTRY, shop_uuid=ids.SHOP_AMSTERDAM
    )
    assert claim.credits == -80
    assert [c.uuid for c in await aclient.collectable_rewards.list(contact_uuid=uuid)] == [claim.uuid]
    assert (await aclient.rewards.get(FREE_PASTRY)).title == "Free pastry"
    assert len(await aclient.rewards.list()) >= 5
    assert (await aclient.reward_receptions.reverse(claim.uuid)).credits == 80


def test_claiming_an_unknown_reward_is_6003_and_unknown_list_filters_fail(client: PiggyClient, new_email: str) -> None:
    uuid = _rich_contact(client, new_email, 500)
    with pytest.raises(NotFoundError) as caught:
        client.reward_receptions.create(
            contact_uuid=uuid, reward_uuid=ids.fixed("reward", "nope"), shop_uuid=ids.SHOP_AMSTERDAM
        )
    assert caught.value.code == 6003 and client.contacts.get_credit_balance(uuid).balance == 500
    with pytest.raises(NotFoundError) as no_contact:
        client.rewards.list(contact_uuid=ids.fixed("contact", "nobody"))
    assert no_contact.value.code == 55031
    with pytest.raises(NotFoundError) as no_shop:
        client.rewards.list(shop_uuid=ids.fixed("shop", "nowhere"))
    assert no_shop.value.code == 1008


def test_pickups_happen_once_and_only_for_physical_claims(client: PiggyClient, new_email: str) -> None:
    uuid = _rich_contact(client, new_email, 400)
    physical = client.reward_receptions.create(contact_uuid=uuid, reward_uuid=FREE_PASTRY, shop_uuid=ids.SHOP_WEB)
    with pytest.raises(InvalidRequestError):
        client.collectable_rewards.reverse(physical.uuid)  # not collected yet
    client.collectable_rewards.collect(physical.uuid)
    with pytest.raises(InvalidRequestError):
        client.collectable_rewards.collect(physical.uuid)
    digital = client.reward_receptions.create(contact_uuid=uuid, reward_uuid=WEBSHOP_DISCOUNT, shop_uuid=ids.SHOP_WEB)
    with pytest.raises(NotFoundError) as caught:
        client.collectable_rewards.collect(digital.uuid)
    assert caught.value.code == 6003


async def test_async_update_attributes_and_pickup(
    aclient: AsyncPiggyClient, client: PiggyClient, new_email: str
) -> None:
    name = f"shelf_{new_email[5:13]}"
    assert (await aclient.reward_attributes.create(name=name, label="Shelf", type="text")).name == name
    assert name in {a.name for a in await aclient.reward_attributes.list()}
    updated = await aclient.rewards.update(FREE_CAPPUCCINO, title="Free cappuccino", attributes={name: "A1"})
    assert getattr(updated, name) == "A1" and updated.required_credits == 120
    uuid = _rich_contact(client, new_email, 100)
    claim = await aclient.reward_receptions.create(contact_uuid=uuid, reward_uuid=FREE_PASTRY, shop_uuid=ids.SHOP_WEB)
    collected = await aclient.collectable_rewards.collect(claim.uuid)
    assert collected.status == "COLLECTED" and collected.has_been_collected
    assert (await aclient.collectable_rewards.reverse(claim.uuid)).status == "REVERSED"
    assert [c.uuid for c in await aclient.collectable_rewards.list(contact_uuid=uuid)] == [claim.uuid]
