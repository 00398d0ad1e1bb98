"""Contacts through the real client against the running sandbox: the first contract tests (sync and async)."""

from __future__ import annotations

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InvalidRequestError
from piggy_agent_tools.sandbox.seed import ids


def test_get_contact_returns_profile_balance_and_tier(client: PiggyClient) -> None:
    jane = client.contacts.get(ids.JANE)
    assert jane.email == "jane.doe@example.com"
    assert jane.current_values["firstname"] == "Jane"
    assert jane.credit_balance is not None and jane.credit_balance.balance >= 0
    assert jane.tier is not None and jane.tier.name


def test_unknown_contact_is_not_found_with_55031(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.contacts.get(ids.fixed("contact", "nobody"))
    assert caught.value.code == 55031
    assert "Contact not found." in str(caught.value)


def test_path_traversal_in_an_id_is_refused_before_sending(client: PiggyClient) -> None:
    for bad in ("../shops", "abc?x=1", "a#b", "a/b", ""):
        with pytest.raises(InvalidRequestError, match="contact_uuid must be a UUID"):
            client.contacts.get(bad)


def test_creating_an_existing_email_conflicts_with_60005(client: PiggyClient, new_email: str) -> None:
    created = client.contacts.create(new_email)
    assert client.contacts.get(created.uuid).email == new_email
    with pytest.raises(ConflictError) as caught:
        client.contacts.create(new_email)
    assert caught.value.code == 60005


def test_list_pages_follow_meta_format_a(client: PiggyClient) -> None:
    first = client.contacts.list(limit=5)
    assert first.page == 1 and first.per_page == 5 and first.total is not None
    assert first.last_page == -(-first.total // 5)
    everyone = list(client.contacts.iter_all(limit=7))
    assert len(everyone) == first.total
    assert len({c.uuid for c in everyone}) == first.total


async def test_async_client_reads_the_same_contact(aclient: AsyncPiggyClient) -> None:
    jane = await aclient.contacts.find_by_email("jane.doe@example.com")
    assert jane.uuid == ids.JANE
    seen = [c.uuid async for c in aclient.contacts.iter_all(limit=6)]
    assert ids.JANE in seen
