"""Booking and visit tools against the sandbox: what the model sees, and what really happened (audit rows, visits
listed by the client, visit credits).

Visits and bookings that change state belong to contacts the test creates, except the scoped Jane booking (a
booking earns nothing, so Jane's balances stay as seeded); Sofia's seeded visits are only read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.policy import ApprovalPolicy
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import bookings as seeded
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import Risk
from tests.tools.helpers import acall, call, content

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"
SOFIA = ids.fixed("contact", "sofia")


@pytest.fixture
def counted(sandbox: Sandbox) -> Iterator[tuple[PiggyToolkit, list[httpx.Request]]]:
    """A staff toolkit whose HTTP client records every request it sends (real HTTP to the sandbox, no mock)."""
    sent: list[httpx.Request] = []
    with httpx.Client(timeout=30, event_hooks={"request": [sent.append]}) as http:
        client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
        toolkit = PiggyToolkit(client=client)
        toolkit.get_tools()
        sent.clear()  # the first get_tools() may list the shops (the single-shop default)
        yield toolkit, sent


def _rows(sandbox: Sandbox, operation: str, contact_uuid: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit(operation) if r["args"].get("contact_uuid") == contact_uuid]


def _visits(client: PiggyClient, contact_uuid: str) -> list[Any]:
    return client.visits.list(contact_uuid=contact_uuid, limit=500).items


def _credits(client: PiggyClient, contact_uuid: str) -> int:
    return client.contacts.get_credit_balance(contact_uuid).balance


def _ext() -> str:
    return f"V-T-{uuid.uuid4().hex[:10]}"


# --- create_booking -----------------------------------------------------------------------------------------------


def test_create_booking_books_and_returns_the_booking(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    seen = content(
        call(
            toolkit,
            "create_booking",
            contact_uuid=contact,
            shop_uuid=ids.SHOP_AMSTERDAM,
            starts_at="2026-05-01 19:00",
            ends_at="2026-05-01T21:30:00+00:00",
            number_of_people=4,
        )
    )
    assert seen["created"] is True and seen["contact_uuid"] == contact and seen["booking_uuid"]
    assert seen["starts_at"] == "2026-05-01T19:00:00+00:00" and seen["ends_at"] == "2026-05-01T21:30:00+00:00"
    assert seen["number_of_people"] == 4
    (row,) = _rows(sandbox, "bookings.create", contact)
    assert row["args"]["shop_uuid"] == ids.SHOP_AMSTERDAM and row["args"]["number_of_people"] == 4
    assert _credits(client, contact) == 0 and _visits(client, contact) == []  # a booking is not a visit


def test_create_booking_ending_before_it_starts_is_refused_naming_ends_at(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    message = call(
        toolkit,
        "create_booking",
        contact_uuid=contact,
        shop_uuid=ids.SHOP_AMSTERDAM,
        starts_at="2026-05-01T19:00:00+00:00",
        ends_at="2026-05-01T18:00:00+00:00",
    )
    assert message.status == "error" and "ends_at" in str(message.content) and "1003" in str(message.content)
    assert _rows(sandbox, "bookings.create", contact) == []


def test_create_booking_for_an_unknown_contact_or_shop_is_not_found(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    nobody = call(toolkit, "create_booking", contact_uuid=UNKNOWN, shop_uuid=ids.SHOP_WEB, starts_at="2026-05-01")
    assert nobody.status == "error" and "Contact not found" in str(nobody.content)
    contact = client.contacts.create(new_email).uuid
    nowhere = call(toolkit, "create_booking", contact_uuid=contact, shop_uuid=UNKNOWN, starts_at="2026-05-01")
    assert nowhere.status == "error" and "Shop not found" in str(nowhere.content)
    assert _rows(sandbox, "bookings.create", UNKNOWN) == [] and _rows(sandbox, "bookings.create", contact) == []


# --- list_visits --------------------------------------------------------------------------------------------------


def test_list_visits_of_a_customer(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_visits", contact_uuid=SOFIA))
    assert seen["total"] == 2 and "more" not in seen
    first, second = seen["visits"]
    assert first == {
        "visit_uuid": seeded.visit_uuid("sofia-1"),
        "contact_uuid": SOFIA,
        "external_id": "V-SEED-001",
        "source": "Kiosk",
        "starts_at": "2025-02-10T08:30:00+00:00",
        "ends_at": "2025-02-10T09:10:00+00:00",
        "created_at": "2025-02-10T08:30:00+00:00",
    }
    assert second["external_id"] == "V-SEED-002"


def test_list_visits_pages(toolkit: PiggyToolkit) -> None:
    first = content(call(toolkit, "list_visits", contact_uuid=SOFIA, limit=1))
    assert [v["external_id"] for v in first["visits"]] == ["V-SEED-001"] and "page=2" in first["more"]
    second = content(call(toolkit, "list_visits", contact_uuid=SOFIA, limit=1, page=2))
    assert [v["external_id"] for v in second["visits"]] == ["V-SEED-002"] and "more" not in second


def test_list_visits_of_a_customer_without_visits_is_empty(toolkit: PiggyToolkit) -> None:
    assert content(call(toolkit, "list_visits", contact_uuid=UNKNOWN)) == {"visits": [], "page": 1, "total": 0}


# --- create_visit -------------------------------------------------------------------------------------------------


def test_create_visit_records_the_visit_and_earns_visit_credits(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    external = _ext()
    seen = content(
        call(
            toolkit,
            "create_visit",
            contact_uuid=contact,
            shop_uuid=ids.SHOP_AMSTERDAM,
            external_id=external,
            starts_at="2026-02-01T08:00:00Z",
        )
    )
    assert seen["created"] is True and seen["contact_uuid"] == contact and seen["external_id"] == external
    assert seen["starts_at"] == "2026-02-01T08:00:00+00:00"
    (visit,) = _visits(client, contact)
    assert visit.uuid == seen["visit_uuid"] and visit.external_id == external
    assert _credits(client, contact) > 0
    assert len(_rows(sandbox, "visits.create", contact)) == 1


def test_create_visit_with_a_used_external_id_is_refused_and_not_counted_twice(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    external = _ext()
    content(call(toolkit, "create_visit", contact_uuid=contact, shop_uuid=ids.SHOP_WEB, external_id=external))
    credits = _credits(client, contact)
    again = call(toolkit, "create_visit", contact_uuid=contact, shop_uuid=ids.SHOP_WEB, external_id=external)
    assert again.status == "error" and "external_id" in str(again.content) and "taken" in str(again.content)
    assert len(_visits(client, contact)) == 1 and _credits(client, contact) == credits
    assert len(_rows(sandbox, "visits.create", contact)) == 1


def test_create_visit_at_an_unknown_shop_is_not_found(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    message = call(toolkit, "create_visit", contact_uuid=contact, shop_uuid=UNKNOWN)
    assert message.status == "error" and "Shop not found" in str(message.content) and "1008" in str(message.content)
    assert _visits(client, contact) == [] and _credits(client, contact) == 0


def test_booking_tools_risk(toolkit: PiggyToolkit) -> None:
    assert toolkit.risk_of({"name": "create_booking", "args": {"contact_uuid": ids.JANE}}) is Risk.WRITE
    assert toolkit.risk_of({"name": "create_visit", "args": {}}) is Risk.WRITE
    assert toolkit.risk_of({"name": "list_visits", "args": {"limit": -1}}) is Risk.READ
    assert {"create_booking", "create_visit", "list_visits"}.isdisjoint(toolkit.interrupt_on())


# --- async --------------------------------------------------------------------------------------------------------


async def test_booking_tools_work_async(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    booked = content(
        await acall(
            toolkit, "create_booking", contact_uuid=contact, shop_uuid=ids.SHOP_WEB, starts_at="2026-06-01T10:00:00Z"
        )
    )
    assert booked["contact_uuid"] == contact and len(_rows(sandbox, "bookings.create", contact)) == 1
    external = _ext()
    visited = content(
        await acall(toolkit, "create_visit", contact_uuid=contact, shop_uuid=ids.SHOP_WEB, external_id=external)
    )
    listed = content(await acall(toolkit, "list_visits", contact_uuid=contact))
    assert (
        [v["visit_uuid"] for v in listed["visits"]]
        == [visited["visit_uuid"]]
        == [v.uuid for v in _visits(client, contact)]
    )
    failed = await acall(toolkit, "create_visit", contact_uuid=contact, shop_uuid=ids.SHOP_WEB, external_id=external)
    assert failed.status == "error" and "external_id" in str(failed.content)


# --- invalid arguments: an error message, no request --------------------------------------------------------------

BOOKING = {"contact_uuid": ids.TOM, "shop_uuid": ids.SHOP_WEB, "starts_at": "2026-05-01T19:00:00+00:00"}
VISIT = {"contact_uuid": ids.TOM, "shop_uuid": ids.SHOP_WEB}
INVALID = [
    ("create_booking", {k: v for k, v in BOOKING.items() if k != "contact_uuid"}, "contact_uuid is required"),
    ("create_booking", {k: v for k, v in BOOKING.items() if k != "shop_uuid"}, "shop_uuid is required"),
    ("create_booking", {k: v for k, v in BOOKING.items() if k != "starts_at"}, "starts_at is required"),
    ("create_booking", {**BOOKING, "contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("create_booking", {**BOOKING, "shop_uuid": "../x"}, "shop_uuid must be a UUID"),
    ("create_booking", {**BOOKING, "starts_at": "tomorrow evening"}, "starts_at must be an ISO 8601"),
    ("create_booking", {**BOOKING, "ends_at": "later"}, "ends_at must be an ISO 8601"),
    ("create_booking", {**BOOKING, "number_of_people": 0}, "number_of_people"),
    ("create_booking", {**BOOKING, "number_of_people": -2}, "number_of_people"),
    ("create_booking", {**BOOKING, "number_of_people": "four"}, "number_of_people"),
    ("list_visits", {"contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("list_visits", {"limit": -5}, "limit"),
    ("list_visits", {"limit": 501}, "limit"),
    ("list_visits", {"page": 0}, "page"),
    ("create_visit", {"shop_uuid": ids.SHOP_WEB}, "contact_uuid is required"),
    ("create_visit", {"contact_uuid": ids.TOM}, "shop_uuid is required"),
    ("create_visit", {**VISIT, "contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("create_visit", {**VISIT, "contact_uuid": 42}, "contact_uuid"),
    ("create_visit", {**VISIT, "starts_at": "now-ish"}, "starts_at must be an ISO 8601"),
    ("create_visit", {**VISIT, "external_id": "../x"}, "external_id must be an id"),
]


@pytest.mark.parametrize(("name", "args", "named"), INVALID)
def test_invalid_arguments_give_an_error_message_and_send_nothing(
    counted: tuple[PiggyToolkit, list[httpx.Request]], sandbox: Sandbox, name: str, args: dict[str, Any], named: str
) -> None:
    toolkit, sent = counted
    audit_before = len(sandbox.audit())
    message = call(toolkit, name, **args)
    assert message.status == "error"
    assert "invalid arguments" in str(message.content) and named in str(message.content)
    assert sent == [] and len(sandbox.audit()) == audit_before


# --- customer-scoped mode -----------------------------------------------------------------------------------------


def test_scoped_booking_tools_only_read_and_book_for_the_bound_contact(
    make_toolkit: Any, client: PiggyClient, sandbox: Sandbox
) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE, groups=["bookings"], policy=ApprovalPolicy(customer_value="decide"))
    assert {t.name for t in scoped.get_tools()} == {"create_booking", "list_visits", "create_visit"}
    for tool in scoped.get_tools():
        assert "contact_uuid" not in tool.args, tool.name
    # Asking for Sofia's visits: the argument is not in the schema and is ignored, never obeyed.
    listed = content(call(scoped, "list_visits", contact_uuid=SOFIA, limit=100))
    assert all(v["contact_uuid"] == ids.JANE for v in listed["visits"])
    assert not any(v["external_id"].startswith("V-SEED") for v in listed["visits"] if v.get("external_id"))
    tom_bookings = len(_rows(sandbox, "bookings.create", ids.TOM))
    booked = content(
        call(scoped, "create_booking", contact_uuid=ids.TOM, shop_uuid=ids.SHOP_WEB, starts_at="2026-07-01T12:00:00Z")
    )
    assert booked["contact_uuid"] == ids.JANE
    assert any(r["args"]["starts_at"] == "2026-07-01T12:00:00Z" for r in _rows(sandbox, "bookings.create", ids.JANE))
    assert len(_rows(sandbox, "bookings.create", ids.TOM)) == tom_bookings


def test_scoped_create_visit_never_counts_a_visit_for_another_contact(
    make_toolkit: Any, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    # A visit earns credits, so this uses a contact of its own rather than Jane (whose balance other tests read).
    mine = client.contacts.create(new_email).uuid
    scoped = make_toolkit(contact_uuid=mine, groups=["bookings"], policy=ApprovalPolicy(customer_value="decide"))
    tom_visits, tom_credits = len(_visits(client, ids.TOM)), _credits(client, ids.TOM)
    sofia_visits = len(_visits(client, SOFIA))
    for other in (ids.TOM, SOFIA):
        seen = content(call(scoped, "create_visit", contact_uuid=other, shop_uuid=ids.SHOP_WEB, external_id=_ext()))
        assert seen["contact_uuid"] == mine
    assert len(_visits(client, mine)) == 2 and _credits(client, mine) > 0
    assert len(_visits(client, ids.TOM)) == tom_visits and _credits(client, ids.TOM) == tom_credits
    assert len(_visits(client, SOFIA)) == sofia_visits
    listed = content(call(scoped, "list_visits", contact_uuid=SOFIA))
    assert {v["contact_uuid"] for v in listed["visits"]} == {mine} and listed["total"] == 2
    assert len(_rows(sandbox, "visits.create", mine)) == 2
