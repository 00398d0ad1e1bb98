"""Prepaid tools against the sandbox: the balance and history as the model sees them, and the money really moved.

Balances that change belong to contacts the test creates; Jane (€40) and Tom (€25) are only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import Risk
from tests.tools.helpers import acall, call, content

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"


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


def _contact_with(client: PiggyClient, email: str, cents: int) -> str:
    uuid = client.contacts.create(email).uuid
    if cents:
        client.prepaid_transactions.create(contact_uuid=uuid, amount_in_cents=cents, shop_uuid=ids.SHOP_WEB)
    return uuid


def _writes_for(sandbox: Sandbox, contact_uuid: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit("prepaid_transactions.create") if r["args"].get("contact_uuid") == contact_uuid]


# --- get_prepaid_balance ------------------------------------------------------------------------------------------


def test_get_prepaid_balance_shows_cents_and_euros(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "get_prepaid_balance", contact_uuid=ids.JANE))
    assert seen == {"contact_uuid": ids.JANE, "balance_in_cents": 4000, "balance": "€40.00"}


def test_get_prepaid_balance_of_an_unknown_contact_is_not_found(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "get_prepaid_balance", contact_uuid=UNKNOWN)
    assert message.status == "error" and "Contact not found" in str(message.content) and "55031" in str(message.content)


# --- list_prepaid_transactions ------------------------------------------------------------------------------------


def test_list_prepaid_transactions_explains_the_balance(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_prepaid_transactions", contact_uuid=ids.JANE))
    assert [t["amount_in_cents"] for t in seen["transactions"]] == [5000, -1000]
    assert seen["transactions"][-1]["balance"] == "€40.00" and seen["transactions"][-1]["amount"] == "-€10.00"
    assert seen["total"] == 2 and "more" not in seen


def test_list_prepaid_transactions_pages(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_prepaid_transactions", contact_uuid=ids.JANE, limit=1))
    assert len(seen["transactions"]) == 1 and "page=2" in seen["more"]
    second = content(call(toolkit, "list_prepaid_transactions", contact_uuid=ids.JANE, limit=1, page=2))
    assert second["transactions"][0]["amount_in_cents"] == -1000


def test_list_prepaid_transactions_of_an_unknown_contact_is_not_found(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "list_prepaid_transactions", contact_uuid=UNKNOWN)
    assert message.status == "error" and "55031" in str(message.content)


# --- create_prepaid_transaction -----------------------------------------------------------------------------------


def test_top_up_and_pay_move_the_prepaid_balance(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    uuid = _contact_with(client, new_email, 0)
    topped = content(
        call(toolkit, "create_prepaid_transaction", contact_uuid=uuid, amount_in_cents=2500, shop_uuid=ids.SHOP_WEB)
    )
    assert topped["amount"] == "€25.00" and topped["balance_in_cents"] == 2500 and topped["balance"] == "€25.00"
    paid = content(
        call(toolkit, "create_prepaid_transaction", contact_uuid=uuid, amount_in_cents=-999, shop_uuid=ids.SHOP_WEB)
    )
    assert paid["amount_in_cents"] == -999 and paid["balance"] == "€15.01"
    assert client.contacts.get_prepaid_balance(uuid).balance_in_cents == 1501
    assert [r["args"]["amount_in_cents"] for r in _writes_for(sandbox, uuid)] == [2500, -999]


def test_paying_more_than_the_prepaid_balance_is_refused_and_moves_nothing(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    uuid = _contact_with(client, new_email, 1000)
    message = call(
        toolkit, "create_prepaid_transaction", contact_uuid=uuid, amount_in_cents=-1001, shop_uuid=ids.SHOP_WEB
    )
    assert message.status == "error"
    assert "InsufficientBalanceError" in str(message.content) and "do not retry" in str(message.content)
    assert client.contacts.get_prepaid_balance(uuid).balance_in_cents == 1000
    assert len(_writes_for(sandbox, uuid)) == 1  # only the funding


def test_prepaid_transaction_at_an_unknown_shop_is_refused(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    uuid = _contact_with(client, new_email, 0)
    message = call(toolkit, "create_prepaid_transaction", contact_uuid=uuid, amount_in_cents=500, shop_uuid=UNKNOWN)
    assert message.status == "error" and "NotFoundError" in str(message.content)
    assert client.contacts.get_prepaid_balance(uuid).balance_in_cents == 0


def test_prepaid_transaction_risk_depends_on_the_sign(toolkit: PiggyToolkit) -> None:
    def risk(**args: Any) -> Risk:
        return toolkit.risk_of({"name": "create_prepaid_transaction", "args": args})

    base = {"contact_uuid": ids.JANE, "shop_uuid": ids.SHOP_WEB}
    assert risk(**base, amount_in_cents=1) is Risk.WRITE
    assert risk(**base, amount_in_cents=-1) is Risk.DESTRUCTIVE
    assert risk(**base, amount_in_cents=0) is Risk.DESTRUCTIVE
    assert risk(**base) is Risk.DESTRUCTIVE
    assert risk(**base, amount_in_cents={"cents": 5}) is Risk.DESTRUCTIVE
    assert "when" in toolkit.interrupt_on()["create_prepaid_transaction"]


async def test_prepaid_tools_work_async(toolkit: PiggyToolkit, client: PiggyClient, new_email: str) -> None:
    uuid = _contact_with(client, new_email, 3000)
    seen = content(
        await acall(
            toolkit, "create_prepaid_transaction", contact_uuid=uuid, amount_in_cents=-500, shop_uuid=ids.SHOP_WEB
        )
    )
    assert seen["balance"] == "€25.00"
    balance = content(await acall(toolkit, "get_prepaid_balance", contact_uuid=uuid))
    assert balance["balance_in_cents"] == 2500 == client.contacts.get_prepaid_balance(uuid).balance_in_cents
    history = content(await acall(toolkit, "list_prepaid_transactions", contact_uuid=uuid))
    assert [t["amount_in_cents"] for t in history["transactions"]] == [3000, -500]
    failed = await acall(toolkit, "get_prepaid_balance", contact_uuid=UNKNOWN)
    assert failed.status == "error" and "55031" in str(failed.content)


# --- invalid arguments: an error message, no request --------------------------------------------------------------

INVALID = [
    ("get_prepaid_balance", {}, "contact_uuid is required"),
    ("get_prepaid_balance", {"contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("get_prepaid_balance", {"contact_uuid": 7}, "contact_uuid"),
    ("list_prepaid_transactions", {}, "contact_uuid is required"),
    ("list_prepaid_transactions", {"contact_uuid": ids.JANE, "limit": -5}, "limit"),
    ("list_prepaid_transactions", {"contact_uuid": ids.JANE, "limit": 31}, "limit"),
    ("list_prepaid_transactions", {"contact_uuid": ids.JANE, "page": -1}, "page"),
    ("list_prepaid_transactions", {"contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("create_prepaid_transaction", {"contact_uuid": ids.JANE, "amount_in_cents": 500}, "shop_uuid is required"),
    ("create_prepaid_transaction", {"contact_uuid": ids.JANE, "shop_uuid": ids.SHOP_WEB}, "amount_in_cents"),
    (
        "create_prepaid_transaction",
        {"contact_uuid": ids.JANE, "amount_in_cents": "ten", "shop_uuid": ids.SHOP_WEB},
        "amount_in_cents",
    ),
    (
        "create_prepaid_transaction",
        {"contact_uuid": ids.JANE, "amount_in_cents": 0, "shop_uuid": ids.SHOP_WEB},
        "amount_in_cents must not be 0",
    ),
    (
        "create_prepaid_transaction",
        {"contact_uuid": ids.JANE, "amount_in_cents": -(10**9), "shop_uuid": ids.SHOP_WEB},
        "amount_in_cents",
    ),
    (
        "create_prepaid_transaction",
        {"contact_uuid": "../x", "amount_in_cents": 500, "shop_uuid": ids.SHOP_WEB},
        "contact_uuid must be a UUID",
    ),
    (
        "create_prepaid_transaction",
        {"contact_uuid": ids.JANE, "amount_in_cents": 500, "shop_uuid": "shops/../x"},
        "shop_uuid must be a UUID",
    ),
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


def test_scoped_prepaid_tools_only_ever_see_and_move_the_bound_contacts_money(
    make_toolkit: Any, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    mine = _contact_with(client, new_email, 2000)
    scoped = make_toolkit(contact_uuid=mine, groups=["prepaid"])
    assert {t.name for t in scoped.get_tools()} == {
        "get_prepaid_balance",
        "list_prepaid_transactions",
        "create_prepaid_transaction",
    }  # reverse_prepaid_transaction is left out: reversing one's own payment would refund a consumed purchase
    for tool in scoped.get_tools():
        assert "contact_uuid" not in tool.args
    tom_before = client.contacts.get_prepaid_balance(ids.TOM).balance_in_cents
    # Asking for Tom: the argument is not in the schema and is ignored, never obeyed.
    assert content(call(scoped, "get_prepaid_balance", contact_uuid=ids.TOM))["contact_uuid"] == mine
    assert content(call(scoped, "get_prepaid_balance"))["balance_in_cents"] == 2000
    history = content(call(scoped, "list_prepaid_transactions", contact_uuid=ids.TOM, limit=30))
    assert [t["amount_in_cents"] for t in history["transactions"]] == [2000]
    paid = content(
        call(scoped, "create_prepaid_transaction", contact_uuid=ids.TOM, amount_in_cents=-500, shop_uuid=ids.SHOP_WEB)
    )
    assert paid["balance_in_cents"] == 1500
    assert client.contacts.get_prepaid_balance(mine).balance_in_cents == 1500
    assert client.contacts.get_prepaid_balance(ids.TOM).balance_in_cents == tom_before
    assert [r["args"]["amount_in_cents"] for r in _writes_for(sandbox, mine)] == [2000, -500]
    assert scoped.risk_of({"name": "create_prepaid_transaction", "args": {"amount_in_cents": -5}}) is Risk.DESTRUCTIVE
