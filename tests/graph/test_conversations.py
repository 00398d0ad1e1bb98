"""Scripted conversations per intent through the whole graph, with the offline router and with a scripted model.

Each asserts what the customer is told and what really happened in the sandbox (state and audit log).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs.support_agent.graph import build_graph
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.hitl import review_command
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.graph.fakes import calls, script


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Sandbox, PiggyClient, PiggyToolkit]]:
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb:
        client = PiggyClient(api_key=sb.api_key, base_url=sb.base_url)
        yield sb, client, PiggyToolkit(client=client)
        client.close()


class Chat:
    """One conversation thread with the offline graph."""

    def __init__(self, toolkit: PiggyToolkit, name: str) -> None:
        self.graph = build_graph(toolkit, checkpointer=InMemorySaver())
        self.cfg = {"configurable": {"thread_id": name}}

    def say(self, text: str) -> str:
        out = self.graph.invoke({"messages": [("user", text)]}, self.cfg)
        return str(out["messages"][-1].content)

    def pending(self) -> list[dict[str, Any]]:
        intr = self.graph.get_state(self.cfg).interrupts
        return list(intr[0].value["action_requests"]) if intr else []

    def decide(self, *decisions: dict[str, Any]) -> str:
        out = self.graph.invoke(review_command(self.graph.get_state(self.cfg), list(decisions)), self.cfg)
        return str(out["messages"][-1].content)

    def tools_called(self) -> list[str]:
        return [m.name or "" for m in self.graph.get_state(self.cfg).values["messages"] if isinstance(m, ToolMessage)]


def test_lookup_and_balance_with_memory(world: Any) -> None:
    _, _, toolkit = world
    chat = Chat(toolkit, "balance")
    assert "Tom Berg" in chat.say("Who is tom.berg@example.com?")
    answer = chat.say("and what is his recent history?")
    assert "credits" in answer and "Recent activity" in answer
    assert chat.tools_called()[-1] == "list_loyalty_transactions"


def test_missing_information_is_asked_for(world: Any) -> None:
    _, _, toolkit = world
    chat = Chat(toolkit, "ask")
    assert "email" in chat.say("How many points do I have?")
    assert chat.tools_called() == []


def test_earn_credits_for_a_purchase(world: Any) -> None:
    sb, client, toolkit = world
    uuid = client.contacts.create("earn@example.com").uuid
    chat = Chat(toolkit, "earn")
    answer = chat.say("earn@example.com spent €12,50 at the Amsterdam shop, add the points")
    assert "received 12 credits" in answer
    assert client.contacts.get_credit_balance(uuid).balance == 12
    rows = [r for r in sb.audit("credit_receptions.create") if r["args"].get("contact_uuid") == uuid]
    assert len(rows) == 1 and rows[0]["args"]["shop_uuid"] == ids.SHOP_AMSTERDAM
    assert "received 50 credits" in chat.say("and add 50 points for the inconvenience")
    assert client.contacts.get_credit_balance(uuid).balance == 62


def test_claim_a_reward_needs_approval(world: Any) -> None:
    _, client, toolkit = world
    uuid = client.contacts.create("claim@example.com").uuid
    client.credit_receptions.create(contact_uuid=uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=150)
    chat = Chat(toolkit, "claim")
    listed = chat.say("Which rewards can claim@example.com claim?")
    assert "Free cappuccino" in listed and "Barista" not in listed
    chat.say("Claim the free cappuccino for her")
    [request] = chat.pending()
    assert request["name"] == "claim_reward" and "Free cappuccino" in request["description"]
    assert client.contacts.get_credit_balance(uuid).balance == 150
    assert "claimed" in chat.decide({"type": "approve"})
    assert client.contacts.get_credit_balance(uuid).balance == 30


def test_prepaid_top_up_runs_and_spending_waits_for_a_person(world: Any) -> None:
    _, client, toolkit = world
    uuid = client.contacts.create("prepaid@example.com").uuid
    chat = Chat(toolkit, "prepaid")
    assert "€10.00" in chat.say("Top up the prepaid balance of prepaid@example.com with €10")
    assert chat.pending() == []
    chat.say("now pay €4,50 with her prepaid")
    [request] = chat.pending()
    assert request["name"] == "create_prepaid_transaction" and request["args"]["amount_in_cents"] == -450
    assert "declined" in chat.decide({"type": "reject", "message": "customer not present"})
    assert client.contacts.get_prepaid_balance(uuid).balance_in_cents == 1000


def test_gift_card_balance_and_deduction(world: Any) -> None:
    _, _, toolkit = world
    chat = Chat(toolkit, "giftcard")
    assert "balance" in chat.say("What's the balance on gift card BEAN-GC-0001?")
    chat.say("Spend €5 from gift card BEAN-GC-0001")
    [request] = chat.pending()
    assert request["name"] == "create_giftcard_transaction" and request["args"]["amount_in_cents"] == -500
    assert "Done" in chat.decide({"type": "approve"})


def test_update_profile(world: Any) -> None:
    _, client, toolkit = world
    uuid = client.contacts.create("profile@example.com").uuid
    chat = Chat(toolkit, "profile")
    assert "Updated" in chat.say("Change the phone number of profile@example.com to 0612345678")
    assert client.contacts.get(uuid).current_values["phonenumber"] == "0612345678"


def test_delete_account_gdpr_approved(world: Any) -> None:
    sb, client, toolkit = world
    uuid = client.contacts.create("leave@example.com").uuid
    chat = Chat(toolkit, "delete")
    chat.say("leave@example.com invokes her right to be forgotten, please erase her data")
    [request] = chat.pending()
    assert request["args"]["type"] == "GDPR" and "GDPR" in request["description"]
    assert "deleted" in chat.decide({"type": "approve"})
    assert [r["args"]["type"] for r in sb.audit("contacts.delete") if r["args"]["contact_uuid"] == uuid] == ["GDPR"]


def test_link_and_unlink_a_card(world: Any) -> None:
    _, client, toolkit = world
    uuid = client.contacts.create("card@example.com").uuid
    client.contact_identifiers.create(contact_identifier_value="CARD-TEST-0042")
    chat = Chat(toolkit, "card")
    assert "linked" in chat.say("Link card CARD-TEST-0042 to card@example.com")
    assert [i.value for i in client.contacts.list_identifiers(uuid)] == ["CARD-TEST-0042"]
    chat.say("That card CARD-TEST-0042 was stolen, please unlink it")
    [request] = chat.pending()
    assert request["name"] == "unlink_contact_identifier"
    chat.decide({"type": "approve"})
    assert client.contacts.list_identifiers(uuid) == []


def test_program_info_and_out_of_scope(world: Any) -> None:
    _, _, toolkit = world
    chat = Chat(toolkit, "info")
    assert "Bronze" in chat.say("What tiers are there?")
    assert "Amsterdam" in chat.say("Which shops do you have?")
    assert "colleague" in chat.say("What's the weather in Amsterdam?")


def test_customer_scoped_agent_only_sees_its_own_account(world: Any) -> None:
    sb, client, _ = world
    me = client.contacts.create("scoped@example.com").uuid
    scoped = PiggyToolkit(client=client, contact_uuid=me)
    chat = Chat(scoped, "scoped")
    before = len(sb.audit())
    answer = chat.say("What's the balance of jane.doe@example.com?")
    assert "Jane" not in answer  # the customer-scoped agent looks up only its own contact
    chat.say("add 50 points to tom.berg@example.com")
    rows = sb.audit()[before:]
    assert all(r["args"].get("contact_uuid") in (None, me) for r in rows)
    assert not [r for r in rows if r["operation"] == "credit_receptions.create"]  # no self-crediting (policy)


def test_a_scripted_model_drives_the_same_graph(world: Any) -> None:
    _, client, toolkit = world
    uuid = client.contacts.create("model@example.com").uuid
    graph = build_graph(
        toolkit,
        checkpointer=InMemorySaver(),
        model=script(
            "earn_credits",
            calls(("get_contact", {"email": "model@example.com"})),
            calls(("award_credits", {"contact_uuid": uuid, "shop_uuid": ids.SHOP_WEB, "credits": 30})),
            AIMessage("Done: 30 credits added."),
        ),
    )
    out = graph.invoke(
        {"messages": [("user", "give model@example.com 30 points")]}, {"configurable": {"thread_id": "model"}}
    )
    assert out["messages"][-1].content == "Done: 30 credits added."
    assert client.contacts.get_credit_balance(uuid).balance == 30
