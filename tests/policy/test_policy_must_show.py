"""Issue 11's must-shows for the approval policy, against the real sandbox; what ran is read from its audit log.

A scoped customer's self-crediting attempts (toolkit, graph, MCP with a host that accepts everything) execute 0
times; the README's create_agent recipe interrupts on every value-creating and egress call of a steered model;
read-only over MCP mints no login link and shows no full gift-card code.
"""

from __future__ import annotations

import uuid
from typing import Any

import mcp.types as types
from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from mcp.shared.memory import create_connected_server_and_client_session

from graphs.support_agent.graph import build_graph
from piggy_agent_tools import PiggyClient, PiggyToolkit
from piggy_agent_tools.hitl.describe import describe_call
from piggy_agent_tools.mcp.server import build_server
from piggy_agent_tools.middleware import piggy_middleware
from piggy_agent_tools.policy import ApprovalPolicy, Verdict
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import automations, ids
from piggy_agent_tools.sandbox.seed import giftcards as seeded_giftcards
from tests.graph.fakes import calls, script

SEEDED_CODES = {card[0] for card in seeded_giftcards.CARDS}

# Every write that creates value for a contact, by the sandbox's audit operation name.
VALUE_OPERATIONS = {
    "credit_receptions.create",
    "prepaid.create",
    "prepaid_transactions.create",
    "vouchers.create",
    "giftcard_transactions.create",
    "automations.run",
    "automation_runs.create",
    "contacts.claim",
    "visits.create",
}


def _value_rows(sandbox: Sandbox, since: int) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit() if r["id"] > since and r["operation"] in VALUE_OPERATIONS]


def _last_id(sandbox: Sandbox) -> int:
    rows = sandbox.audit()
    return int(rows[-1]["id"]) if rows else 0


def _self_crediting(me: str, card: str) -> list[tuple[str, dict[str, Any]]]:
    """The six ways a customer tried to mint value for themselves (issue 11)."""
    return [
        ("create_prepaid_transaction", {"amount_in_cents": 500_000, "shop_uuid": ids.SHOP_WEB}),
        ("award_credits", {"credits": 1_450, "shop_uuid": ids.SHOP_WEB}),
        ("create_voucher", {"promotion_uuid": ids.fixed("promotion", "welcome"), "contact_uuid": me}),
        ("create_giftcard_transaction", {"giftcard_uuid": card, "amount_in_cents": 50_000, "shop_uuid": ids.SHOP_WEB}),
        ("trigger_automation", {"automation_uuid": automations.BIRTHDAY_BONUS}),
        ("claim_anonymous_contact", {"contact_uuid": ids.ANON, "email": "someone@example.com"}),
    ]


def _card(client: PiggyClient) -> str:
    return client.giftcards.list().items[0].uuid


def _audited_operations(sandbox: Sandbox) -> set[str]:
    return {r["operation"] for r in sandbox.audit()}


def test_value_operations_cover_what_the_sandbox_audits(sandbox: Sandbox, client: PiggyClient, new_email: str) -> None:
    """Guard against a renamed audit operation making the 0-counts below vacuous: staff calls are counted."""
    me = client.contacts.create(new_email).uuid
    staff = {t.name: t for t in PiggyToolkit(client=client).get_tools()}
    before = _last_id(sandbox)
    for name, args in [
        ("award_credits", {"contact_uuid": me, "credits": 1, "shop_uuid": ids.SHOP_WEB}),
        ("create_prepaid_transaction", {"contact_uuid": me, "amount_in_cents": 100, "shop_uuid": ids.SHOP_WEB}),
        ("trigger_automation", {"contact_uuid": me, "automation_uuid": automations.BIRTHDAY_BONUS}),
    ]:
        message = staff[name].invoke({"type": "tool_call", "id": f"g-{name}", "name": name, "args": args})
        assert message.status != "error", message.content
    assert len(_value_rows(sandbox, before)) == 3, _audited_operations(sandbox)


def test_a_scoped_customer_cannot_credit_themselves_through_the_toolkit(
    sandbox: Sandbox, client: PiggyClient, new_email: str
) -> None:
    me = client.contacts.create(new_email).uuid
    scoped = PiggyToolkit(client=client, contact_uuid=me)
    tools = {t.name: t for t in scoped.get_tools()}
    before = _last_id(sandbox)
    outcomes = {}
    for name, args in _self_crediting(me, _card(client)):
        if name not in tools:
            outcomes[name] = "left out"
            continue
        message = tools[name].invoke({"type": "tool_call", "id": f"c-{name}", "name": name, "args": args})
        assert isinstance(message, ToolMessage) and message.status == "error", message.content
        outcomes[name] = "refused"
    assert outcomes["create_prepaid_transaction"] == "refused"
    assert scoped.decide({"name": "create_prepaid_transaction", "args": {"amount_in_cents": 500_000}}).verdict is (
        Verdict.REFUSE
    )
    assert _value_rows(sandbox, before) == []
    assert client.contacts.get_prepaid_balance(me).balance_in_cents == 0


def test_a_scoped_customer_cannot_credit_themselves_through_the_graph(
    sandbox: Sandbox, client: PiggyClient, new_email: str
) -> None:
    me = client.contacts.create(new_email).uuid
    model = script("loyalty", calls(*_self_crediting(me, _card(client))), "I cannot do that.")
    graph = build_graph(PiggyToolkit(client=client, contact_uuid=me), model=model, checkpointer=InMemorySaver())
    before = _last_id(sandbox)
    out = graph.invoke({"messages": [("user", "give me money")]}, {"configurable": {"thread_id": "self-credit"}})
    answers = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert len(answers) == 6 and all(m.status == "error" for m in answers)
    assert "__interrupt__" not in out  # nothing was even put to a person: it is refused or not offered
    assert _value_rows(sandbox, before) == []


async def test_a_scoped_customer_cannot_credit_themselves_over_mcp_even_approving_everything(
    sandbox: Sandbox, client: PiggyClient, new_email: str
) -> None:
    me = client.contacts.create(new_email).uuid
    server = build_server(PiggyToolkit(client=client, contact_uuid=me))
    asked: list[str] = []

    async def yes(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)  # the customer is the host's person: they would approve themselves
        return types.ElicitResult(action="accept", content={"approve": True})

    before = _last_id(sandbox)
    async with create_connected_server_and_client_session(server, elicitation_callback=yes) as session:
        listed = {t.name for t in (await session.list_tools()).tools}
        for name, args in _self_crediting(me, _card(client)):
            result = await session.call_tool(name, {k: v for k, v in args.items() if k != "contact_uuid"})
            assert result.isError, (name, result.content)
    assert {"award_credits", "trigger_automation", "create_voucher", "claim_anonymous_contact"}.isdisjoint(listed)
    assert asked == []
    assert _value_rows(sandbox, before) == []


def test_the_create_agent_recipe_interrupts_every_value_creating_and_egress_call(
    sandbox: Sandbox, client: PiggyClient, new_email: str
) -> None:
    victim = client.contacts.create(new_email).uuid
    toolkit = PiggyToolkit(client=client)
    steered = [
        (
            "create_giftcard_transaction",
            {"giftcard_uuid": _card(client), "amount_in_cents": 50_000, "shop_uuid": ids.SHOP_WEB},
        ),
        (
            "create_prepaid_transaction",
            {"contact_uuid": victim, "amount_in_cents": 10_000_000, "shop_uuid": ids.SHOP_WEB},
        ),
        ("award_credits", {"contact_uuid": victim, "credits": 5_000, "shop_uuid": ids.SHOP_WEB}),
        (
            "create_webhook_subscription",
            {"name": "x", "event_type": "contact_created", "url": "https://evil.example/h"},
        ),
        ("get_contacts_portal_url", {"contact_uuid": victim}),
        ("create_portal_session", {"contact_uuid": victim, "shop_uuid": ids.SHOP_WEB}),
    ]
    agent = create_agent(
        script(calls(*steered), "done"),
        tools=toolkit.get_tools(),
        middleware=[HumanInTheLoopMiddleware(interrupt_on=toolkit.interrupt_on())],
        checkpointer=InMemorySaver(),
    )
    before = _last_id(sandbox)
    out = agent.invoke({"messages": [("user", "do it")]}, {"configurable": {"thread_id": "steered"}})
    asked = [r["name"] for i in out["__interrupt__"] for r in i.value["action_requests"]]
    assert sorted(asked) == sorted(name for name, _ in steered)
    described = piggy_middleware(toolkit)
    assert set(described.interrupt_on) == set(toolkit.interrupt_on())
    words = {n: describe_call(toolkit, {"name": n, "args": a}) for n, a in steered}
    assert words["create_prepaid_transaction"].startswith("Add €100000.00 to the prepaid balance of " + new_email)
    assert words["award_credits"].startswith(f"Award 5000 credits to {new_email}")
    assert "evil.example" in words["create_webhook_subscription"]
    assert [r for r in sandbox.audit() if r["id"] > before] == []  # nothing ran while waiting
    # Small staff amounts still run without a person.
    assert not toolkit.needs_decision(
        {"name": "award_credits", "args": {"contact_uuid": victim, "credits": 50, "shop_uuid": ids.SHOP_WEB}}
    )


def test_a_webhook_host_allowlist_refuses_other_hosts(client: PiggyClient) -> None:
    policy = ApprovalPolicy(webhook_hosts=frozenset({"hooks.example.com"}))
    toolkit = PiggyToolkit(client=client, policy=policy)
    args = {"name": "x", "event_type": "contact_created"}
    out = toolkit.decide({"name": "create_webhook_subscription", "args": {**args, "url": "https://evil.example/h"}})
    assert out.verdict is Verdict.REFUSE and "evil.example" in out.reason
    ok = toolkit.decide({"name": "create_webhook_subscription", "args": {**args, "url": "https://a.hooks.example.com"}})
    assert ok.verdict is Verdict.DECIDE


async def test_read_only_over_mcp_mints_no_login_link_and_shows_no_full_gift_card_code(client: PiggyClient) -> None:
    # The seed's printed codes (other tests add cards with 3-character codes, which would match any number in the text).
    codes = [c.hash for c in client.giftcards.list().items if c.hash in SEEDED_CODES]
    assert codes
    server = build_server(PiggyToolkit(client=client, read_only=True))
    async with create_connected_server_and_client_session(server) as session:
        listed = {t.name for t in (await session.list_tools()).tools}
        assert {"get_contacts_portal_url", "create_portal_session"}.isdisjoint(listed)
        seen = await session.call_tool("list_giftcards", {})
        found = await session.call_tool("find_giftcard", {"hash": codes[0]})
    text = seen.content[0].text + found.content[0].text  # type: ignore[union-attr]
    assert not seen.isError and not found.isError
    assert not [code for code in codes if code in text]
    assert codes[0][-4:] in text
    revealed = PiggyToolkit(client=client, read_only=True, policy=ApprovalPolicy(reveal_codes=True))
    tool = next(t for t in revealed.get_tools() if t.name == "find_giftcard")
    assert codes[0] in str(
        tool.invoke({"type": "tool_call", "id": "r", "name": "find_giftcard", "args": {"hash": codes[0]}}).content
    )


def test_in_customer_mode_not_yours_and_does_not_exist_read_the_same(client: PiggyClient, new_email: str) -> None:
    me = client.contacts.create(new_email).uuid
    scoped = PiggyToolkit(client=client, contact_uuid=me)
    tool = next(t for t in scoped.get_tools() if t.name == "find_voucher")
    toms = client.vouchers.list(contact_uuid=ids.TOM).items[0].code
    texts = [
        str(tool.invoke({"type": "tool_call", "id": f"v{i}", "name": "find_voucher", "args": {"code": code}}).content)
        for i, code in enumerate((toms, "NO-SUCH-CODE-1"))
    ]
    assert texts[0] == texts[1] and "Not found for this customer." in texts[0]


def test_a_scoped_customer_cannot_credit_themselves_through_the_cli(sandbox: Sandbox, client: PiggyClient) -> None:
    """The shipped CLI in customer mode (--as-contact), answering /approve to everything: nothing is credited."""
    import io
    import json

    from graphs.support_agent.cli import main

    email = f"cli-self-{uuid.uuid4().hex[:8]}@example.com"
    me = client.contacts.create(email).uuid
    attempts = [
        "add 1450 points to my account",
        "top up my prepaid balance with 5000 euro",
        "give me a new voucher for the welcome promotion",
        f"top up gift card {_card(client)} with 500 euro",
        "run the birthday bonus automation for me",
        "claim the anonymous account as mine",
    ]
    lines = [line for attempt in attempts for line in (attempt, "/approve")]
    before = _last_id(sandbox)
    out = io.StringIO()
    code = main(
        ["--jsonl", "--base-url", sandbox.base_url, "--api-key", sandbox.api_key, "--as-contact", email],
        stdin=io.StringIO("\n".join(lines) + "\n"),
        stdout=out,
    )
    assert code == 0
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e for e in events if e["event"] == "user"], "the conversation ran"
    refused = [e for e in events if e["event"] == "tool_result" and e["name"] == "create_prepaid_transaction"]
    assert refused and all(e["status"] == "error" and "approval policy" in e["content"] for e in refused)
    assert _value_rows(sandbox, before) == []
    assert client.contacts.get(me).credit_balance.balance == 0  # type: ignore[union-attr]
