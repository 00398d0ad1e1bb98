"""The event-driven agent end to end: the sandbox really delivers a signed ``contact_created`` webhook to the app
(uvicorn on 127.0.0.1), which runs the welcome flow in the background; destructive steps wait for a person.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.types import Command

from graphs.support_agent.persistence import open_checkpointer, open_graph_ledger
from graphs.webhook_agent import Flow, Step, WebhookAgent, build_flow_graph, create_app, welcome_flow
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.hitl import review_command
from piggy_agent_tools.models.webhooks import WebhookSubscription
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.delivery import DeliveryEngine
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.automations import BIRTHDAY_BONUS
from piggy_agent_tools.sandbox.seed.vouchers import PROMO_FREE_COFFEE
from piggy_agent_tools.sandbox.server import free_port
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.webhooks import SIGNATURE_HEADER, compute_signature, parse_event

SECRET = "whsec-webhook-agent"
# The welcome voucher: "Free coffee" (one per contact). The automation must be runnable through the API
# (event contact_updated, automations.md), so the sandbox's "Welcome series" (contact_created) cannot be used.
WELCOME_PROMOTION = PROMO_FREE_COFFEE
WELCOME_AUTOMATION = BIRTHDAY_BONUS
RECEIVED: dict[str, list[bytes]] = {}  # base URL of a served app -> the raw bodies it received


def _prepaid(amount: int) -> Step:
    args = {"contact_uuid": "{contact_uuid}", "amount_in_cents": amount, "shop_uuid": ids.SHOP_AMSTERDAM}
    return Step("create_prepaid_transaction", args)


@contextmanager
def serve(toolkit: PiggyToolkit, flow: Flow, checkpointer: Any = None) -> Iterator[tuple[str, WebhookAgent]]:
    """The webhook agent app in uvicorn on a free port; yields its base URL and the agent."""
    app = create_app(toolkit, secret=SECRET, flows=[flow], checkpointer=checkpointer)
    port = free_port()
    received = RECEIVED.setdefault(f"http://127.0.0.1:{port}", [])

    @app.middleware("http")
    async def keep_raw_bodies(request: Any, call_next: Any) -> Any:
        received.append(await request.body())  # to redeliver byte for byte, as Piggy's retries do
        return await call_next(request)

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="webhook-agent", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the webhook agent did not start"
        time.sleep(0.01)
    agent: WebhookAgent = app.state.agent
    try:
        yield f"http://127.0.0.1:{port}", agent
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        agent.close()


def _deliver_and_settle(engine: DeliveryEngine, agent: WebhookAgent, sub: WebhookSubscription) -> None:
    """Wait for the sandbox's delivery (the app answers at once), then for the background turn."""
    assert engine.wait_idle(10)
    attempts = engine.attempts(subscription_uuid=sub.uuid, event_type="contact_created")
    assert attempts and all(a.get("status_code") == 200 for a in attempts), attempts
    assert agent.wait_idle(60)


def _vouchers_created(sandbox: Sandbox, contact_uuid: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit("vouchers.create") if r["args"].get("contact_uuid") == contact_uuid]


def _automation_runs(sandbox: Sandbox, contact_uuid: str) -> list[str]:
    rows = sandbox.audit("automations.run")
    return [r["args"]["automation_uuid"] for r in rows if r["args"].get("contact_uuid") == contact_uuid]


def _prepaid_writes(sandbox: Sandbox, contact_uuid: str) -> list[int]:
    rows = sandbox.audit("prepaid_transactions.create")
    return [r["args"]["amount_in_cents"] for r in rows if r["args"].get("contact_uuid") == contact_uuid]


def test_a_new_contact_gets_the_welcome_voucher_and_automation_from_the_signed_webhook(
    client: PiggyClient,
    sandbox: Sandbox,
    engine: DeliveryEngine,
    subscribe: Callable[..., WebhookSubscription],
    new_email: str,
) -> None:
    flow = welcome_flow(WELCOME_PROMOTION, WELCOME_AUTOMATION)
    with serve(PiggyToolkit(client=client), flow) as (url, agent):
        sub = subscribe(f"{url}/piggy/webhooks", "contact_created", secret=SECRET)
        contact = client.contacts.create(new_email)
        _deliver_and_settle(engine, agent, sub)

        [thread] = agent.flow_threads(contact.uuid)
        state = agent.state(thread)
        assert state.next == () and not state.interrupts
        answers = [m for m in state.values["messages"] if isinstance(m, ToolMessage)]
        assert [(m.name, m.status) for m in answers] == [
            ("get_loyalty_program", "success"),
            ("create_voucher", "success"),
            ("trigger_automation", "success"),
        ]
        final = state.values["messages"][-1]
        assert isinstance(final, AIMessage) and "create_voucher done" in str(final.content)

        vouchers = client.vouchers.list(contact_uuid=contact.uuid).items
        assert [v.promotion.uuid for v in vouchers if v.promotion] == [WELCOME_PROMOTION]
        assert len(_vouchers_created(sandbox, contact.uuid)) == 1
        assert _automation_runs(sandbox, contact.uuid) == [WELCOME_AUTOMATION]

        # Piggy retries and duplicates: the same delivery again is acknowledged but the flow does not run twice.
        [body] = RECEIVED[url]
        signed = {SIGNATURE_HEADER: compute_signature(body, SECRET), "Content-Type": "application/json"}
        again = httpx.post(f"{url}/piggy/webhooks", content=body, headers=signed)
        forged = httpx.post(f"{url}/piggy/webhooks", content=body, headers={SIGNATURE_HEADER: "0" * 64})
        assert again.status_code == 200 and forged.status_code == 401
        assert agent.wait_idle(30)
        assert len(_vouchers_created(sandbox, contact.uuid)) == 1
        assert _automation_runs(sandbox, contact.uuid) == [WELCOME_AUTOMATION]


def test_a_destructive_step_waits_in_the_checkpointer_until_a_person_approves_it_once(
    client: PiggyClient,
    sandbox: Sandbox,
    engine: DeliveryEngine,
    subscribe: Callable[..., WebhookSubscription],
    new_email: str,
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'webhook-agent.db'}"
    # A welcome top-up (write: runs) and a charge (negative amount: destructive, must wait for a person).
    flow = welcome_flow(WELCOME_PROMOTION, WELCOME_AUTOMATION, extra_steps=[_prepaid(1000), _prepaid(-300)])
    with serve(PiggyToolkit(client=client), flow, checkpointer=db) as (url, agent):
        sub = subscribe(f"{url}/piggy/webhooks", "contact_created", secret=SECRET)
        contact = client.contacts.create(new_email).uuid
        _deliver_and_settle(engine, agent, sub)

        [thread] = agent.flow_threads(contact)
        state = agent.state(thread)
        assert state.next == ("approve",)
        request = state.interrupts[0].value
        assert [(r["name"], r["args"]["amount_in_cents"]) for r in request["action_requests"]] == [
            ("create_prepaid_transaction", -300)
        ]
        assert "Deduct €3.00 from the prepaid balance of " + new_email in request["action_requests"][0]["description"]
        assert request["review_configs"] == [
            {"action_name": "create_prepaid_transaction", "allowed_decisions": ["approve", "edit", "reject"]}
        ]
        assert agent.pending_approval(thread) == request
        # Everything before the destructive step happened; the charge did not.
        assert len(_vouchers_created(sandbox, contact)) == 1
        assert _automation_runs(sandbox, contact) == [WELCOME_AUTOMATION]
        assert _prepaid_writes(sandbox, contact) == [1000]
        assert client.contacts.get_prepaid_balance(contact).balance_in_cents == 1000

    # The app is gone; a reviewer's process opens the same checkpointer (and ledger) and approves by interrupt id.
    cfg = agent.config(thread)
    with open_checkpointer(db) as saver, open_graph_ledger(db) as ledger:
        # The same toolkit configuration as the agent's (the approval is bound to the final arguments).
        graph = build_flow_graph(PiggyToolkit(client=client), checkpointer=saver, ledger=ledger)
        assert graph.get_state(cfg).interrupts[0].value == request
        assert _prepaid_writes(sandbox, contact) == [1000]  # reading the pending state changes nothing
        graph.invoke(Command(resume={"decisions": [{"type": "approve"}]}), cfg)  # names no call: stale
        assert _prepaid_writes(sandbox, contact) == [1000]
        approval = review_command(graph.get_state(cfg), [{"type": "approve"}])  # by interrupt id
        assert approval is not None
        graph.invoke(approval, cfg)
        assert _prepaid_writes(sandbox, contact) == [1000, -300]
        final = graph.get_state(cfg)
        assert final.next == () and not final.interrupts
        record = final.values["approvals"]["welcome-4"]
        assert (record["type"], record["name"]) == ("approve", "create_prepaid_transaction")
        assert record["args"] == request["action_requests"][0]["args"]
        graph.invoke(approval, cfg)  # a late double click
    assert _prepaid_writes(sandbox, contact) == [1000, -300]
    assert client.contacts.get_prepaid_balance(contact).balance_in_cents == 700


def test_a_rejected_destructive_step_never_runs_and_stops_the_flow(
    client: PiggyClient,
    sandbox: Sandbox,
    engine: DeliveryEngine,
    subscribe: Callable[..., WebhookSubscription],
    new_email: str,
) -> None:
    flow = welcome_flow(
        WELCOME_PROMOTION,
        WELCOME_AUTOMATION,
        extra_steps=[Step("delete_contact", {"contact_uuid": "{contact_uuid}"}), _prepaid(500)],
    )
    with serve(PiggyToolkit(client=client), flow) as (url, agent):
        sub = subscribe(f"{url}/piggy/webhooks", "contact_created", secret=SECRET)
        contact = client.contacts.create(new_email).uuid
        _deliver_and_settle(engine, agent, sub)
        [thread] = agent.flow_threads(contact)
        assert [r["name"] for r in agent.pending_approval(thread)["action_requests"]] == ["delete_contact"]  # type: ignore[index]
        result = agent.resume(thread, [{"type": "reject", "message": "never on a welcome"}])
    assert client.contacts.get(contact).uuid == contact
    assert [r for r in sandbox.audit("contacts.delete") if r["args"].get("contact_uuid") == contact] == []
    assert _prepaid_writes(sandbox, contact) == []  # the step after the declined one did not run either
    declined = [m for m in result["messages"] if isinstance(m, ToolMessage) and m.name == "delete_contact"]
    assert declined[0].status == "error" and "never on a welcome" in str(declined[0].content)
    assert "delete_contact failed; create_prepaid_transaction not run" in str(result["messages"][-1].content)


def test_flows_are_checked_against_the_toolkit_when_the_app_is_built(client: PiggyClient) -> None:
    toolkit = PiggyToolkit(client=client)
    with pytest.raises(ValueError, match="does not have: send_postcard"):
        WebhookAgent(toolkit, [Flow("welcome", "contact_created", [Step("send_postcard")])])
    with pytest.raises(ValueError, match="list_contacts can reach other customers"):
        WebhookAgent(toolkit, [Flow("welcome", "contact_created", [Step("list_contacts")])], scoped=True)
    read_only = PiggyToolkit(client=client, read_only=True)
    with pytest.raises(ValueError, match="create_voucher"):
        WebhookAgent(read_only, [welcome_flow(WELCOME_PROMOTION, WELCOME_AUTOMATION)])


def test_a_scoped_flow_cannot_touch_another_contact_even_if_a_step_names_one(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    """With scoped=True the turn runs with a toolkit bound to the event's contact: a step aimed at Tom acts on the
    new contact instead."""

    contact = client.contacts.create(new_email).uuid
    card = f"CARD-{uuid.uuid4().hex[:10].upper()}"
    flow = Flow(
        "welcome",
        "contact_created",
        [Step("create_contact_identifier", {"contact_identifier_value": card, "contact_uuid": ids.TOM})],
    )
    agent = WebhookAgent(PiggyToolkit(client=client), [flow], scoped=True)
    try:
        event = parse_event(json.dumps({"type": "contact_created", "data": {"contact": {"uuid": contact}}}))
        assert (agent.run_turn(event) or "").startswith(f"welcome-{contact}-")
        [created] = [
            r for r in sandbox.audit("contact_identifiers.create") if r["args"].get("contact_identifier_value") == card
        ]
        assert created["args"].get("contact_uuid") == contact
    finally:
        agent.close()
