"""Order tools against the sandbox: orders, simulations, returns and products as the model sees them, and what
really happened (balances, audit rows, requests sent).

Orders that are returned belong to contacts the test creates; the seeded orders (Sofia's SEED-ORDER-1001, Emma's
SEED-ORDER-1002) are only read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed import orders as seeded
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import Risk
from tests.tools.helpers import acall, call, content

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"
SOFIA = ids.fixed("contact", "sofia")
SOFIA_ORDER = "SEED-ORDER-1001"  # 2 Flat White (760) + 2 Croissant (560) = 1320 cents, Amsterdam
EMMA_ORDER = "SEED-ORDER-1002"


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


def _order(client: PiggyClient, email: str) -> tuple[str, str, str]:
    """A new contact with one processed order (3 Espresso 780 + 1 Beans 2490 = 3270 cents): (contact, ext id, uuid)."""
    contact = client.contacts.create(email).uuid
    external = f"T-ORDER-{uuid.uuid4().hex[:10]}"
    lines = [
        {"external_identifier": f"{external}-L1", "name": "Espresso", "quantity": 3, "price": 260, "total_amount": 780},
        {"external_identifier": f"{external}-L2", "name": "Beans", "quantity": 1, "price": 2490, "total_amount": 2490},
    ]
    processed = client.orders.create_and_process(
        external_identifier=external,
        contact_uuid=contact,
        business_profile_uuid=ids.SHOP_AMSTERDAM,
        total_order_amount=3270,
        line_items=lines,
    )
    return contact, external, processed.order.uuid


def _credits(client: PiggyClient, contact_uuid: str) -> int:
    return client.contacts.get_credit_balance(contact_uuid).balance


def _returns_of(sandbox: Sandbox, order_uuid: str) -> list[dict[str, Any]]:
    rows = sandbox.audit("order_returns.create_and_process")
    return [r for r in rows if (r["args"].get("order") or {}).get("uuid") == order_uuid]


# --- list_orders --------------------------------------------------------------------------------------------------


def test_list_orders_of_a_customer_shows_totals_in_cents_and_euros(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_orders", contact_uuid=SOFIA))
    assert seen["total"] == 1 and "more" not in seen
    (order,) = seen["orders"]
    assert order["uuid"] == seeded.order_uuid(SOFIA_ORDER) and order["external_identifier"] == SOFIA_ORDER
    assert order["total_order_amount"] == 1320 and order["total"] == "€13.20"
    assert order["status"] == "COMPLETED" and order["payment_status"] == "PAID"
    assert order["shop"] == "Bean There Amsterdam" and order["contact_uuid"] == SOFIA
    assert order["date"] == seeded.ORDER_TIME


def test_list_orders_pages_and_says_how_to_get_more(toolkit: PiggyToolkit) -> None:
    first = content(call(toolkit, "list_orders", limit=1))
    assert len(first["orders"]) == 1 and first["total"] >= 3 and "page=2" in first["more"]
    second = content(call(toolkit, "list_orders", limit=1, page=2))
    assert second["page"] == 2 and second["orders"][0]["uuid"] != first["orders"][0]["uuid"]


def test_list_orders_of_a_customer_without_orders_is_an_empty_list(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_orders", contact_uuid=UNKNOWN))
    assert seen == {"orders": [], "page": 1, "total": 0}


# --- find_order ---------------------------------------------------------------------------------------------------


def test_find_order_shows_the_lines_needed_for_a_return(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "find_order", external_identifier=SOFIA_ORDER))
    assert seen["uuid"] == seeded.order_uuid(SOFIA_ORDER) and seen["contact_uuid"] == SOFIA
    assert seen["line_items"] == [
        {
            "external_identifier": f"{SOFIA_ORDER}-L1",
            "name": "Flat White",
            "quantity": 2,
            "total_amount": 760,
            "total": "€7.60",
        },
        {
            "external_identifier": f"{SOFIA_ORDER}-L2",
            "name": "Croissant",
            "quantity": 2,
            "total_amount": 560,
            "total": "€5.60",
        },
    ]


def test_find_order_unknown_names_the_missing_order(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "find_order", external_identifier="NO-SUCH-ORDER")
    assert message.status == "error"
    text = str(message.content)
    assert "NotFoundError" in text and "Order not found" in text and "'NO-SUCH-ORDER'" in text and "60013" in text


# --- simulate_order -----------------------------------------------------------------------------------------------


def test_simulate_order_gives_the_credits_and_writes_nothing(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    writes_before, sofia_before = len(sandbox.audit()), _credits(client, SOFIA)
    plain = content(call(toolkit, "simulate_order", shop_uuid=ids.SHOP_AMSTERDAM, total_order_amount=1250))
    expected = client.orders.simulate(business_profile_uuid=ids.SHOP_AMSTERDAM, total_order_amount=1250).points
    assert plain == {"simulated": True, "credits": expected, "total_order_amount": 1250, "total": "€12.50"}
    assert isinstance(expected, int) and expected > 0
    with_tier = content(
        call(toolkit, "simulate_order", shop_uuid=ids.SHOP_AMSTERDAM, total_order_amount=1250, contact_uuid=SOFIA)
    )
    assert with_tier["contact_uuid"] == SOFIA and with_tier["credits"] >= plain["credits"]
    assert len(sandbox.audit()) == writes_before and _credits(client, SOFIA) == sofia_before


def test_simulate_order_at_an_unknown_shop_names_the_shop(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "simulate_order", shop_uuid=UNKNOWN, total_order_amount=1000)
    assert message.status == "error" and "Shop not found" in str(message.content) and "1008" in str(message.content)


def test_simulate_order_for_an_unknown_contact_names_the_contact(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "simulate_order", shop_uuid=ids.SHOP_WEB, total_order_amount=1000, contact_uuid=UNKNOWN)
    assert message.status == "error" and "Contact not found" in str(message.content)


# --- create_order_return ------------------------------------------------------------------------------------------


def test_partial_return_takes_back_its_share_of_the_credits(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact, external, order_uuid = _order(client, new_email)
    earned = _credits(client, contact)
    assert earned > 0
    seen = content(
        call(
            toolkit,
            "create_order_return",
            order_uuid=order_uuid,
            line_items=[{"external_identifier": f"{external}-L2", "quantity": 1}],
            external_identifier="REFUND-77",
        )
    )
    assert seen["returned"] is True and seen["order_uuid"] == order_uuid and seen["status"] == "COMPLETED"
    assert seen["external_identifier"] == "REFUND-77" and seen["items_returned"] == 1
    assert seen["credits"] < 0 and seen["new_balance"] == earned + seen["credits"] == _credits(client, contact)
    (row,) = _returns_of(sandbox, order_uuid)
    assert row["args"]["external_identifier"] == "REFUND-77" and row["args"]["status"] == "COMPLETED"
    assert row["args"]["line_items"] == [{"external_identifier": f"{external}-L2", "quantity": 1}]


def test_return_without_lines_returns_the_whole_order_and_all_its_credits(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact, _external, order_uuid = _order(client, new_email)
    earned = _credits(client, contact)
    seen = content(call(toolkit, "create_order_return", order_uuid=order_uuid))
    assert seen["items_returned"] == 4 and seen["credits"] == -earned and seen["new_balance"] == 0
    assert seen["external_identifier"].startswith("RETURN-")
    assert _credits(client, contact) == 0
    (row,) = _returns_of(sandbox, order_uuid)
    assert row["args"]["external_identifier"] == seen["external_identifier"]


def test_returning_more_than_was_ordered_is_refused_and_changes_nothing(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact, external, order_uuid = _order(client, new_email)
    earned = _credits(client, contact)
    message = call(
        toolkit,
        "create_order_return",
        order_uuid=order_uuid,
        line_items=[{"external_identifier": f"{external}-L1", "quantity": 4}],
    )
    assert message.status == "error"
    assert "line_items.0.quantity" in str(message.content) and "greater than 3" in str(message.content)
    assert _credits(client, contact) == earned and _returns_of(sandbox, order_uuid) == []


def test_returning_an_unknown_line_or_order_names_it(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    _contact, _external, order_uuid = _order(client, new_email)
    line = call(
        toolkit,
        "create_order_return",
        order_uuid=order_uuid,
        line_items=[{"external_identifier": "NOT-A-LINE", "quantity": 1}],
    )
    assert line.status == "error" and "line_items.0.external_identifier" in str(line.content)
    order = call(toolkit, "create_order_return", order_uuid=UNKNOWN)
    assert order.status == "error" and "Order not found" in str(order.content) and UNKNOWN in str(order.content)
    assert _returns_of(sandbox, order_uuid) == [] and _returns_of(sandbox, UNKNOWN) == []


def test_a_return_id_is_used_once(toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    _contact, external, order_uuid = _order(client, new_email)
    return_id = f"REFUND-{uuid.uuid4().hex[:8]}"
    line = [{"external_identifier": f"{external}-L1", "quantity": 1}]
    content(call(toolkit, "create_order_return", order_uuid=order_uuid, line_items=line, external_identifier=return_id))
    again = call(toolkit, "create_order_return", order_uuid=order_uuid, line_items=line, external_identifier=return_id)
    assert again.status == "error" and "external_identifier" in str(again.content) and "taken" in str(again.content)
    assert len(_returns_of(sandbox, order_uuid)) == 1


def test_create_order_return_is_destructive_and_needs_approval(toolkit: PiggyToolkit) -> None:
    args = {"order_uuid": UNKNOWN, "line_items": [{"external_identifier": "L1", "quantity": 1}]}
    assert toolkit.risk_of({"name": "create_order_return", "args": args}) is Risk.DESTRUCTIVE
    assert toolkit.risk_of({"name": "create_order_return", "args": {}}) is Risk.DESTRUCTIVE
    assert "create_order_return" in toolkit.interrupt_on()
    for name in ("list_orders", "find_order", "simulate_order", "list_products"):
        assert toolkit.risk_of({"name": name, "args": {"total_order_amount": -5}}) is Risk.READ
        assert name not in toolkit.interrupt_on()


# --- list_products ------------------------------------------------------------------------------------------------


def test_list_products_shows_the_catalogue_page_by_page(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_products", limit=3))
    assert len(seen["products"]) == 3 and seen["total"] >= 8 and "page=2" in seen["more"]
    espresso = next(
        p for p in content(call(toolkit, "list_products", limit=100))["products"] if p["name"] == "Espresso"
    )
    assert espresso == {
        "uuid": seeded.product_uuid("espresso"),
        "external_identifier": "espresso",
        "name": "Espresso",
        "categories": ["Coffee"],
    }


def test_list_products_past_the_last_page_is_empty(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_products", page=10_000, limit=100))
    assert seen["products"] == [] and "more" not in seen


# --- async --------------------------------------------------------------------------------------------------------


async def test_order_tools_work_async(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact, external, order_uuid = _order(client, new_email)
    listed = content(await acall(toolkit, "list_orders", contact_uuid=contact))
    assert [o["external_identifier"] for o in listed["orders"]] == [external]
    found = content(await acall(toolkit, "find_order", external_identifier=external))
    assert found == content(call(toolkit, "find_order", external_identifier=external))
    simulated = content(await acall(toolkit, "simulate_order", shop_uuid=ids.SHOP_WEB, total_order_amount=3270))
    assert simulated["credits"] > 0
    products = content(await acall(toolkit, "list_products", limit=2))
    assert len(products["products"]) == 2
    returned = content(
        await acall(
            toolkit,
            "create_order_return",
            order_uuid=order_uuid,
            line_items=[{"external_identifier": f"{external}-L1", "quantity": 3}],
        )
    )
    assert returned["new_balance"] == _credits(client, contact) and len(_returns_of(sandbox, order_uuid)) == 1
    missing = await acall(toolkit, "find_order", external_identifier="NO-SUCH-ORDER")
    assert missing.status == "error" and "Order not found" in str(missing.content)


# --- invalid arguments: an error message, no request --------------------------------------------------------------

ORDER = seeded.order_uuid(EMMA_ORDER)
INVALID = [
    ("list_orders", {"contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("list_orders", {"limit": -5}, "limit"),
    ("list_orders", {"limit": 101}, "limit"),
    ("list_orders", {"page": 0}, "page"),
    ("list_orders", {"page": "two"}, "page"),
    ("find_order", {}, "external_identifier is required"),
    ("find_order", {"external_identifier": "../x"}, "external_identifier must be an external identifier"),
    ("find_order", {"external_identifier": ""}, "external_identifier"),
    ("find_order", {"external_identifier": 7}, "external_identifier"),
    ("simulate_order", {"total_order_amount": 1000}, "shop_uuid is required"),
    ("simulate_order", {"shop_uuid": ids.SHOP_WEB}, "total_order_amount is required"),
    ("simulate_order", {"shop_uuid": ids.SHOP_WEB, "total_order_amount": -100}, "total_order_amount"),
    ("simulate_order", {"shop_uuid": ids.SHOP_WEB, "total_order_amount": "ten euro"}, "total_order_amount"),
    ("simulate_order", {"shop_uuid": "../x", "total_order_amount": 100}, "shop_uuid must be a UUID"),
    (
        "simulate_order",
        {"shop_uuid": ids.SHOP_WEB, "total_order_amount": 100, "contact_uuid": "../x"},
        "contact_uuid must be a UUID",
    ),
    ("create_order_return", {}, "order_uuid is required"),
    ("create_order_return", {"order_uuid": "../x"}, "order_uuid must be a UUID"),
    ("create_order_return", {"order_uuid": ORDER, "line_items": "all"}, "line_items"),
    ("create_order_return", {"order_uuid": ORDER, "line_items": [{"quantity": 1}]}, "external_identifier is required"),
    (
        "create_order_return",
        {"order_uuid": ORDER, "line_items": [{"external_identifier": "L1", "quantity": 0}]},
        "quantity",
    ),
    (
        "create_order_return",
        {"order_uuid": ORDER, "line_items": [{"external_identifier": "L1", "quantity": -1}]},
        "quantity",
    ),
    (
        "create_order_return",
        {"order_uuid": ORDER, "line_items": [{"external_identifier": "../L1", "quantity": 1}]},
        "external_identifier must be an external identifier",
    ),
    ("create_order_return", {"order_uuid": ORDER, "external_identifier": "../x"}, "external_identifier"),
    ("list_products", {"limit": -1}, "limit"),
    ("list_products", {"limit": 0}, "limit"),
    ("list_products", {"page": -3}, "page"),
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


def test_scoped_order_tools_never_reach_another_customers_orders(
    make_toolkit: Any, client: PiggyClient, sandbox: Sandbox
) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE, groups=["orders"])
    # A return could reverse another customer's credits: it is left out of a customer-scoped toolkit.
    assert {t.name for t in scoped.get_tools()} == {"list_orders", "find_order", "simulate_order", "list_products"}
    for tool in scoped.get_tools():
        assert "contact_uuid" not in tool.args, tool.name
    writes_before = len(sandbox.audit())
    # Asking for Sofia's orders: the argument is not in the schema and is ignored, never obeyed.
    assert content(call(scoped, "list_orders", contact_uuid=SOFIA, limit=100))["orders"] == []
    for other in (SOFIA_ORDER, EMMA_ORDER):
        message = call(scoped, "find_order", external_identifier=other)
        assert message.status == "error" and "Not found for this customer" in str(message.content)
        assert other not in str(message.content) and SOFIA not in str(message.content)
    simulated = content(
        call(scoped, "simulate_order", shop_uuid=ids.SHOP_WEB, total_order_amount=500, contact_uuid=SOFIA)
    )
    assert simulated["contact_uuid"] == ids.JANE
    assert content(call(scoped, "list_products", limit=1))["products"]  # shared catalogue
    assert len(sandbox.audit()) == writes_before


def test_scoped_order_tools_show_the_bound_customer_their_own_orders(
    make_toolkit: Any, client: PiggyClient, new_email: str
) -> None:
    contact, external, order_uuid = _order(client, new_email)
    scoped = make_toolkit(contact_uuid=contact, groups=["orders"])
    listed = content(call(scoped, "list_orders", contact_uuid=SOFIA))
    assert [o["uuid"] for o in listed["orders"]] == [order_uuid]
    assert content(call(scoped, "find_order", external_identifier=external))["contact_uuid"] == contact
    denied = call(scoped, "find_order", external_identifier=SOFIA_ORDER)
    assert denied.status == "error" and "NotFoundError" in str(denied.content)
