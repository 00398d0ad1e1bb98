"""Gift-card tools against the sandbox: what the model sees (content or error) and what really happened (state, audit).

Cards that change state are created by the test itself; the seeded cards (BEAN-GC-0001..0006) are only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.models.giftcards import Giftcard, GiftcardTransaction
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import giftcards as seed
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import Risk
from piggy_agent_tools.tools.giftcards import card_in_scope
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


def _funded_card(client: PiggyClient, cents: int, spent: int = 0) -> tuple[Giftcard, list[GiftcardTransaction]]:
    """A new digital card of the demo program, topped up once (and optionally spent from), with its transactions."""
    card = client.giftcards.create(seed.PROGRAM)
    amounts = [cents, -spent] if spent else [cents]
    done = [
        client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=a, shop_uuid=ids.SHOP_WEB)
        for a in amounts
    ]
    return client.giftcards.get(card.uuid), done


# --- list_giftcards -------------------------------------------------------------------------------------------


def test_list_giftcards_of_a_program_shows_balances_and_how_to_get_more(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_giftcards", giftcard_program_uuid=seed.CORPORATE_PROGRAM, limit=1))
    assert seen["giftcards"][0]["hash"] == seed.CORPORATE_HASH
    assert seen["giftcards"][0]["balance_in_cents"] == 20000 and seen["giftcards"][0]["balance"] == "€200.00"
    first = content(call(toolkit, "list_giftcards", limit=2))
    assert len(first["giftcards"]) == 2 and first["page"] == 1
    assert "page=2" in first["more"]


def test_list_giftcards_of_an_unknown_program_names_the_program(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "list_giftcards", giftcard_program_uuid=UNKNOWN)
    assert message.status == "error"
    assert "NotFoundError" in str(message.content) and "1100" in str(message.content)
    assert "Program" in str(message.content)


# --- get_giftcard / find_giftcard -----------------------------------------------------------------------------


def test_get_giftcard_shows_the_balance_in_cents_and_euros(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "get_giftcard", giftcard_uuid=seed.SPENT))
    assert seen["hash"] == seed.SPENT_HASH
    assert seen["balance_in_cents"] == 3750 and seen["balance"] == "€37.50"
    assert seen["program"] == "Bean There Gift Card" and seen["program_uuid"] == seed.PROGRAM


def test_get_giftcard_unknown_is_not_found_5001(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "get_giftcard", giftcard_uuid=UNKNOWN)
    assert message.status == "error" and "5001" in str(message.content) and "Giftcard not found" in str(message.content)


def test_find_giftcard_by_printed_code_flags_an_expired_card(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "find_giftcard", hash=seed.EXPIRED_HASH))
    assert seen["uuid"] == seed.EXPIRED
    assert seen["balance"] == "€15.00" and seen["expired"] is True and seen["expires"] == "2023-12-31"
    # Typed in lower case with spaces, as customers do.
    assert content(call(toolkit, "find_giftcard", hash=" bean-gc-0001 "))["uuid"] == seed.FUNDED


def test_find_giftcard_unknown_code_is_not_found(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "find_giftcard", hash="NO-SUCH-CARD")
    assert message.status == "error" and "5001" in str(message.content) and "NotFoundError" in str(message.content)


# --- create_giftcard ------------------------------------------------------------------------------------------


def test_create_giftcard_creates_an_empty_digital_card(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    seen = content(call(toolkit, "create_giftcard", giftcard_program_uuid=seed.PROGRAM))
    assert seen["created"] is True and seen["balance_in_cents"] == 0 and seen["balance"] == "€0.00"
    card = client.giftcards.get(seen["uuid"])
    assert card.hash == seen["hash"] and card.type == "DIGITAL" and card.amount_in_cents == 0


def test_create_giftcard_in_an_unknown_program_creates_nothing(toolkit: PiggyToolkit, sandbox: Sandbox) -> None:
    before = len(sandbox.audit("giftcards.create"))
    message = call(toolkit, "create_giftcard", giftcard_program_uuid=UNKNOWN)
    assert message.status == "error" and "1100" in str(message.content)
    assert len(sandbox.audit("giftcards.create")) == before


# --- create_giftcard_transaction ------------------------------------------------------------------------------


def test_spending_from_a_gift_card_returns_the_new_balance(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    card, _ = _funded_card(client, 3000)
    seen = content(
        call(
            toolkit,
            "create_giftcard_transaction",
            giftcard_uuid=card.uuid,
            amount_in_cents=-1250,
            shop_uuid=ids.SHOP_AMSTERDAM,
        )
    )
    assert seen["amount_in_cents"] == -1250 and seen["amount"] == "-€12.50"
    assert seen["balance_in_cents"] == 1750 and seen["balance"] == "€17.50"
    assert client.giftcards.get(card.uuid).amount_in_cents == 1750
    assert client.giftcard_transactions.get(seen["transaction_uuid"]).amount_in_cents == -1250
    rows = [r for r in sandbox.audit("giftcard_transactions.create") if r["args"]["giftcard_uuid"] == card.uuid]
    assert [r["args"]["amount_in_cents"] for r in rows] == [3000, -1250]


def test_topping_up_a_new_gift_card(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    card = client.giftcards.create(seed.PROGRAM)
    seen = content(
        call(
            toolkit,
            "create_giftcard_transaction",
            giftcard_uuid=card.uuid,
            amount_in_cents=2000,
            shop_uuid=ids.SHOP_WEB,
        )
    )
    assert seen["balance"] == "€20.00" and client.giftcards.get(card.uuid).amount_in_cents == 2000


def test_overspending_a_gift_card_is_refused_and_moves_nothing(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    card, _ = _funded_card(client, 1000)
    message = call(
        toolkit, "create_giftcard_transaction", giftcard_uuid=card.uuid, amount_in_cents=-1001, shop_uuid=ids.SHOP_WEB
    )
    assert message.status == "error"
    assert "InsufficientBalanceError" in str(message.content) and "5003" in str(message.content)
    assert "Insufficient amount on giftcard" in str(message.content)
    assert client.giftcards.get(card.uuid).amount_in_cents == 1000
    rows = [r for r in sandbox.audit("giftcard_transactions.create") if r["args"]["giftcard_uuid"] == card.uuid]
    assert len(rows) == 1  # only the funding


def test_expired_and_already_topped_up_cards_are_refused(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    expired = call(
        toolkit, "create_giftcard_transaction", giftcard_uuid=seed.EXPIRED, amount_in_cents=-500, shop_uuid=ids.SHOP_WEB
    )
    assert expired.status == "error" and "5002" in str(expired.content) and "expired" in str(expired.content)
    card, _ = _funded_card(client, 1000)
    again = call(
        toolkit, "create_giftcard_transaction", giftcard_uuid=card.uuid, amount_in_cents=500, shop_uuid=ids.SHOP_WEB
    )
    assert again.status == "error" and "5006" in str(again.content) and "ConflictError" in str(again.content)
    assert client.giftcards.get(seed.EXPIRED).amount_in_cents == 1500
    assert client.giftcards.get(card.uuid).amount_in_cents == 1000


def test_gift_card_transaction_for_an_unknown_card_sends_no_transaction(
    toolkit: PiggyToolkit, sandbox: Sandbox
) -> None:
    before = len(sandbox.audit("giftcard_transactions.create"))
    message = call(
        toolkit, "create_giftcard_transaction", giftcard_uuid=UNKNOWN, amount_in_cents=-100, shop_uuid=ids.SHOP_WEB
    )
    assert message.status == "error" and "5001" in str(message.content)
    assert len(sandbox.audit("giftcard_transactions.create")) == before


def test_gift_card_transaction_risk_depends_on_the_sign(toolkit: PiggyToolkit) -> None:
    def risk(**args: Any) -> Risk:
        return toolkit.risk_of({"name": "create_giftcard_transaction", "args": args})

    base = {"giftcard_uuid": seed.FUNDED, "shop_uuid": ids.SHOP_WEB}
    assert risk(**base, amount_in_cents=500) is Risk.WRITE
    assert risk(**base, amount_in_cents="500") is Risk.WRITE  # the tool would accept it the same way
    assert risk(**base, amount_in_cents=-500) is Risk.DESTRUCTIVE
    assert risk(**base, amount_in_cents=0) is Risk.DESTRUCTIVE
    assert risk(**base) is Risk.DESTRUCTIVE  # missing
    assert risk(**base, amount_in_cents="a lot") is Risk.DESTRUCTIVE
    assert risk(**base, amount_in_cents=None) is Risk.DESTRUCTIVE
    assert "when" in toolkit.interrupt_on()["create_giftcard_transaction"]


# --- reverse_giftcard_transaction -----------------------------------------------------------------------------


def test_reversing_the_last_gift_card_transaction_restores_the_balance(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    card, (_, last) = _funded_card(client, 3000, spent=1000)
    assert last.amount_in_cents == -1000 and last.uuid
    seen = content(call(toolkit, "reverse_giftcard_transaction", giftcard_transaction_uuid=last.uuid))
    assert seen["reversed"] == last.uuid and seen["giftcard_uuid"] == card.uuid
    assert seen["amount_in_cents"] == 1000 and seen["balance_in_cents"] == 3000 and seen["balance"] == "€30.00"
    assert client.giftcards.get(card.uuid).amount_in_cents == 3000
    assert [r["args"]["giftcard_transaction_uuid"] for r in sandbox.audit("giftcard_transactions.reverse")][-1] == (
        last.uuid
    )


def test_reversing_an_older_transaction_is_refused_55025(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    card, (first, _) = _funded_card(client, 3000, spent=1000)
    assert first.uuid
    before = len(sandbox.audit("giftcard_transactions.reverse"))
    message = call(toolkit, "reverse_giftcard_transaction", giftcard_transaction_uuid=first.uuid)
    assert message.status == "error" and "55025" in str(message.content) and "last transaction" in str(message.content)
    assert client.giftcards.get(card.uuid).amount_in_cents == 2000
    assert len(sandbox.audit("giftcard_transactions.reverse")) == before


def test_reversing_an_unknown_transaction_is_not_found(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "reverse_giftcard_transaction", giftcard_transaction_uuid=UNKNOWN)
    assert message.status == "error" and "5010" in str(message.content)


# --- async ----------------------------------------------------------------------------------------------------


async def test_gift_card_tools_work_async_including_the_multi_step_transaction(
    toolkit: PiggyToolkit, client: PiggyClient
) -> None:
    found = content(await acall(toolkit, "find_giftcard", hash=seed.SPENT_HASH))
    assert found == content(call(toolkit, "find_giftcard", hash=seed.SPENT_HASH))
    card, _ = _funded_card(client, 4000)
    seen = content(
        await acall(
            toolkit,
            "create_giftcard_transaction",
            giftcard_uuid=card.uuid,
            amount_in_cents=-500,
            shop_uuid=ids.SHOP_WEB,
        )
    )
    assert seen["balance_in_cents"] == 3500 and client.giftcards.get(card.uuid).amount_in_cents == 3500
    undone = content(
        await acall(toolkit, "reverse_giftcard_transaction", giftcard_transaction_uuid=seen["transaction_uuid"])
    )
    assert undone["balance_in_cents"] == 4000 and client.giftcards.get(card.uuid).amount_in_cents == 4000
    failed = await acall(toolkit, "get_giftcard", giftcard_uuid=UNKNOWN)
    assert failed.status == "error" and "5001" in str(failed.content)


# --- invalid arguments: an error message, no request ----------------------------------------------------------

INVALID = [
    ("list_giftcards", {"limit": -1}, "limit"),
    ("list_giftcards", {"page": 0}, "page"),
    ("list_giftcards", {"limit": "twenty"}, "limit"),
    ("list_giftcards", {"giftcard_program_uuid": "../x"}, "giftcard_program_uuid"),
    ("get_giftcard", {}, "giftcard_uuid is required"),
    ("get_giftcard", {"giftcard_uuid": "../x"}, "giftcard_uuid must be a UUID"),
    ("get_giftcard", {"giftcard_uuid": 42}, "giftcard_uuid"),
    ("find_giftcard", {}, "hash is required"),
    ("find_giftcard", {"hash": "  "}, "hash"),
    ("find_giftcard", {"hash": ["BEAN-GC-0001"]}, "hash"),
    ("create_giftcard", {}, "giftcard_program_uuid is required"),
    ("create_giftcard", {"giftcard_program_uuid": "../../giftcards"}, "giftcard_program_uuid must be a UUID"),
    ("create_giftcard_transaction", {"giftcard_uuid": seed.NEW, "shop_uuid": ids.SHOP_WEB}, "amount_in_cents"),
    (
        "create_giftcard_transaction",
        {"giftcard_uuid": seed.NEW, "amount_in_cents": "ten euros", "shop_uuid": ids.SHOP_WEB},
        "amount_in_cents",
    ),
    (
        "create_giftcard_transaction",
        {"giftcard_uuid": seed.NEW, "amount_in_cents": 12.5, "shop_uuid": ids.SHOP_WEB},
        "amount_in_cents",
    ),
    (
        "create_giftcard_transaction",
        {"giftcard_uuid": seed.NEW, "amount_in_cents": 0, "shop_uuid": ids.SHOP_WEB},
        "amount_in_cents must not be 0",
    ),
    (
        "create_giftcard_transaction",
        {"giftcard_uuid": "../x", "amount_in_cents": 100, "shop_uuid": ids.SHOP_WEB},
        "giftcard_uuid must be a UUID",
    ),
    ("create_giftcard_transaction", {"giftcard_uuid": seed.NEW, "amount_in_cents": 100}, "shop_uuid is required"),
    ("reverse_giftcard_transaction", {}, "giftcard_transaction_uuid is required"),
    ("reverse_giftcard_transaction", {"giftcard_transaction_uuid": "../x"}, "giftcard_transaction_uuid must be"),
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


# --- customer-scoped mode -------------------------------------------------------------------------------------


def test_scoped_toolkit_offers_only_find_giftcard(make_toolkit: Any) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE, groups=["giftcards"])
    assert [t.name for t in scoped.get_tools()] == ["find_giftcard"]


def test_scoped_find_giftcard_allows_unlinked_cards_and_refuses_another_contacts_card(
    make_toolkit: Any, client: PiggyClient, sandbox: Sandbox
) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE)
    # An unlinked card: holding the code is enough.
    assert content(call(scoped, "find_giftcard", hash=seed.FUNDED_HASH))["uuid"] == seed.FUNDED
    # A card sent to Tom. The API cannot set recipients, so the test writes them into the sandbox store directly.
    toms = client.giftcards.create(seed.PROGRAM)
    janes = client.giftcards.create(seed.PROGRAM)
    with sandbox.store.tx() as tx:
        for card_uuid, contact in ((toms.uuid, ids.TOM), (janes.uuid, ids.JANE)):
            doc = tx.get("giftcard", card_uuid)
            assert doc is not None
            doc["recipients"] = [{"contact": {"uuid": contact}}]
            tx.put("giftcard", doc)
    refused = call(scoped, "find_giftcard", hash=toms.hash)
    assert refused.status == "error" and "Not found for this customer" in str(refused.content)
    assert toms.uuid not in str(refused.content)
    assert content(call(scoped, "find_giftcard", hash=janes.hash))["uuid"] == janes.uuid


def test_card_scope_check_fails_closed_on_unknown_recipient_shapes() -> None:
    def card(recipients: list[Any]) -> Giftcard:
        return Giftcard(uuid=UNKNOWN, giftcard_recipients=recipients)

    assert card_in_scope(card([]), ids.JANE)
    assert card_in_scope(card([{"contact_uuid": ids.JANE}]), ids.JANE)
    assert not card_in_scope(card([{"contact": {"uuid": ids.TOM}}]), ids.JANE)
    assert not card_in_scope(card([{"email": "someone@example.com"}]), ids.JANE)
    assert not card_in_scope(card(["tom"]), ids.JANE)
