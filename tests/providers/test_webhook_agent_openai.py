"""The webhook agent planned by a real provider client: ``init_chat_model("openai:…", base_url=…)`` (the ``openai``
SDK and ``langchain-openai``) against the scripted OpenAI-compatible server, which refuses any history in which a
tool call is not answered exactly once, in order.

The sandbox really delivers a signed ``contact_created`` webhook to the agent's app (uvicorn on 127.0.0.1); the
model plans the flow's tool calls, a destructive one waits for a person, and approve, edit and reject are each
checked against the sandbox's audit. A redelivery after a crash continues the model-planned flow through the ledger.
No mock transport anywhere (the crash is a ledger hook that raises).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from langchain.chat_models import init_chat_model
from langchain_core.messages import AIMessage, ToolMessage

from graphs import webhook_agent
from graphs.scripted_openai import LocalServer, Reply, Script, ScriptedOpenAI
from graphs.webhook_agent import Flow, Step, WebhookAgent, build_flow_graph, create_app, welcome_flow
from piggy_agent_tools import NotFoundError, PiggyClient
from piggy_agent_tools.ledger import LedgerEntry
from piggy_agent_tools.models.webhooks import WebhookSubscription
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.delivery import DeliveryEngine
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.automations import BIRTHDAY_BONUS
from piggy_agent_tools.sandbox.seed.vouchers import PROMO_FREE_COFFEE
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.webhooks import SIGNATURE_HEADER, compute_signature, parse_event

SECRET = "whsec-webhook-agent-openai"
CONTACT = "<contact>"  # in a scripted reply: the contact_uuid the agent put in the model's system prompt


def prepaid(amount: int, contact: str = "{contact_uuid}") -> tuple[str, dict[str, Any]]:
    return (
        "create_prepaid_transaction",
        {"contact_uuid": contact, "amount_in_cents": amount, "shop_uuid": ids.SHOP_AMSTERDAM},
    )


@dataclass
class FromPrompt:
    """The script, with ``<contact>`` filled in from the request's system prompt (``contact_uuid=...``): the
    contact exists only once the test creates it, and the model knows it only from the agent's prompt."""

    script: Script

    def __call__(self, body: dict[str, Any]) -> Reply:
        system = next(m["content"] for m in body["messages"] if m["role"] == "system")
        contact = system.split("contact_uuid=", 1)[1].split(",", 1)[0].split()[0]
        reply = self.script(body)
        if isinstance(reply, str):
            return reply
        return [(name, {k: contact if v == CONTACT else v for k, v in args.items()}) for name, args in reply]


@dataclass
class Served(LocalServer):
    """The webhook agent's FastAPI app on an ephemeral port (raw bodies kept, to redeliver byte for byte)."""

    fastapi: FastAPI
    port: int = 0
    _server: uvicorn.Server | None = None
    _thread: Any = None

    def app(self) -> FastAPI:
        return self.fastapi


@contextmanager
def agent_with_model(
    client: PiggyClient, flow: Flow, *replies: Reply
) -> Iterator[tuple[str, WebhookAgent, ScriptedOpenAI, list[bytes]]]:
    with ScriptedOpenAI(FromPrompt(Script(list(replies)))) as server:
        model = init_chat_model("openai:scripted", base_url=server.base_url, api_key="x", max_retries=0)
        app = create_app(PiggyToolkit(client=client), secret=SECRET, flows=[flow], model=model)
        bodies: list[bytes] = []

        @app.middleware("http")
        async def keep_raw_bodies(request: Any, call_next: Any) -> Any:
            bodies.append(await request.body())
            return await call_next(request)

        agent: WebhookAgent = app.state.agent
        try:
            with Served(app) as served:
                yield f"http://127.0.0.1:{served.port}", agent, server, bodies
        finally:
            agent.close()


@pytest.fixture
def engine(sandbox: Sandbox) -> Iterator[DeliveryEngine]:
    """The shared sandbox's delivery engine with retries 20 ms apart (restored afterwards)."""
    eng: DeliveryEngine = sandbox.app.state.webhooks
    before, eng.base_delay = eng.base_delay, 0.02
    yield eng
    eng.base_delay = before


@pytest.fixture
def subscribe(client: PiggyClient, engine: DeliveryEngine) -> Iterator[Callable[..., WebhookSubscription]]:
    """Subscribe a URL to contact_created with this file's secret; the subscription is deleted when the test ends."""
    made: list[str] = []

    def make(url: str) -> WebhookSubscription:
        sub = client.webhook_subscriptions.create(
            name="test contact_created", url=url, event_type="contact_created", secret=SECRET
        )
        made.append(sub.uuid)
        return sub

    yield make
    for uuid in made:
        try:
            client.webhook_subscriptions.delete(uuid)
        except NotFoundError:
            pass
    engine.wait_idle(5)


def deliver(
    client: PiggyClient, engine: DeliveryEngine, subscribe: Callable[..., WebhookSubscription], url: str, email: str
) -> str:
    """Create a contact: the sandbox delivers the signed contact_created event; wait for the delivery and the turn."""
    sub = subscribe(f"{url}/piggy/webhooks")
    contact = client.contacts.create(email).uuid
    assert engine.wait_idle(10)
    attempts = engine.attempts(subscription_uuid=sub.uuid, event_type="contact_created")
    assert attempts and all(a.get("status_code") == 200 for a in attempts), attempts
    return contact


def audit(sandbox: Sandbox, operation: str, contact: str) -> list[dict[str, Any]]:
    return [r["args"] for r in sandbox.audit(operation) if r["args"].get("contact_uuid") == contact]


def answered_in_order(request: dict[str, Any]) -> bool:
    """What the provider received: every call answered by one tool message, in the order of the calls."""
    calls = [c["id"] for m in request["messages"] if m.get("tool_calls") for c in m["tool_calls"]]
    return [m["tool_call_id"] for m in request["messages"] if m["role"] == "tool"] == calls


def test_a_model_planned_welcome_flow_waits_for_a_person_then_runs_the_approved_charge_once(
    client: PiggyClient,
    sandbox: Sandbox,
    engine: DeliveryEngine,
    subscribe: Callable[..., WebhookSubscription],
    new_email: str,
) -> None:
    flow = welcome_flow(
        PROMO_FREE_COFFEE,
        BIRTHDAY_BONUS,
        extra_steps=[Step(*prepaid(1000)), Step(*prepaid(-300))],
    )
    voucher = ("create_voucher", {"promotion_uuid": PROMO_FREE_COFFEE, "contact_uuid": CONTACT})
    automation = ("trigger_automation", {"automation_uuid": BIRTHDAY_BONUS, "contact_uuid": CONTACT})
    with agent_with_model(
        client,
        flow,
        [("get_loyalty_program", {}), voucher],  # parallel calls
        [automation, prepaid(1000, CONTACT)],
        [prepaid(-300, CONTACT)],  # destructive: waits
        "Welcomed the customer: voucher issued, automation started, prepaid topped up and charged €3.00.",
    ) as (url, agent, server, bodies):
        contact = deliver(client, engine, subscribe, url, new_email)
        assert agent.wait_idle(60)
        [thread] = agent.flow_threads(contact)
        request = agent.pending_approval(thread)
        assert request is not None
        assert [(r["name"], r["args"]["amount_in_cents"]) for r in request["action_requests"]] == [
            ("create_prepaid_transaction", -300)
        ]
        assert len(audit(sandbox, "vouchers.create", contact)) == 1
        assert [a["automation_uuid"] for a in audit(sandbox, "automations.run", contact)] == [BIRTHDAY_BONUS]
        assert [a["amount_in_cents"] for a in audit(sandbox, "prepaid_transactions.create", contact)] == [1000]
        assert len(server.requests) == 3

        # What the model was given: the flow's tools only, its goal, the event's contact, the steps as guidance.
        first = server.requests[0]
        assert {t["function"]["name"] for t in first["tools"]} == {
            "get_loyalty_program",
            "create_voucher",
            "trigger_automation",
            "create_prepaid_transaction",
        }
        system = first["messages"][0]["content"]
        assert "Welcome the new customer" in system and f"contact_uuid={contact}" in system
        assert f'create_voucher {{"promotion_uuid": "{PROMO_FREE_COFFEE}", "contact_uuid": "{contact}"}}' in system

        result = agent.resume(thread, [{"type": "approve"}])
        assert [a["amount_in_cents"] for a in audit(sandbox, "prepaid_transactions.create", contact)] == [1000, -300]
        assert client.contacts.get_prepaid_balance(contact).balance_in_cents == 700
        final = result["messages"][-1]
        assert isinstance(final, AIMessage) and "charged €3.00" in str(final.content) and not final.tool_calls
        assert server.refused == [] and len(server.requests) == 4
        assert all(answered_in_order(r) for r in server.requests)
        assert sum(1 for m in server.requests[-1]["messages"] if m["role"] == "tool") == 5

        # Piggy redelivers the same body: acknowledged, and neither the model nor a tool runs again.
        signed = {SIGNATURE_HEADER: compute_signature(bodies[0], SECRET), "Content-Type": "application/json"}
        assert httpx.post(f"{url}/piggy/webhooks", content=bodies[0], headers=signed).status_code == 200
        assert agent.wait_idle(30)
        assert len(server.requests) == 4 and agent.flow_threads(contact) == [thread]
        assert len(audit(sandbox, "vouchers.create", contact)) == 1
        assert len(audit(sandbox, "prepaid_transactions.create", contact)) == 2


def test_a_reviewer_edits_the_charge_the_model_planned_and_the_edited_amount_runs(
    client: PiggyClient,
    sandbox: Sandbox,
    engine: DeliveryEngine,
    subscribe: Callable[..., WebhookSubscription],
    new_email: str,
) -> None:
    flow = Flow("fee", "contact_created", [Step(*prepaid(1000)), Step(*prepaid(-300))], goal="Top up, then charge.")
    with agent_with_model(
        client,
        flow,
        [prepaid(1000, CONTACT)],
        [prepaid(-300, CONTACT)],  # after the top-up (parallel calls run in no fixed order): waits for a person
        "Topped up and charged the reviewed amount.",
    ) as (url, agent, server, _):
        contact = deliver(client, engine, subscribe, url, new_email)
        assert agent.wait_idle(60)
        [thread] = agent.flow_threads(contact)
        assert agent.pending_approval(thread) is not None
        assert [a["amount_in_cents"] for a in audit(sandbox, "prepaid_transactions.create", contact)] == [1000]
        edited = dict(prepaid(-200, contact)[1])
        agent.resume(
            thread, [{"type": "edit", "edited_action": {"name": "create_prepaid_transaction", "args": edited}}]
        )
    amounts = [a["amount_in_cents"] for a in audit(sandbox, "prepaid_transactions.create", contact)]
    assert amounts == [1000, -200]
    assert client.contacts.get_prepaid_balance(contact).balance_in_cents == 800
    [record] = agent.state(thread).values["approvals"].values()
    assert (record["type"], record["args"]["amount_in_cents"]) == ("edit", -200)
    assert agent.state(thread).values["messages"][-1].content == "Topped up and charged the reviewed amount."
    assert server.refused == [] and len(server.requests) == 3 and answered_in_order(server.requests[-1])


def test_a_rejected_call_never_runs_and_a_model_that_keeps_calling_is_not_followed(
    client: PiggyClient,
    sandbox: Sandbox,
    engine: DeliveryEngine,
    subscribe: Callable[..., WebhookSubscription],
    new_email: str,
) -> None:
    flow = Flow(
        "cleanup",
        "contact_created",
        [Step("delete_contact", {"contact_uuid": "{contact_uuid}"}), Step(*prepaid(500))],
        goal="Remove test sign-ups.",
    )
    with agent_with_model(
        client,
        flow,
        [("delete_contact", {"contact_uuid": CONTACT})],
        [prepaid(500, CONTACT)],  # after the reject the model still calls a tool: the flow stops anyway
    ) as (url, agent, server, _):
        contact = deliver(client, engine, subscribe, url, new_email)
        assert agent.wait_idle(60)
        [thread] = agent.flow_threads(contact)
        request = agent.pending_approval(thread)
        assert request is not None and [r["name"] for r in request["action_requests"]] == ["delete_contact"]
        result = agent.resume(thread, [{"type": "reject", "message": "never on a sign-up"}])
    assert client.contacts.get(contact).uuid == contact
    assert (
        audit(sandbox, "contacts.delete", contact) == []
        and audit(sandbox, "prepaid_transactions.create", contact) == []
    )
    declined = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert [(m.name, m.status) for m in declined] == [("delete_contact", "error")]
    assert "never on a sign-up" in str(declined[0].content)
    final = result["messages"][-1]
    assert isinstance(final, AIMessage) and not final.tool_calls
    assert "delete_contact failed; stopped" in str(final.content)
    # The model was asked once more, with the refusal answering its call and the instruction to stop.
    assert server.refused == [] and len(server.requests) == 2 and answered_in_order(server.requests[-1])
    assert "flow stops here" in server.requests[-1]["messages"][0]["content"]
    assert agent.status(thread).status == "done"  # type: ignore[union-attr]


def test_the_cli_says_in_one_line_when_the_model_cannot_be_set_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in ("OPENAI_API_KEY", "PIGGY_AGENT_MODEL"):
        monkeypatch.delenv(key, raising=False)
    assert webhook_agent.main(["--model", "openai:gpt-4.1-mini"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "error: model 'openai:gpt-4.1-mini' needs OPENAI_API_KEY in the environment "
        "(any value for an OpenAI-compatible server at OPENAI_BASE_URL)"
    )


def test_a_model_planned_thread_is_not_continued_by_the_fixed_planner(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    """A process without a model must not replay a model's flow step by step (other ids: the ledger would not
    recognise the calls): it refuses, and the thread stays unfinished for a process with the model."""
    contact = client.contacts.create(new_email).uuid
    flow = Flow("bonus", "contact_created", [Step(*prepaid(400))], goal="A sign-up bonus.")
    event = parse_event(json.dumps({"type": "contact_created", "data": {"contact": {"uuid": contact}}}))
    with ScriptedOpenAI(FromPrompt(Script([[prepaid(400, CONTACT)], "Done."]))) as server:
        model = init_chat_model("openai:scripted", base_url=server.base_url, api_key="x", max_retries=0)
        agent = WebhookAgent(PiggyToolkit(client=client), [flow], model=model)
        try:
            thread = agent.run_turn(event)
            assert thread is not None and agent.status(thread).status == "done"  # type: ignore[union-attr]
            state = agent.state(thread)
            assert state.values["planner"] == "model" and state.values["messages"][-1].content == "Done."
            # Back to the checkpoint before the last plan, continued by a graph without a model.
            before = next(s for s in agent.graph().get_state_history(agent.config(thread)) if s.next == ("plan",))
            offline = build_flow_graph(
                PiggyToolkit(client=client), checkpointer=agent.checkpointer, ledger=agent.ledger
            )
            with pytest.raises(RuntimeError, match="planned by a chat model"):
                offline.invoke(None, before.config)
            assert [a["amount_in_cents"] for a in audit(sandbox, "prepaid_transactions.create", contact)] == [400]
        finally:
            agent.close()


class Crash(BaseException):
    """An injected crash (a BaseException, like a kill): nothing turns it into a result."""


def test_after_a_crash_a_redelivery_continues_the_model_planned_flow_without_resending_or_asking_again(
    client: PiggyClient, sandbox: Sandbox, new_email: str, tmp_path: Path
) -> None:
    """The crash is injected by a ledger hook after the award reached the sandbox, before its outcome was recorded;
    the restarted agent (same SQLite checkpointer and ledger, same model) continues on Piggy's redelivery."""
    db = f"sqlite:///{tmp_path / 'agent.db'}"
    contact = client.contacts.create(new_email).uuid
    award = {"contact_uuid": "{contact_uuid}", "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 50}
    flow = Flow("bonus", "contact_created", [Step("award_credits", award)], goal="A sign-up bonus.")
    event = parse_event(json.dumps({"type": "contact_created", "data": {"contact": {"uuid": contact}}}))

    def crash(point: str, entry: LedgerEntry) -> None:
        if point == "after_send":
            raise Crash

    def awards() -> list[int]:
        return [a["credits"] for a in audit(sandbox, "credit_receptions.create", contact)]

    script = Script([[("award_credits", {**award, "contact_uuid": CONTACT})], "Awarded the sign-up bonus."])
    with ScriptedOpenAI(FromPrompt(script)) as server:
        model = init_chat_model("openai:scripted", base_url=server.base_url, api_key="x", max_retries=0)
        agent = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=db, model=model)
        agent.ledger.hooks.append(crash)
        with pytest.raises(Crash):
            agent.run_turn(event)
        agent.close()
        assert awards() == [50] and len(server.requests) == 1

        restarted = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=db, model=model)
        try:
            [listed] = restarted.unfinished_at_start
            assert (listed.status, listed.pending) == ("unfinished", ("tools",))
            assert restarted.run_turn(event) == listed.thread_id
            assert awards() == [50]  # answered from the ledger (reconciled), not sent again
            final = restarted.state(listed.thread_id).values["messages"][-1]
            assert final.content == "Awarded the sign-up bonus."
            # The model was asked once more (not re-planned from scratch), with the reconciled answer in order.
            assert server.refused == [] and len(server.requests) == 2 and answered_in_order(server.requests[-1])
            assert "it happened" in server.requests[-1]["messages"][-1]["content"]
            assert restarted.run_turn(event) is None and len(server.requests) == 2
        finally:
            restarted.close()
