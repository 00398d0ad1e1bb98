"""The webhook agent under redeliveries and crashes: one thread per delivery identity, a redelivered finished event
changes nothing, a different event about the same contact still runs, and after a crash mid-flow the restarted agent
lists the flow and a redelivery continues it through the ledger without repeating a step (counted in the audit).

The crash is injected by a ledger hook that raises after the call reached the sandbox and before its outcome is
recorded; the sandbox, the checkpointer (SQLite) and the ledger are real.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langgraph.checkpoint.sqlite import SqliteSaver

from graphs.webhook_agent import Delivery, Flow, Step, WebhookAgent, progress
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.ledger import LedgerEntry, State
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.automations import BIRTHDAY_BONUS
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.webhooks import WebhookEvent, parse_event
from tests.graph.conftest import postgres_url

__all__ = ["postgres_url"]


class Crash(BaseException):
    """An injected crash (a BaseException, like a kill): nothing turns it into a result."""


def award(credits: int) -> Step:
    return Step(
        "award_credits", {"contact_uuid": "{contact_uuid}", "shop_uuid": ids.SHOP_AMSTERDAM, "credits": credits}
    )


def updated(contact: str, **fields: Any) -> WebhookEvent:
    return parse_event(json.dumps({"type": "contact_updated", "data": {"contact": {"uuid": contact, **fields}}}))


def runs(sandbox: Sandbox, contact: str) -> list[str]:
    rows = sandbox.audit("automations.run")
    return [r["args"]["automation_uuid"] for r in rows if r["args"].get("contact_uuid") == contact]


def awards(sandbox: Sandbox, contact: str) -> list[int]:
    rows = sandbox.audit("credit_receptions.create")
    return [r["args"]["credits"] for r in rows if r["args"].get("contact_uuid") == contact]


@pytest.fixture
def contact(client: PiggyClient) -> str:
    return client.contacts.create(f"redeliver-{uuid.uuid4().hex[:12]}@example.com").uuid


def test_the_delivery_identity_is_type_entity_and_body_hash(contact: str) -> None:
    first = Delivery.of(updated(contact, firstname="Ann"))
    assert (first.event_type, first.entity) == ("contact_updated", contact)
    assert Delivery.of(updated(contact, firstname="Ann")) == first  # a redelivery: same body
    assert Delivery.of(updated(contact, firstname="Anna")).body_hash != first.body_hash  # another event


def test_a_redelivered_event_runs_once_and_a_different_event_for_the_same_contact_runs_too(
    client: PiggyClient, sandbox: Sandbox, contact: str
) -> None:
    flow = Flow("bonus", "contact_updated", [award(5)])
    agent = WebhookAgent(PiggyToolkit(client=client), [flow])
    try:
        thread = agent.run_turn(updated(contact, firstname="Ann"))
        assert thread is not None and agent.run_turn(updated(contact, firstname="Ann")) is None
        assert awards(sandbox, contact) == [5]
        other = agent.run_turn(updated(contact, firstname="Anna"))  # the old filter (flow, contact) dropped this
        assert other not in (None, thread)
        assert awards(sandbox, contact) == [5, 5]
        assert agent.flow_threads(contact) == sorted([thread, other])
        assert agent.unfinished() == []
    finally:
        agent.close()


def test_after_a_crash_mid_flow_the_restarted_agent_lists_it_and_a_redelivery_continues_without_repeating(
    client: PiggyClient, sandbox: Sandbox, contact: str, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'agent.db'}"
    flow = Flow("bonus", "contact_updated", [award(50), award(10)])
    event = updated(contact, firstname="Crash")

    def crash_after_the_first_award(point: str, entry: LedgerEntry) -> None:
        if point == "after_send" and entry.call_id == "bonus-0":
            raise Crash  # the award reached Piggy; the process dies before its outcome is recorded

    agent = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=db)
    agent.ledger.hooks.append(crash_after_the_first_award)
    with pytest.raises(Crash):
        agent.run_turn(event)
    thread = agent.thread_id(flow, Delivery.of(event))
    agent.close()
    assert awards(sandbox, contact) == [50]

    restarted = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=db)
    try:
        [listed] = restarted.unfinished_at_start
        assert (listed.thread_id, listed.status, listed.pending) == (thread, "unfinished", ("tools",))
        [claim] = restarted.ledger.entries(thread)
        assert claim.state is State.CLAIMED  # sent, never recorded

        assert restarted.run_turn(event) == thread  # Piggy's redelivery continues the flow
        assert awards(sandbox, contact) == [50, 10]  # the first award was not sent again
        answers = {m.tool_call_id: m for m in restarted.state(thread).values["messages"] if isinstance(m, ToolMessage)}
        assert str(answers["bonus-0"].content).startswith("Outcome unknown")
        assert "it happened" in str(answers["bonus-0"].content)  # reconciled: the credit reception exists
        assert answers["bonus-1"].status == "success"
        assert restarted.status(thread).status == "done"  # type: ignore[union-attr]
        assert restarted.run_turn(event) is None  # a further redelivery of the finished flow changes nothing
        assert awards(sandbox, contact) == [50, 10]
    finally:
        restarted.close()


def test_an_unknown_outcome_that_cannot_be_reconciled_stops_the_flow_and_is_listed_at_every_start(
    client: PiggyClient, sandbox: Sandbox, contact: str, tmp_path: Path
) -> None:
    """A crash after an automation run was sent: the API shows no trace to reconcile it by, so its outcome stays
    unknown; the flow stops there (no later step builds on it) and each restart lists it for a person to check."""
    db = f"sqlite:///{tmp_path / 'agent.db'}"
    run = Step("trigger_automation", {"automation_uuid": BIRTHDAY_BONUS, "contact_uuid": "{contact_uuid}"})
    flow = Flow("nudge", "contact_updated", [run, award(3)])
    event = updated(contact, firstname="Unknown")

    def crash(point: str, entry: LedgerEntry) -> None:
        if point == "after_send":
            raise Crash

    agent = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=db)
    agent.ledger.hooks.append(crash)
    with pytest.raises(Crash):
        agent.run_turn(event)
    thread = agent.thread_id(flow, Delivery.of(event))
    agent.close()

    restarted = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=db)
    try:
        assert [s.status for s in restarted.unfinished_at_start] == ["unfinished"]
        assert restarted.continue_flow(thread)
        assert runs(sandbox, contact) == [BIRTHDAY_BONUS] and awards(sandbox, contact) == []  # nothing repeated
        [status] = restarted.unfinished()
        assert (status.thread_id, status.status) == (thread, "done")
        [alert] = status.unknown
        assert (alert["tool"], alert["happened"]) == ("trigger_automation", None)
    finally:
        restarted.close()
    again = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=db)
    try:
        assert [s.thread_id for s in again.unfinished_at_start] == [thread]
    finally:
        again.close()


class DiesBeforeTheFirstStep(SqliteSaver):
    """A checkpointer whose process dies (injected) just before the checkpoint after the input is written: the
    input and its task's writes are saved, nothing else. ``get_state`` then shows values and no next node."""

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        if metadata.get("step") == 0:
            raise Crash
        return super().put(config, checkpoint, metadata, new_versions)


def test_a_flow_killed_right_after_its_input_was_saved_is_unfinished_not_done(
    client: PiggyClient, sandbox: Sandbox, contact: str, tmp_path: Path
) -> None:
    """Found by the multi-worker soak: such a thread looked finished (``next`` is empty), so a redelivery was
    ignored and the flow never ran. It is listed at start and a redelivery runs it, once."""
    path = tmp_path / "agent.db"
    flow = Flow("bonus", "contact_updated", [award(7)])
    event = updated(contact, firstname="Early")
    with sqlite3.connect(path, check_same_thread=False) as conn:
        saver = DiesBeforeTheFirstStep(conn)
        agent = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=saver, ledger=f"sqlite:///{path}")
        with pytest.raises(Crash):
            agent.run_turn(event)
        agent.close()
    thread = agent.thread_id(flow, Delivery.of(event))
    restarted = WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=f"sqlite:///{path}")
    try:
        snapshot = restarted.state(thread)
        assert snapshot.values and snapshot.next == ()  # what made it look done
        assert [(s.thread_id, s.status) for s in restarted.unfinished_at_start] == [(thread, "unfinished")]
        assert restarted.run_turn(event) == thread
        assert awards(sandbox, contact) == [7]
        assert progress(restarted.state(thread)) == "done"
        assert restarted.run_turn(event) is None and awards(sandbox, contact) == [7]
    finally:
        restarted.close()


def test_the_same_delivery_at_four_workers_at_once_runs_each_step_once(
    client: PiggyClient, sandbox: Sandbox, contact: str, postgres_url: str
) -> None:
    """Piggy's retry reaches other workers while the first is still running the flow: four webhook agents on one
    PostgreSQL (their own connections) handle the same event at the same moment."""
    flow = Flow("bonus", "contact_updated", [award(4), award(6)])
    event = updated(contact, firstname="Rush")
    agents = [WebhookAgent(PiggyToolkit(client=client), [flow], checkpointer=postgres_url) for _ in range(4)]
    barrier = threading.Barrier(len(agents))

    def deliver(agent: WebhookAgent) -> str | None:
        barrier.wait()
        return agent.run_turn(event)

    try:
        with ThreadPoolExecutor(max_workers=len(agents)) as pool:
            threads = set(pool.map(deliver, agents))
        thread = agents[0].thread_id(flow, Delivery.of(event))
        assert threads <= {thread, None}
        assert awards(sandbox, contact) == [4, 6]
        assert progress(agents[0].state(thread)) == "done"
    finally:
        for agent in agents:
            agent.close()
