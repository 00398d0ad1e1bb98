"""Orders and order returns through the real client (sync and async) against the sandbox: paths and shapes.

The earning and return rules are in tests/sandbox/test_commerce_rules.py.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed import orders as seeded


def _ext(prefix: str = "ORD") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _lines(*items: tuple[str, int, int]) -> list[dict[str, Any]]:
    """Order lines from (name, quantity, unit price in cents)."""
    return [
        {"external_identifier": f"L{i}", "name": name, "quantity": qty, "price": price, "total_amount": qty * price}
        for i, (name, qty, price) in enumerate(items, start=1)
    ]


def test_create_and_process_returns_the_order_and_its_points_result(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    external = _ext()
    done = client.orders.create_and_process(
        external_identifier=external,
        contact_uuid=contact.uuid,
        business_profile_uuid=ids.SHOP_AMSTERDAM,
        total_order_amount=2450,
        line_items=[
            {
                "external_identifier": "LI-1",
                "name": "Pizza Margherita",
                "quantity": 2,
                "price": 900,
                "total_amount": 1550,
                "discount_amount": 250,
                "product": {"external_identifier": f"piz-{external}"},
                "sub_line_items": [
                    {
                        "external_identifier": "SLI-1",
                        "name": "Bell Peppers",
                        "quantity": 2,
                        "price": 50,
                        "total_amount": 100,
                    }
                ],
            },
            {"external_identifier": "LI-2", "name": "Coca Cola", "quantity": 2, "price": 250, "total_amount": 500},
        ],
        applied_discounts=[
            {
                "external_identifier": "D-1",
                "name": "Pizza deal",
                "amount": 250,
                "type": "ABSOLUTE",
                "value": 250,
                "applied_to": "LINE_ITEMS",
                "line_items": [{"external_identifier": "LI-1"}],
            }
        ],
        charges=[{"external_identifier": "SC-1", "type": "SERVICE_CHARGE", "name": "Service", "total_amount": 300}],
    )
    order = done.order
    assert order.external_identifier == external and order.status == "COMPLETED" and order.payment_status == "PAID"
    assert order.contact is not None and order.contact.uuid == contact.uuid and order.contact.email == new_email
    assert order.business_profile is not None and order.business_profile.uuid == ids.SHOP_AMSTERDAM
    assert order.currency == "EUR" and order.formatted_total_order_amount == "€ 24.50"
    assert order.order_amount == 1550 + 100 + 500 and order.total_charges_amount == 300
    assert order.total_discount_amount == 250
    pizza = order.line_items[0]
    assert pizza.product is not None and pizza.product.name == "Pizza Margherita"
    assert [s.external_identifier for s in pizza.sub_line_items] == ["SLI-1"]
    assert order.applied_discounts[0].applied_to == "LINE_ITEMS" and order.charges[0].type == "SERVICE_CHARGE"
    assert done.result is not None and done.result.type == "POINTS_TRANSACTION"
    assert done.result.points == 24 and done.result.new_balance == 24


def test_create_stores_an_unprocessed_order_that_process_then_rewards(
    client: PiggyClient, new_email: str, sandbox: Sandbox
) -> None:
    contact = client.contacts.create(new_email)
    order = client.orders.create(
        external_identifier=_ext(),
        contact_uuid=contact.uuid,
        business_profile_uuid=ids.SHOP_WEB,
        total_order_amount=1000,
        line_items=_lines(("Beans", 1, 1000)),
        status="PENDING",
        payment_status="UNPAID",
    )
    assert order.status == "PENDING" and order.paid_at is None
    assert client.contacts.get_credit_balance(contact.uuid).balance == 0
    result = client.orders.process(order.uuid)
    assert result.type == "POINTS_TRANSACTION" and result.points == 10 and result.new_balance == 10
    assert any(row["args"]["order_uuid"] == order.uuid for row in sandbox.audit("orders.process"))


def test_find_returns_the_order_by_external_identifier_and_unknown_is_60013(client: PiggyClient) -> None:
    found = client.orders.find("SEED-ORDER-1001")
    assert found.uuid == seeded.order_uuid("SEED-ORDER-1001")
    assert [line.name for line in found.line_items] == ["Flat White", "Croissant"]
    with pytest.raises(NotFoundError) as caught:
        client.orders.find("NO-SUCH-ORDER")
    assert caught.value.code == 60013


def test_update_changes_status_and_stamps_paid_at(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    order = client.orders.create(
        external_identifier=_ext(),
        contact_uuid=contact.uuid,
        business_profile_uuid=ids.SHOP_AMSTERDAM,
        total_order_amount=500,
        line_items=_lines(("Latte", 1, 500)),
        status="CREATED",
        payment_status="UNPAID",
    )
    updated = client.orders.update(order.uuid, payment_status="PAID")
    assert updated.payment_status == "PAID" and updated.status == "CREATED" and updated.paid_at
    assert client.orders.find(order.external_identifier).payment_status == "PAID"


def test_simulate_answers_lowercase_points_transaction_with_points_only(client: PiggyClient) -> None:
    result = client.orders.simulate(
        business_profile_uuid=ids.SHOP_AMSTERDAM, total_order_amount=2500, line_items=_lines(("Latte", 5, 500))
    )
    assert result.type == "points_transaction" and result.data == {"points": 25}


def test_list_pages_orders_with_meta_format_a_and_filters_by_contact(client: PiggyClient, sandbox: Sandbox) -> None:
    raw = sandbox.http().get("/api/v3/oauth/clients/orders", params={"limit": 2}).json()
    assert set(raw["meta"]) == {"page", "limit", "viewing_from", "viewing_to", "last_page", "total"}
    mine = client.orders.list(contact_uuid=ids.fixed("contact", "sofia"))
    assert [o.external_identifier for o in mine.items] == ["SEED-ORDER-1001"]
    page = client.orders.list(limit=2)
    assert page.per_page == 2 and page.total is not None and page.total >= 3


def test_order_return_reverses_credits_and_names_the_returned_lines(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    external = _ext()
    done = client.orders.create_and_process(
        external_identifier=external,
        contact_uuid=contact.uuid,
        business_profile_uuid=ids.SHOP_AMSTERDAM,
        total_order_amount=4000,
        line_items=_lines(("Beans", 2, 2000)),
    )
    returned = client.order_returns.create_and_process(
        order={"external_identifier": external},
        external_identifier=f"{external}-R1",
        line_items=[{"external_identifier": "L1", "quantity": 1}],
    )
    assert returned.order_return.status == "COMPLETED" and returned.order_return.order.uuid == done.order.uuid
    assert returned.order_return.line_item_returns[0].quantity == 1
    assert returned.order_return.line_item_returns[0].line_item.uuid == done.order.line_items[0].uuid
    assert returned.result is not None and returned.result.points == -20 and returned.result.new_balance == 20


async def test_async_client_creates_processes_finds_and_returns_orders(
    aclient: AsyncPiggyClient, new_email: str
) -> None:
    contact = await aclient.contacts.create(new_email)
    external = _ext("AORD")
    order = await aclient.orders.create(
        external_identifier=external,
        contact_uuid=contact.uuid,
        business_profile_uuid=ids.SHOP_WEB,
        total_order_amount=700,
        line_items=_lines(("Tea", 2, 350)),
    )
    assert (await aclient.orders.process(order.uuid)).points == 7
    assert (await aclient.orders.find(external)).uuid == order.uuid
    assert (await aclient.orders.update(order.uuid, status="COMPLETED")).completed_at
    simulated = await aclient.orders.simulate(
        business_profile_uuid=ids.SHOP_WEB, total_order_amount=700, contact_uuid=contact.uuid
    )
    assert simulated.points == 7
    listed = await aclient.orders.list(contact_uuid=contact.uuid)
    assert [o.uuid for o in listed.items] == [order.uuid]
    both = await aclient.orders.create_and_process(
        external_identifier=f"{external}-2",
        contact_uuid=contact.uuid,
        business_profile_uuid=ids.SHOP_WEB,
        total_order_amount=300,
        line_items=_lines(("Espresso", 1, 300)),
    )
    assert both.result is not None and both.result.new_balance == 10
    returned = await aclient.order_returns.create_and_process(
        order={"uuid": order.uuid},
        external_identifier=f"{external}-R",
        line_items=[{"external_identifier": "L1", "quantity": 2}],
    )
    assert returned.result is not None and returned.result.points == -7 and returned.result.new_balance == 3
