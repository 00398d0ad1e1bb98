"""Bookings and visits through the real client (sync and async) against the sandbox: paths, shapes, meta D.

Immutability and visit-credit rules are in tests/sandbox/test_commerce_rules.py.
"""

from __future__ import annotations

import uuid

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import bookings as seeded
from piggy_agent_tools.sandbox.seed import ids


def _ext(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def test_create_booking_returns_the_booking_with_normalised_times(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    booking = client.bookings.create(
        shop_uuid=ids.SHOP_AMSTERDAM,
        contact_uuid=contact.uuid,
        external_id="B-001",
        source="Widget",
        starts_at="2024-05-01 12:00",
        ends_at="2024-05-01 22:00",
        number_of_people=10,
        company_name="Acme Industries",
        status="Open",
        prepaid_amount=2410,
    )
    assert booking.contact is not None and booking.contact.uuid == contact.uuid and booking.contact.email == new_email
    assert booking.starts_at == "2024-05-01T12:00:00+00:00" and booking.ends_at == "2024-05-01T22:00:00+00:00"
    assert booking.number_of_people == 10 and booking.prepaid_amount == 2410 and booking.status == "Open"
    assert booking.created_at


def test_update_booking_changes_only_the_given_fields(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    booking = client.bookings.create(
        shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=contact.uuid, external_id="B-77", status="Open", number_of_people=4
    )
    updated = client.bookings.update(booking.uuid, checked_in_at="2025-03-01T10:05:00+00:00", status="Seated")
    assert updated.uuid == booking.uuid and updated.status == "Seated"
    assert updated.checked_in_at == "2025-03-01T10:05:00+00:00" and updated.external_id == "B-77"
    assert updated.number_of_people == 4
    assert any(row["args"]["booking_uuid"] == booking.uuid for row in sandbox.audit("bookings.update"))


def test_updating_an_unknown_booking_is_not_found_with_60013(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.bookings.update(ids.fixed("booking", "nope"), status="Open")
    assert caught.value.code == 60013


def test_visits_list_uses_meta_format_d_and_filters_by_contact(client: PiggyClient, sandbox: Sandbox) -> None:
    raw = sandbox.http().get("/api/v3/oauth/clients/visits", params={"limit": 2}).json()
    assert set(raw["meta"]) == {"current_page", "last_page", "per_page", "total"} and raw["meta"]["per_page"] == 2
    sofia = client.visits.list(contact_uuid=ids.fixed("contact", "sofia"))
    assert [v.external_id for v in sofia.items] == ["V-SEED-001", "V-SEED-002"]
    assert sofia.total == 2 and sofia.per_page == 30 and sofia.last_page == 1
    second = client.visits.list(limit=1, page=2)
    assert second.page == 2 and len(second.items) == 1


def test_get_create_and_update_a_visit(client: PiggyClient, new_email: str) -> None:
    assert client.visits.get(seeded.visit_uuid("finn-1")).external_id == "V-SEED-003"
    contact = client.contacts.create(new_email)
    external = _ext("V")
    visit = client.visits.create(
        contact_uuid=contact.uuid,
        shop_uuid=ids.SHOP_AMSTERDAM,
        external_id=external,
        source="Website",
        starts_at="2024-05-01 19:00",
        ends_at="2024-05-01 22:00",
    )
    assert visit.external_id == external and visit.contact is not None and visit.contact.uuid == contact.uuid
    updated = client.visits.update(visit.uuid, source="Kiosk", ends_at="2024-05-01T23:00:00+00:00")
    assert updated.source == "Kiosk" and updated.ends_at == "2024-05-01T23:00:00+00:00"
    assert client.visits.get(visit.uuid).source == "Kiosk"
    with pytest.raises(NotFoundError) as caught:
        client.visits.get(ids.fixed("visit", "nope"))
    assert caught.value.code == 60013


def test_visit_batch_creates_visits_by_contact_email_and_business_profile(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    ids_sent = [_ext("VB"), _ext("VB")]
    created = client.visits.batch(
        [{"contact_email": new_email, "business_profile_uuid": ids.SHOP_WEB, "external_id": e} for e in ids_sent]
    )
    assert [v.external_id for v in created] == ids_sent
    assert {v.external_id for v in client.visits.list(contact_uuid=contact.uuid).items} == set(ids_sent)


async def test_async_client_covers_bookings_and_visits(aclient: AsyncPiggyClient, new_email: str) -> None:
    contact = await aclient.contacts.create(new_email)
    booking = await aclient.bookings.create(shop_uuid=ids.SHOP_WEB, contact_uuid=contact.uuid, number_of_people=2)
    assert (await aclient.bookings.update(booking.uuid, number_of_people=3)).number_of_people == 3
    visit = await aclient.visits.create(contact_uuid=contact.uuid, shop_uuid=ids.SHOP_WEB, external_id=_ext("AV"))
    assert (await aclient.visits.get(visit.uuid)).uuid == visit.uuid
    assert (await aclient.visits.update(visit.uuid, source="App")).source == "App"
    batch = await aclient.visits.batch([{"contact_email": new_email, "business_profile_uuid": ids.SHOP_WEB}])
    listed = await aclient.visits.list(contact_uuid=contact.uuid)
    assert {v.uuid for v in listed.items} == {visit.uuid, batch[0].uuid}
