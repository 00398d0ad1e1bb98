"""Contact identifiers through the real client (sync and async): find, create, link, unlink, update, delete.

Covers the uniqueness and link-state rules (60006, 60014, 60011, 60003, 60004) and the created event.
"""

from __future__ import annotations

import uuid

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import identifiers as seeded
from piggy_agent_tools.sandbox.seed import ids


@pytest.fixture
def value() -> str:
    """A unique identifier value for this test."""
    return f"CARD-{uuid.uuid4().hex[:10].upper()}"


def test_find_returns_the_linked_contact(client: PiggyClient) -> None:
    card = client.contact_identifiers.find(seeded.JANE_CARD)
    assert card.name == "Loyalty card" and card.active is True
    assert card.contact is not None and card.contact.uuid == ids.JANE and card.contact.email == "jane.doe@example.com"
    assert client.contact_identifiers.find(seeded.UNLINKED_CARD).contact is None


def test_find_unknown_is_60003_and_inactive_is_60004(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as unknown:
        client.contact_identifiers.find("NO-SUCH-CARD")
    with pytest.raises(ConflictError) as inactive:
        client.contact_identifiers.find(seeded.INACTIVE_CARD)
    assert unknown.value.code == 60003 and inactive.value.code == 60004


def test_create_unlinked_defaults_the_name_to_the_value(client: PiggyClient, value: str) -> None:
    created = client.contact_identifiers.create(value)
    assert created.name == value and created.value == value and created.contact is None
    assert client.contact_identifiers.find(value).contact is None


def test_create_linked_shows_up_in_the_contacts_identifiers(client: PiggyClient, value: str, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    created = client.contact_identifiers.create(value, contact_uuid=contact.uuid, contact_identifier_name="QR")
    assert created.name == "QR" and created.contact is not None and created.contact.uuid == contact.uuid
    listed = client.contacts.list_identifiers(contact.uuid)
    assert [(i.value, i.default) for i in listed] == [(value, True)]


def test_values_are_unique_with_60006(client: PiggyClient, value: str) -> None:
    client.contact_identifiers.create(value)
    with pytest.raises(ConflictError) as caught:
        client.contact_identifiers.create(value, contact_identifier_name="again")
    assert caught.value.code == 60006


def test_create_for_an_unknown_contact_is_55031_and_creates_nothing(client: PiggyClient, value: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.contact_identifiers.create(value, contact_uuid=ids.fixed("contact", "nobody"))
    assert caught.value.code == 55031
    with pytest.raises(NotFoundError):
        client.contact_identifiers.find(value)


def test_link_then_linking_again_conflicts_with_60014(client: PiggyClient, value: str, new_email: str) -> None:
    client.contact_identifiers.create(value)
    contact = client.contacts.create(new_email)
    linked = client.contact_identifiers.link(value, contact_uuid=contact.uuid)
    assert linked.contact is not None and linked.contact.email == new_email
    with pytest.raises(ConflictError) as caught:
        client.contact_identifiers.link(value, contact_uuid=ids.JANE)
    assert caught.value.code == 60014
    assert client.contact_identifiers.find(value).contact is not None


def test_link_refuses_unknown_inactive_and_unknown_contact(client: PiggyClient, value: str) -> None:
    with pytest.raises(NotFoundError) as unknown:
        client.contact_identifiers.link("NO-SUCH-CARD", contact_uuid=ids.JANE)
    with pytest.raises(ConflictError) as inactive:
        client.contact_identifiers.link(seeded.INACTIVE_CARD, contact_uuid=ids.JANE)
    client.contact_identifiers.create(value)
    with pytest.raises(NotFoundError) as no_contact:
        client.contact_identifiers.link(value, contact_uuid=ids.fixed("contact", "nobody"))
    assert (unknown.value.code, inactive.value.code, no_contact.value.code) == (60003, 60004, 55031)


def test_unlink_detaches_and_a_second_unlink_is_60011(client: PiggyClient, value: str, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    client.contact_identifiers.create(value, contact_uuid=contact.uuid)
    assert client.contact_identifiers.unlink(value).contact is None
    assert client.contacts.list_identifiers(contact.uuid) == []
    with pytest.raises(NotFoundError) as caught:
        client.contact_identifiers.unlink(value)
    assert caught.value.code == 60011


def test_update_renames_and_deactivation_blocks_use(client: PiggyClient, value: str) -> None:
    client.contact_identifiers.create(value)
    renamed = client.contact_identifiers.update(value, contact_identifier_name="Key fob")
    assert renamed.name == "Key fob" and renamed.active is True
    off = client.contact_identifiers.update(value, contact_identifier_active=False)
    assert off.active is False
    with pytest.raises(ConflictError) as caught:
        client.contact_identifiers.link(value, contact_uuid=ids.JANE)
    assert caught.value.code == 60004
    assert client.contact_identifiers.update(value, contact_identifier_active=True).active is True
    assert client.contact_identifiers.find(value).name == "Key fob"


def test_delete_returns_the_identifier_and_removes_it(client: PiggyClient, value: str, sandbox: Sandbox) -> None:
    client.contact_identifiers.create(value)
    deleted = client.contact_identifiers.delete(value)
    assert deleted.value == value
    with pytest.raises(NotFoundError) as caught:
        client.contact_identifiers.find(value)
    assert caught.value.code == 60003
    assert sandbox.audit("contact_identifiers.delete")[-1]["args"]["contact_identifier_value"] == value
    with pytest.raises(NotFoundError):
        client.contact_identifiers.delete(value)


def test_delete_accepts_the_value_in_the_body_too(client: PiggyClient, value: str, sandbox: Sandbox) -> None:
    client.contact_identifiers.create(value)
    answer = sandbox.http().request(
        "DELETE", "/api/v3/oauth/clients/contact-identifiers", json={"contact_identifier_value": value}
    )
    assert answer.status_code == 200 and answer.json()["data"]["value"] == value
    with pytest.raises(NotFoundError):
        client.contact_identifiers.find(value)


async def test_async_client_covers_every_identifier_call(aclient: AsyncPiggyClient, value: str) -> None:
    created = await aclient.contact_identifiers.create(value, contact_identifier_name="Card")
    assert created.contact is None
    linked = await aclient.contact_identifiers.link(value, contact_uuid=ids.TOM)
    assert linked.contact is not None and linked.contact.uuid == ids.TOM
    assert (await aclient.contact_identifiers.find(value)).contact is not None
    assert (await aclient.contact_identifiers.unlink(value)).contact is None
    assert (await aclient.contact_identifiers.update(value, contact_identifier_name="Fob")).name == "Fob"
    assert (await aclient.contact_identifiers.delete(value)).value == value
    with pytest.raises(NotFoundError):
        await aclient.contact_identifiers.find(value)
