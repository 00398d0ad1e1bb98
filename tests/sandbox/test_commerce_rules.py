"""Business rules of orders, returns, products, bookings and visits, through the real client and sandbox.

Each test would fail if its rule were broken: balances, refusals with the right codes, and nothing half-written.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from piggy_agent_tools import NotFoundError, PiggyClient
from piggy_agent_tools.errors import InsufficientBalanceError, InvalidRequestError
from piggy_agent_tools.models.orders import ProcessedOrder
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids

API = "/api/v3/oauth/clients"


def _ext(prefix: str = "R") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _order(client: PiggyClient, contact_uuid: str, lines: list[tuple[str, int, int]], **extra: Any) -> ProcessedOrder:
    """Create and process an order of (line id, quantity, unit price in cents) lines totalling their sum."""
    items = [
        {
            "external_identifier": key,
            "name": f"Item {key}",
            "quantity": qty,
            "price": price,
            "total_amount": qty * price,
        }
        for key, qty, price in lines
    ]
    total = extra.pop("total_order_amount", sum(i["total_amount"] for i in items))
    return client.orders.create_and_process(
        external_identifier=_ext("O"),
        contact_uuid=contact_uuid,
        business_profile_uuid=ids.SHOP_AMSTERDAM,
        total_order_amount=total,
        line_items=items,
        **extra,
    )


def _balance(client: PiggyClient, contact_uuid: str) -> int:
    return client.contacts.get_credit_balance(contact_uuid).balance


# --- Orders ---


def test_processing_earns_tier_multiplied_credits_on_the_cents_total(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    first = _order(client, contact.uuid, [("L1", 1, 30000)])  # €300 at Bronze (x1) -> 300, reaching Silver
    assert first.result is not None and first.result.points == 300
    assert client.contacts.get_tier(contact.uuid).name == "Silver"
    second = _order(client, contact.uuid, [("L1", 1, 1000)])  # €10 at Silver (x1.1) -> 11
    assert second.result is not None and second.result.points == 11 and second.result.new_balance == 311
    assert _balance(client, contact.uuid) == 311


def test_simulate_applies_contact_rules_but_writes_nothing(
    client: PiggyClient, new_email: str, sandbox: Sandbox
) -> None:
    contact = client.contacts.create(new_email)
    _order(client, contact.uuid, [("L1", 1, 30000)])
    writes_before = len(sandbox.audit())
    with_contact = client.orders.simulate(
        external_identifier=_ext("SIM"),
        business_profile_uuid=ids.SHOP_AMSTERDAM,
        total_order_amount=1000,
        contact_uuid=contact.uuid,
    )
    without = client.orders.simulate(business_profile_uuid=ids.SHOP_AMSTERDAM, total_order_amount=1000)
    assert with_contact.points == 11 and without.points == 10
    assert len(sandbox.audit()) == writes_before
    assert _balance(client, contact.uuid) == 300


def test_processing_an_order_twice_is_refused_and_pays_once(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    order = client.orders.create(
        external_identifier=_ext(),
        contact_uuid=contact.uuid,
        business_profile_uuid=ids.SHOP_WEB,
        total_order_amount=1500,
        line_items=[{"external_identifier": "L1", "name": "Beans", "quantity": 1, "price": 1500, "total_amount": 1500}],
    )
    assert client.orders.process(order.uuid).points == 15
    with pytest.raises(InvalidRequestError) as caught:
        client.orders.process(order.uuid)
    assert caught.value.code == 1003 and "order" in caught.value.errors
    assert _balance(client, contact.uuid) == 15


def test_an_order_external_identifier_is_unique(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    done = _order(client, contact.uuid, [("L1", 1, 500)])
    with pytest.raises(InvalidRequestError) as caught:
        client.orders.create_and_process(
            external_identifier=done.order.external_identifier,
            contact_uuid=contact.uuid,
            business_profile_uuid=ids.SHOP_AMSTERDAM,
            total_order_amount=500,
            line_items=[{"external_identifier": "L1", "name": "X", "quantity": 1, "price": 500, "total_amount": 500}],
        )
    assert caught.value.code == 1003 and "external_identifier" in caught.value.errors
    assert _balance(client, contact.uuid) == 5


def test_line_identifiers_must_be_unique_and_discounts_must_target_real_lines(
    client: PiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email)
    with pytest.raises(InvalidRequestError) as repeated:
        _order(client, contact.uuid, [("L1", 1, 500), ("L1", 1, 500)])
    assert "line_items.1.external_identifier" in repeated.value.errors
    discount = {"external_identifier": "D", "name": "D", "amount": 50, "applied_to": "ORDER_LINES"}
    with pytest.raises(InvalidRequestError) as stray:
        _order(
            client,
            contact.uuid,
            [("L1", 1, 500)],
            applied_discounts=[{**discount, "line_items": [{"external_identifier": "L9"}]}],
        )
    assert "applied_discounts.0.line_items.0" in stray.value.errors
    assert client.orders.list(contact_uuid=contact.uuid).total == 0


def test_a_failed_create_and_process_keeps_neither_order_nor_credits(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    external = _ext("BIG")
    with pytest.raises(InsufficientBalanceError) as caught:  # 50 001 credits > the program maximum of 50 000
        client.orders.create_and_process(
            external_identifier=external,
            contact_uuid=contact.uuid,
            business_profile_uuid=ids.SHOP_AMSTERDAM,
            total_order_amount=5_000_100,
            line_items=[
                {
                    "external_identifier": "L",
                    "name": "Espresso machine",
                    "quantity": 1,
                    "price": 5_000_100,
                    "total_amount": 5_000_100,
                }
            ],
        )
    assert caught.value.code == 1015
    with pytest.raises(NotFoundError):
        client.orders.find(external)
    assert _balance(client, contact.uuid) == 0


def test_a_cancelled_order_earns_nothing(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    done = _order(client, contact.uuid, [("L1", 1, 2000)], status="CANCELLED", payment_status="UNPAID")
    assert done.result is not None and done.result.points == 0 and _balance(client, contact.uuid) == 0


def test_unknown_contact_and_shop_fail_with_55031_and_1008(client: PiggyClient, new_email: str) -> None:
    with pytest.raises(NotFoundError) as no_contact:
        _order(client, ids.fixed("contact", "ghost"), [("L1", 1, 100)])
    assert no_contact.value.code == 55031
    contact = client.contacts.create(new_email)
    with pytest.raises(NotFoundError) as no_shop:
        client.orders.simulate(business_profile_uuid=ids.fixed("shop", "ghost"), total_order_amount=100)
    assert no_shop.value.code == 1008
    assert contact.uuid


def test_an_unknown_line_product_is_created_from_the_line_name(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    sku = _ext("sku")
    client.orders.create(
        external_identifier=_ext(),
        contact_uuid=contact.uuid,
        business_profile_uuid=ids.SHOP_AMSTERDAM,
        total_order_amount=450,
        line_items=[
            {
                "external_identifier": "L1",
                "name": "Matcha Latte",
                "quantity": 1,
                "price": 450,
                "total_amount": 450,
                "product": {"external_identifier": sku},
            }
        ],
    )
    assert client.products.find(sku).name == "Matcha Latte"


# --- Order returns ---


def test_a_partial_return_reverses_the_proportional_share_and_a_full_return_the_rest(
    client: PiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email)
    done = _order(client, contact.uuid, [("COLA", 2, 250), ("PIZZA", 2, 975)])  # €24.50 -> 24 credits
    assert done.result is not None and done.result.points == 24
    order = {"uuid": done.order.uuid}
    cola = client.order_returns.create_and_process(
        order=order, external_identifier=_ext(), line_items=[{"external_identifier": "COLA", "quantity": 2}]
    )
    assert cola.result is not None and cola.result.points == -5  # 24 x 500 / 2450 = 4.9 -> 5
    assert _balance(client, contact.uuid) == 19
    rest = client.order_returns.create_and_process(
        order=order, external_identifier=_ext(), line_items=[{"external_identifier": "PIZZA", "quantity": 2}]
    )
    assert rest.result is not None and rest.result.points == -19 and rest.result.new_balance == 0


def test_returning_more_than_was_bought_is_refused_without_moving_credits(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    done = _order(client, contact.uuid, [("L1", 2, 1000)])
    order = {"external_identifier": done.order.external_identifier}
    client.order_returns.create_and_process(
        order=order, external_identifier=_ext(), line_items=[{"external_identifier": "L1", "quantity": 1}]
    )
    with pytest.raises(InvalidRequestError) as caught:
        client.order_returns.create_and_process(
            order=order, external_identifier=_ext(), line_items=[{"external_identifier": "L1", "quantity": 2}]
        )
    assert caught.value.errors == {"line_items.0.quantity": ["The quantity may not be greater than 1."]}
    assert _balance(client, contact.uuid) == 10


def test_a_pending_return_moves_no_credits_and_reserves_nothing(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    done = _order(client, contact.uuid, [("L1", 1, 1000)])
    pending = client.order_returns.create_and_process(
        order={"uuid": done.order.uuid},
        external_identifier=_ext(),
        status="PENDING",
        line_items=[{"external_identifier": "L1", "quantity": 1}],
    )
    assert pending.result is None and pending.order_return.status == "PENDING"
    assert _balance(client, contact.uuid) == 10
    completed = client.order_returns.create_and_process(
        order={"uuid": done.order.uuid},
        external_identifier=_ext(),
        line_items=[{"external_identifier": "L1", "quantity": 1}],
    )
    assert completed.result is not None and completed.result.points == -10


def test_a_return_id_is_unique_and_an_unknown_order_is_60013(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    done = _order(client, contact.uuid, [("L1", 3, 1000)])
    external = _ext()
    line = [{"external_identifier": "L1", "quantity": 1}]
    client.order_returns.create_and_process(
        order={"uuid": done.order.uuid}, external_identifier=external, line_items=line
    )
    with pytest.raises(InvalidRequestError):
        client.order_returns.create_and_process(
            order={"uuid": done.order.uuid}, external_identifier=external, line_items=line
        )
    with pytest.raises(NotFoundError) as caught:
        client.order_returns.create_and_process(order={"external_identifier": "NO-ORDER"}, external_identifier=_ext())
    assert caught.value.code == 60013
    assert _balance(client, contact.uuid) == 20


# --- Products and categories ---


def test_product_external_identifiers_are_unique_on_create_and_update(client: PiggyClient) -> None:
    taken = client.products.create(external_identifier=_ext("sku"), name="A")
    other = client.products.create(external_identifier=_ext("sku"), name="B")
    with pytest.raises(InvalidRequestError) as on_create:
        client.products.create(external_identifier=taken.external_identifier, name="C")
    assert on_create.value.errors == {"external_identifier": ["The external identifier has already been taken."]}
    with pytest.raises(InvalidRequestError):
        client.products.update(other.uuid, external_identifier=taken.external_identifier)
    assert client.products.get(other.uuid).external_identifier == other.external_identifier


def test_find_or_create_is_idempotent_and_never_overwrites(client: PiggyClient, sandbox: Sandbox) -> None:
    external = _ext("foc")
    first = client.products.find_or_create(external_identifier=external, name="Original")
    again = client.products.find_or_create(external_identifier=external, name="Changed")
    assert again.uuid == first.uuid and again.name == "Original"
    writes = [r for r in sandbox.audit("products.find_or_create") if r["args"]["external_identifier"] == external]
    assert len(writes) == 1
    category = client.product_categories.find_or_create(external_identifier=_ext("cfoc"), name="One")
    assert (
        client.product_categories.find_or_create(external_identifier=category.external_identifier).uuid == category.uuid
    )


def test_a_batch_with_a_repeated_identifier_keeps_nothing_and_a_batch_updates_known_products(
    client: PiggyClient,
) -> None:
    fresh, repeated = _ext("bf"), _ext("br")
    with pytest.raises(InvalidRequestError) as caught:
        client.products.batch(
            [
                {"external_identifier": fresh, "name": "F"},
                {"external_identifier": repeated, "name": "R"},
                {"external_identifier": repeated, "name": "R2"},
            ]
        )
    assert "products.2.external_identifier" in caught.value.errors
    with pytest.raises(NotFoundError):
        client.products.find(fresh)
    existing = client.products.create(external_identifier=_ext("be"), name="Old name")
    updated = client.products.batch([{"external_identifier": existing.external_identifier, "name": "New name"}])
    assert updated[0].uuid == existing.uuid and client.products.get(existing.uuid).name == "New name"


def test_an_unknown_category_reference_is_refused(client: PiggyClient) -> None:
    external = _ext("sku")
    with pytest.raises(InvalidRequestError) as caught:
        client.products.create(external_identifier=external, name="X", categories=[{"external_identifier": "nope"}])
    assert "categories.0" in caught.value.errors
    with pytest.raises(NotFoundError):
        client.products.find(external)


def test_deleted_products_and_categories_are_gone(client: PiggyClient) -> None:
    category = client.product_categories.create(external_identifier=_ext("dc"), name="Gone")
    product = client.products.create(external_identifier=_ext("dp"), name="P", categories=[{"uuid": category.uuid}])
    client.product_categories.delete(category.uuid)
    with pytest.raises(NotFoundError) as caught:
        client.product_categories.get(category.uuid)
    assert caught.value.code == 60013
    assert client.products.get(product.uuid).categories == []
    client.products.delete(product.uuid)
    with pytest.raises(NotFoundError):
        client.products.delete(product.uuid)


# --- Bookings and visits ---


def test_a_booking_cannot_move_to_another_shop_or_contact(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email)
    booking = client.bookings.create(shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=contact.uuid, status="Open")
    with sandbox.http() as http:
        moved = http.put(f"{API}/bookings/{booking.uuid}", json={"shop_uuid": ids.SHOP_WEB, "contact_uuid": ids.JANE})
    body = moved.json()
    assert moved.status_code == 400 and body["code"] == 1003 and body["message"] == "Invalid input."
    assert set(body["errors"]) == {"shop_uuid", "contact_uuid"}
    assert not [r for r in sandbox.audit("bookings.update") if r["args"].get("booking_uuid") == booking.uuid]


def test_a_booking_needs_a_known_contact_and_shop_and_ordered_times(client: PiggyClient, new_email: str) -> None:
    with pytest.raises(NotFoundError) as no_contact:
        client.bookings.create(shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=ids.fixed("contact", "ghost"))
    assert no_contact.value.code == 55031
    contact = client.contacts.create(new_email)
    with pytest.raises(NotFoundError) as no_shop:
        client.bookings.create(shop_uuid=ids.fixed("shop", "ghost"), contact_uuid=contact.uuid)
    assert no_shop.value.code == 1008
    with pytest.raises(InvalidRequestError) as backwards:
        client.bookings.create(
            shop_uuid=ids.SHOP_AMSTERDAM,
            contact_uuid=contact.uuid,
            starts_at="2024-05-01 22:00",
            ends_at="2024-05-01 19:00",
        )
    assert "ends_at" in backwards.value.errors


def test_each_visit_earns_the_visit_units_credits(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    client.visits.create(contact_uuid=contact.uuid, shop_uuid=ids.SHOP_AMSTERDAM, external_id=_ext("V"))
    assert _balance(client, contact.uuid) == 10
    _order(client, contact.uuid, [("L1", 1, 29000)])  # 290 more: 300 received, Silver (x1.1)
    client.visits.create(contact_uuid=contact.uuid, shop_uuid=ids.SHOP_AMSTERDAM)
    assert _balance(client, contact.uuid) == 10 + 290 + 11


def test_a_visit_external_id_is_unique_and_a_duplicate_earns_nothing(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    external = _ext("V")
    client.visits.create(contact_uuid=contact.uuid, shop_uuid=ids.SHOP_WEB, external_id=external)
    with pytest.raises(InvalidRequestError) as caught:
        client.visits.create(contact_uuid=contact.uuid, shop_uuid=ids.SHOP_WEB, external_id=external)
    assert caught.value.errors == {"external_id": ["The external id has already been taken."]}
    assert _balance(client, contact.uuid) == 10


def test_a_visit_batch_with_an_unknown_contact_keeps_no_visit_and_no_credit(
    client: PiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email)
    with pytest.raises(NotFoundError) as caught:
        client.visits.batch(
            [
                {"contact_email": new_email, "business_profile_uuid": ids.SHOP_WEB, "external_id": _ext("VB")},
                {"contact_email": "nobody-here@example.com", "business_profile_uuid": ids.SHOP_WEB},
            ]
        )
    assert caught.value.code == 55031
    assert client.visits.list(contact_uuid=contact.uuid).total == 0 and _balance(client, contact.uuid) == 0


def test_a_visit_cannot_move_to_another_contact(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    visit = client.visits.create(contact_uuid=contact.uuid, shop_uuid=ids.SHOP_WEB)
    with sandbox.http() as http:
        moved = http.put(f"{API}/visits/{visit.uuid}", data={"contact_uuid": ids.JANE, "source": "x"})
    assert moved.status_code == 400 and moved.json()["errors"] == {
        "contact_uuid": ["The contact uuid cannot be changed."]
    }
    after = client.visits.get(visit.uuid)
    assert after.contact is not None and after.contact.uuid == contact.uuid and after.source is None
