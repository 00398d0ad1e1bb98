"""Contract tests for the contact lifecycle calls (async create, anonymous, claim, merge, batch, identifiers),
through the real sync and async clients against the running sandbox.
"""

from __future__ import annotations

import uuid

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.attributes import SUBSCRIPTION_MARKETING


def _identifier(sandbox: Sandbox, *, contact_uuid: str | None = None, active: bool = True) -> str:
    """Store a contact identifier the way the identifiers area does (that area's routes are not under test)."""
    value = f"CARD-{uuid.uuid4().hex[:10]}"
    with sandbox.store.tx() as tx:
        tx.insert(
            "contact_identifier",
            {"name": "Loyalty card", "value": value, "active": active, "default": True, "contact_uuid": contact_uuid},
        )
    return value


def test_create_async_returns_only_the_uuid_of_a_stored_contact(client: PiggyClient, new_email: str) -> None:
    ref = client.contacts.create_async(new_email)
    assert client.contacts.get(ref.uuid).email == new_email
    with pytest.raises(ConflictError) as caught:
        client.contacts.create_async(new_email)
    assert caught.value.code == 60005


async def test_async_client_create_async(aclient: AsyncPiggyClient, new_email: str) -> None:
    ref = await aclient.contacts.create_async(new_email)
    assert (await aclient.contacts.get(ref.uuid)).email == new_email


def test_find_or_create_async_creates_once_then_finds(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    first = client.contacts.find_or_create_async(new_email)
    again = client.contacts.find_or_create_async(new_email)
    assert first.uuid == again.uuid
    created = [r for r in sandbox.audit("contacts.find_or_create_async") if r["args"].get("email") == new_email]
    assert len(created) == 1


async def test_async_client_find_or_create_async(aclient: AsyncPiggyClient) -> None:
    ref = await aclient.contacts.find_or_create_async("jane.doe@example.com")
    assert ref.uuid == ids.JANE


def test_anonymous_contact_is_anonymous_with_a_fictitious_email(client: PiggyClient) -> None:
    ref = client.contacts.create_anonymous()
    contact = client.contacts.get(ref.uuid)
    assert contact.current_values["is_anonymous"] is True
    assert contact.email.endswith("@anonymous.piggy.eu")


async def test_async_client_create_anonymous_links_an_identifier(aclient: AsyncPiggyClient, sandbox: Sandbox) -> None:
    value = _identifier(sandbox)
    ref = await aclient.contacts.create_anonymous(contact_identifier_value=value)
    identifiers = await aclient.contacts.list_identifiers(ref.uuid)
    assert [(i.value, i.contact.uuid if i.contact else None) for i in identifiers] == [(value, ref.uuid)]


def test_claim_gives_the_anonymous_contact_its_email(client: PiggyClient, new_email: str) -> None:
    ref = client.contacts.create_anonymous()
    claimed = client.contacts.claim(ref.uuid, email=new_email)
    assert claimed.uuid == ref.uuid and claimed.email == new_email
    assert claimed.current_values["is_anonymous"] is False
    assert client.contacts.find_by_email(new_email).uuid == ref.uuid


async def test_async_client_claim_refuses_a_known_contact_with_60016(aclient: AsyncPiggyClient, new_email: str) -> None:
    with pytest.raises(ConflictError) as caught:
        await aclient.contacts.claim(ids.TOM, email=new_email)
    assert caught.value.code == 60016


def test_merge_removes_the_source(client: PiggyClient, new_email: str) -> None:
    source = client.contacts.create(new_email)
    destination = client.contacts.create(f"dest-{new_email}")
    assert client.contacts.merge(source_contact_uuid=source.uuid, destination_contact_uuid=destination.uuid) is None
    with pytest.raises(NotFoundError):
        client.contacts.get(source.uuid)
    assert client.contacts.get(destination.uuid).uuid == destination.uuid


async def test_async_client_merge_of_unknown_contact_is_55031(aclient: AsyncPiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await aclient.contacts.merge(source_contact_uuid=str(uuid.uuid4()), destination_contact_uuid=ids.JANE)
    assert caught.value.code == 55031


def test_batch_creates_contacts_with_attributes_and_subscriptions(client: PiggyClient, new_email: str) -> None:
    results = client.contacts.batch(
        [
            {
                "email": new_email,
                "custom_attributes": [
                    {"name": "firstname", "value": "Sam"},
                    {"name": "favourite_drink", "value": "tea"},
                ],
                "subscription_types": [{"uuid": SUBSCRIPTION_MARKETING, "enroll": True}],
            }
        ]
    )
    assert [(r.email, r.created) for r in results] == [(new_email, True)]
    contact = client.contacts.get(results[0].uuid)
    assert contact.current_values["firstname"] == "Sam"
    assert contact.current_values["favourite_drink"] == "tea"
    marketing = next(
        s for s in contact.subscriptions if s.subscription_type and s.subscription_type.uuid == SUBSCRIPTION_MARKETING
    )
    assert marketing.status == "SUBSCRIBED"


async def test_async_client_batch_updates_an_existing_contact(aclient: AsyncPiggyClient, new_email: str) -> None:
    ref = await aclient.contacts.create(new_email)
    results = await aclient.contacts.batch(
        [{"email": new_email, "custom_attributes": [{"name": "lastname", "value": "Lee"}]}]
    )
    assert [(r.uuid, r.created) for r in results] == [(ref.uuid, False)]
    assert (await aclient.contacts.get(ref.uuid)).current_values["lastname"] == "Lee"


def test_batch_with_an_unknown_attribute_writes_nothing(client: PiggyClient, new_email: str) -> None:
    items = [
        {"email": new_email},
        {"email": f"b-{new_email}", "custom_attributes": [{"name": "shoe_size", "value": 9}]},
    ]
    with pytest.raises(InvalidRequestError) as caught:
        client.contacts.batch(items)
    assert "contacts.1.custom_attributes.shoe_size" in caught.value.errors
    with pytest.raises(NotFoundError):
        client.contacts.find_by_email(new_email)


def test_list_identifiers_shows_only_the_contacts_own(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    ref = client.contacts.create(new_email)
    value = _identifier(sandbox, contact_uuid=ref.uuid)
    _identifier(sandbox, contact_uuid=ids.TOM)
    identifiers = client.contacts.list_identifiers(ref.uuid)
    assert [(i.name, i.value, i.active, i.default) for i in identifiers] == [("Loyalty card", value, True, True)]


async def test_async_client_list_identifiers_of_unknown_contact_is_55031(aclient: AsyncPiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await aclient.contacts.list_identifiers(str(uuid.uuid4()))
    assert caught.value.code == 55031
