"""Issue 15: the seed's last sub-actions as tools (or excluded with a reason), and results that say what happened.

Real client, real sandbox over HTTP; the one mock transport (a malformed shops answer) is a fault injection.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from langchain_core.messages import ToolMessage

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import giftcards as giftcard_seed
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import REGISTRY
from piggy_agent_tools.tools._present import money
from piggy_agent_tools.tools.excluded import EXCLUDED
from tests.tools.helpers import acall, call, content

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"


def _invoke(toolkit: PiggyToolkit, name: str, call_id: str, **args: Any) -> ToolMessage:
    tool = next(t for t in toolkit.get_tools() if t.name == name)
    message = tool.invoke({"type": "tool_call", "id": call_id, "name": name, "args": args})
    assert isinstance(message, ToolMessage)
    return message


# --- every client-only sub-action is a tool or excluded with its reason ------------------------------------------


@pytest.mark.parametrize(
    ("operation", "tool"),
    [
        ("voucher lock", None),
        ("voucher release", None),
        ("prepaid reverse", "reverse_prepaid_transaction"),
        ("gift-card transaction list", "list_giftcard_transactions"),
        ("gift-card transaction get", "get_giftcard_transaction"),
        ("identifier update", None),
        ("identifier delete", None),
    ],
)
def test_each_client_only_sub_action_is_a_tool_or_excluded_with_a_reason(operation: str, tool: str | None) -> None:
    if tool is not None:
        assert tool in {s.name for s in REGISTRY}
        return
    needle = {"voucher lock": "/lock", "voucher release": "/release", "identifier update": "PUT /contact-identifiers"}
    key = needle.get(operation, "DELETE /contact-identifiers")
    reasons = [reason for name, reason in EXCLUDED.items() if key in name]
    assert reasons and len(reasons[0]) > 40, operation


def test_list_rewards_filters_by_shop_and_refuses_an_unknown_shop(toolkit: PiggyToolkit) -> None:
    everything = content(call(toolkit, "list_rewards"))
    at_shop = content(call(toolkit, "list_rewards", shop_uuid=ids.SHOP_WEB))
    assert at_shop["total"] >= 1 and at_shop["total"] <= everything["total"]
    bogus = call(toolkit, "list_rewards", shop_uuid=UNKNOWN)
    assert bogus.status == "error" and "1008" in str(bogus.content)


def test_get_loyalty_program_lists_the_gift_card_programs(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "get_loyalty_program"))
    programs = {p["uuid"]: p for p in seen["giftcard_programs"]}
    assert giftcard_seed.PROGRAM in programs and giftcard_seed.CORPORATE_PROGRAM in programs
    assert programs[giftcard_seed.PROGRAM]["max_amount_in_cents"] == giftcard_seed.PROGRAM_MAX_IN_CENTS


async def test_get_contact_includes_the_contacts_identifiers(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    expected = {i.value for i in client.contacts.list_identifiers(ids.JANE)}
    assert expected
    for seen in (
        content(call(toolkit, "get_contact", contact_uuid=ids.JANE)),
        content(await acall(toolkit, "get_contact", email="jane.doe@example.com")),
    ):
        assert {i["value"] for i in seen["identifiers"]} == expected


def test_list_loyalty_transactions_takes_an_upper_date_bound(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=5)
    everything = content(call(toolkit, "list_loyalty_transactions", contact_uuid=contact))
    assert everything["total"] == 1
    before = content(call(toolkit, "list_loyalty_transactions", contact_uuid=contact, created_before="2020-01-01"))
    assert before["total"] == 0
    later = content(call(toolkit, "list_loyalty_transactions", contact_uuid=contact, created_before="2999-01-01"))
    assert later["total"] == 1


# --- new tools against the sandbox --------------------------------------------------------------------------------


async def test_gift_card_transactions_are_listed_and_read_by_uuid(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    card = client.giftcards.create(giftcard_seed.PROGRAM)
    top_up = client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=2000, shop_uuid=ids.SHOP_WEB)
    spend = client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=-750, shop_uuid=ids.SHOP_WEB)
    listed = content(call(toolkit, "list_giftcard_transactions", giftcard_uuid=card.uuid))
    assert sorted(t["amount_in_cents"] for t in listed["transactions"]) == [-750, 2000]
    assert {t["transaction_uuid"] for t in listed["transactions"]} == {top_up.uuid, spend.uuid}
    one = content(await acall(toolkit, "get_giftcard_transaction", giftcard_transaction_uuid=spend.uuid))
    assert one["amount_in_cents"] == -750 and one["giftcard_uuid"] == card.uuid
    missing = call(toolkit, "get_giftcard_transaction", giftcard_transaction_uuid=UNKNOWN)
    assert missing.status == "error" and "NotFoundError" in str(missing.content)


def test_list_giftcard_transactions_sends_the_documented_perpage(sandbox: Sandbox) -> None:
    sent: list[httpx.Request] = []
    with httpx.Client(timeout=30, event_hooks={"request": [sent.append]}) as http:
        client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
        client.giftcard_transactions.list(limit=5)
    assert sent[-1].url.params.get("perPage") == "5" and "limit" not in sent[-1].url.params


async def test_reverse_prepaid_transaction_undoes_a_payment_and_refuses_another_customers(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    mine = client.contacts.create("p-" + new_email).uuid
    other = client.contacts.create("q-" + new_email).uuid
    client.prepaid_transactions.create(contact_uuid=mine, amount_in_cents=3000, shop_uuid=ids.SHOP_WEB)
    paid = client.prepaid_transactions.create(contact_uuid=mine, amount_in_cents=-1200, shop_uuid=ids.SHOP_WEB)
    refused = call(toolkit, "reverse_prepaid_transaction", prepaid_transaction_uuid=paid.uuid, contact_uuid=other)
    assert refused.status == "error" and "not in the customer's wallet" in str(refused.content)
    assert client.contacts.get_prepaid_balance(mine).balance_in_cents == 1800
    done = content(
        await acall(toolkit, "reverse_prepaid_transaction", prepaid_transaction_uuid=paid.uuid, contact_uuid=mine)
    )
    assert done["reversed"] == paid.uuid and done["amount_in_cents"] == 1200 and done["balance_in_cents"] == 3000
    assert client.contacts.get_prepaid_balance(mine).balance_in_cents == 3000


# --- honest results -----------------------------------------------------------------------------------------------


def test_delete_contact_says_piggy_scheduled_the_gdpr_erasure(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    seen = content(call(toolkit, "delete_contact", contact_uuid=contact, type="GDPR"))
    assert seen["scheduled"] is True and "GDPR erasure" in seen["note"] and "asynchronously" in seen["note"]


def test_a_prepaid_overdraw_is_told_in_money_words(toolkit: PiggyToolkit, client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email).uuid
    message = call(
        toolkit, "create_prepaid_transaction", contact_uuid=contact, amount_in_cents=-100, shop_uuid=ids.SHOP_WEB
    )
    text = str(message.content)
    assert message.status == "error" and "prepaid balance" in text and "credits" not in text.lower()


def test_money_is_shown_in_the_currency_piggy_formatted() -> None:
    assert money(1250, "€40.00") == "€12.50"
    assert money(-1250, "$ 3.00") == "-$ 12.50"
    assert money(400, "10,00 USD") == "4.00 USD"
    assert money(400, None) == "€4.00"  # Piggy's default currency when no formatted amount is given


def test_prepaid_results_take_the_currency_from_piggys_formatted_balance(
    toolkit: PiggyToolkit, client: PiggyClient
) -> None:
    formatted = client.contacts.get_prepaid_balance(ids.JANE).balance
    seen = content(call(toolkit, "get_prepaid_balance", contact_uuid=ids.JANE))
    assert formatted and seen["balance"] == formatted


def test_validate_voucher_asks_for_a_shop_when_there_are_several(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    assert len(client.shops.list()) == 2
    asked = call(toolkit, "validate_voucher", code="SPRING-10-JANE")
    assert asked.status == "error" and "shop_uuid" in str(asked.content) and ids.SHOP_WEB in str(asked.content)


def test_reversal_ownership_finds_an_old_award_of_a_busy_customer(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    oldest = client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=7)
    for _ in range(105):  # more than one page of 100: the oldest award is on page 2 (newest first)
        client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=1)
    done = call(toolkit, "reverse_credit_reception", credit_reception_uuid=oldest.uuid, contact_uuid=contact)
    assert done.status == "success", done.content
    assert client.contacts.get_credit_balance(contact).balance == 105


def test_a_retried_order_return_is_refused_as_a_duplicate(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    contact = client.contacts.create(f"ret-{uuid.uuid4().hex[:8]}@example.com").uuid
    external = f"T-ORDER-{uuid.uuid4().hex[:10]}"
    line = {"external_identifier": f"{external}-L1", "name": "Espresso", "quantity": 4, "price": 260}
    order = client.orders.create_and_process(
        external_identifier=external,
        contact_uuid=contact,
        business_profile_uuid=ids.SHOP_AMSTERDAM,
        total_order_amount=1040,
        line_items=[{**line, "total_amount": 1040}],
    ).order.uuid
    args = {"order_uuid": order, "line_items": [{"external_identifier": f"{external}-L1", "quantity": 1}]}
    first = _invoke(toolkit, "create_order_return", "call-42", **args)
    again = _invoke(toolkit, "create_order_return", "call-42", **args)  # the same tool call, retried
    assert first.status == "success" and again.status == "error"
    assert "already been taken" in str(again.content)
    other = _invoke(toolkit, "create_order_return", "call-43", **args)  # a new call: a second, legitimate return
    assert other.status == "success"
    assert content(first)["external_identifier"] != content(other)["external_identifier"]


# --- construction -------------------------------------------------------------------------------------------------


def test_the_toolkit_makes_no_request_when_constructed(sandbox: Sandbox) -> None:
    sent: list[httpx.Request] = []
    with httpx.Client(timeout=30, event_hooks={"request": [sent.append]}) as http:
        client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
        toolkit = PiggyToolkit(client=client)
        assert sent == []
        toolkit.get_tools()  # the single-shop look-up happens here, once
        assert [r.url.path.rsplit("/", 1)[-1] for r in sent] == ["shops"]
        toolkit.get_tools()
        assert len(sent) == 1


def test_a_malformed_shops_answer_leaves_no_default_shop_instead_of_escaping() -> None:
    # Fault injection: a transport that answers the shops list with a body that is not a list of shops.
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [{"no_uuid_here": True}], "meta": {}})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = PiggyClient(api_key="k", base_url="http://piggy.invalid", http_client=http, max_retries=0)
    toolkit = PiggyToolkit(client=client)
    assert toolkit.get_tools() and "shop_uuid" not in toolkit.injected


SYSTEM_KEYS = (
    "uuid email firstname lastname avatar locale status address channel birthdate created_at updated_at postalcode "
    "housenumber city phonenumber is_anonymous add_to_wallet loyalty_balance prepaid_balance previous_loyalty_balance "
    "loyalty_total_credits_received loyalty_number_of_transactions loyalty_first_transaction_date "
    "loyalty_last_transaction_date loyalty_associated_shops default_contact_identifier custom_app_login_url "
    "custom_app_login_code tier subscription_preferences_url"
).split()


def test_sandbox_contacts_carry_every_system_key_the_reference_lists(client: PiggyClient) -> None:
    contact = client.contacts.get(ids.JANE)
    values = contact.current_values
    assert [k for k in SYSTEM_KEYS if k not in values] == []
    for sub in contact.subscriptions:
        type_id = sub["subscription_type"]["id"] if isinstance(sub, dict) else sub.subscription_type.id
        assert f"subscription_status_{type_id}" in values and f"double_opt_in_confirmation_url_{type_id}" in values
    default = next(i.value for i in client.contacts.list_identifiers(ids.JANE) if i.default)
    assert values["default_contact_identifier"] == default
