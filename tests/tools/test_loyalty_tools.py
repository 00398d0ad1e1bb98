"""Loyalty, rewards and shop tools: what the model sees and what really happened in the sandbox."""

from __future__ import annotations

import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.policy import ApprovalPolicy
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.rewards import FREE_CAPPUCCINO, FREE_PASTRY
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.tools.helpers import acall, call, content


def _contact(client: PiggyClient, email: str, credits: int = 0) -> str:
    uuid = client.contacts.create(email).uuid
    if credits:
        client.credit_receptions.create(contact_uuid=uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=credits)
    return uuid


def test_award_credits_by_purchase_amount_applies_the_rules(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    uuid = _contact(client, new_email)
    seen = content(call(toolkit, "award_credits", contact_uuid=uuid, shop_uuid=ids.SHOP_AMSTERDAM, unit_value=12.5))
    assert seen["credits"] == 12 and seen["balance"] == 12  # 1 credit per euro, rounded down
    assert client.contacts.get_credit_balance(uuid).balance == 12


def test_award_credits_needs_exactly_one_amount_and_sends_nothing_otherwise(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    uuid = _contact(client, new_email)
    before = len(sandbox.audit("credit_receptions.create"))
    for args in ({}, {"credits": 5, "unit_value": 5.0}, {"credits": -5}, {"credits": "lots"}):
        message = call(toolkit, "award_credits", contact_uuid=uuid, shop_uuid=ids.SHOP_AMSTERDAM, **args)
        assert message.status == "error" and "nothing was sent" in str(message.content)
    assert len(sandbox.audit("credit_receptions.create")) == before


def test_award_credits_to_an_unknown_shop_names_the_problem(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    uuid = _contact(client, new_email)
    message = call(toolkit, "award_credits", contact_uuid=uuid, shop_uuid=ids.fixed("shop", "nope"), credits=5)
    assert message.status == "error" and "Shop not found." in str(message.content)


def test_calculate_writes_nothing(toolkit: PiggyToolkit, sandbox: Sandbox) -> None:
    before = len(sandbox.audit())
    seen = content(call(toolkit, "calculate_credits", shop_uuid=ids.SHOP_AMSTERDAM, unit_value=30))
    assert seen["credits"] == 30
    assert len(sandbox.audit()) == before


def test_reverse_credit_reception_takes_the_credits_back_once(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    uuid = _contact(client, new_email)
    award = content(call(toolkit, "award_credits", contact_uuid=uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=40))
    reversed_ = content(call(toolkit, "reverse_credit_reception", credit_reception_uuid=award["credit_reception_uuid"]))
    assert reversed_["credits"] == -40 and client.contacts.get_credit_balance(uuid).balance == 0
    again = call(toolkit, "reverse_credit_reception", credit_reception_uuid=award["credit_reception_uuid"])
    assert again.status == "error"


def test_history_and_program(toolkit: PiggyToolkit, client: PiggyClient, new_email: str) -> None:
    uuid = _contact(client, new_email, credits=25)
    history = content(call(toolkit, "list_loyalty_transactions", contact_uuid=uuid))
    assert [t["credits"] for t in history["transactions"]] == [25]
    program = content(call(toolkit, "get_loyalty_program"))
    assert program["credit_name"] == "Beans" and [t["name"] for t in program["tiers"]] == ["Bronze", "Silver", "Gold"]
    shops = content(call(toolkit, "list_shops"))
    assert {s["uuid"] for s in shops["shops"]} == {ids.SHOP_AMSTERDAM, ids.SHOP_WEB}


def test_claim_reward_spends_credits_and_insufficient_credits_is_an_error(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    uuid = _contact(client, new_email, credits=100)
    affordable = content(call(toolkit, "list_rewards", contact_uuid=uuid))
    assert FREE_PASTRY in {r["uuid"] for r in affordable["rewards"]}
    assert FREE_CAPPUCCINO not in {r["uuid"] for r in affordable["rewards"]}
    refused = call(
        toolkit, "claim_reward", contact_uuid=uuid, reward_uuid=FREE_CAPPUCCINO, shop_uuid=ids.SHOP_AMSTERDAM
    )
    assert refused.status == "error" and "Insufficient credits" in str(refused.content)
    claimed = content(
        call(toolkit, "claim_reward", contact_uuid=uuid, reward_uuid=FREE_PASTRY, shop_uuid=ids.SHOP_AMSTERDAM)
    )
    assert claimed["credits_spent"] == 80 and claimed["balance"] == 20
    undone = content(call(toolkit, "reverse_reward_reception", reward_reception_uuid=claimed["reward_reception_uuid"]))
    assert undone["credits_returned"] == 80 and client.contacts.get_credit_balance(uuid).balance == 100


def test_risks_and_approvals(toolkit: PiggyToolkit) -> None:
    assert toolkit.risk_of({"name": "award_credits", "args": {}}).value == "write"
    for name in ("claim_reward", "reverse_reward_reception", "reverse_credit_reception"):
        assert name in toolkit.interrupt_on()


def test_a_scoped_agent_cannot_reverse_another_customers_claim_or_award(
    make_toolkit,
    client: PiggyClient,
    sandbox: Sandbox,
    new_email: str,  # type: ignore[no-untyped-def]
) -> None:
    victim = _contact(client, "v-" + new_email, credits=200)
    claim = client.reward_receptions.create(contact_uuid=victim, reward_uuid=FREE_PASTRY, shop_uuid=ids.SHOP_AMSTERDAM)
    award = client.credit_receptions.create(contact_uuid=victim, shop_uuid=ids.SHOP_AMSTERDAM, credits=10)
    # customer_value="decide" keeps award_credits in the scoped toolkit (by default it is left out), to test its scope.
    keep_award = ApprovalPolicy(customer_value="decide")
    attacker = make_toolkit(contact_uuid=_contact(client, "a-" + new_email), policy=keep_award)
    before = len(sandbox.audit())
    for name, args in (
        ("reverse_reward_reception", {"reward_reception_uuid": claim.uuid}),
        ("reverse_credit_reception", {"credit_reception_uuid": award.uuid}),
        ("award_credits", {"contact_uuid": victim, "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 5}),
    ):
        message = call(attacker, name, **args)
        if name == "award_credits":  # the contact argument is ignored: the scoped contact gets it
            assert content(message)["credits"] == 5
        else:
            # A scoped agent is told "not found", as for an id that does not exist (the approval policy's text).
            assert message.status == "error" and "Not found for this customer" in str(message.content)
    assert client.contacts.get_credit_balance(victim).balance == 130  # 200 - 80 + 10, untouched
    assert len(sandbox.audit()) == before + 1


@pytest.mark.parametrize("name", ["list_rewards", "list_shops", "get_loyalty_program"])
async def test_async_reads(toolkit: PiggyToolkit, name: str) -> None:
    message = await acall(toolkit, name)
    assert message.status == "success"
