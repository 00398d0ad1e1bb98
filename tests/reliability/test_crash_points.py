"""Crash-point exploration: every value-moving or destructive tool, a crash at every point, then continue or resume.

A graph built from the library's pieces (``make_approval_node``, ``route_tool_calls`` / ``make_tool_task``, the
ledger) runs one approved call against the real sandbox over HTTP, with a SQLite or PostgreSQL checkpointer and a
ledger in the same database. A crash is injected at one point:

- ``before_claim`` / ``before_send``: ledger hooks, before the claim and between the claim and the send;
- ``transport_crash``: an httpx transport that forwards the request to the sandbox, then dies (the process stopped
  after Piggy processed it); ``transport_reset``: forwards, then the connection drops (an ordinary network error);
- ``after_send``: a ledger hook after the answer arrived, before the outcome is written;
- ``after_record``: a ledger hook after the outcome is written, before the step's checkpoint;
- ``after_checkpoint``: the next node (the agent) dies after the tools step was checkpointed;
- a real ``os._exit`` of a worker subprocess at a ledger point (the continue then runs in this process).

The graph runs with durability ``"sync"`` (``with_sync_durability``), as the support agent does.

Then the run is continued (``invoke(None, config)``) or the reviewer's answer is sent again (same interrupt id),
sync or async. The sandbox's audit counts what Piggy executed: never twice, never unapproved; a call whose outcome
was unknown is surfaced in ``ledger_alerts`` and reconciled where the API allows. A compact matrix (every tool at
every point, the other dimensions rotated) runs in ``make test``; the full product is ``@pytest.mark.slow``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from langchain_core.messages import AIMessage, AnyMessage, ToolMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command

from graphs.support_agent.persistence import open_async_checkpointer, open_checkpointer
from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.hitl import (
    check_call_ids,
    make_approval_node,
    make_tool_task,
    needs_approval,
    pending_tool_calls,
    route_after_approval,
    route_tool_calls,
    with_sync_durability,
)
from piggy_agent_tools.ledger import Ledger, LedgerEntry, open_ledger
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import giftcards as giftcard_seed
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed import vouchers as voucher_seed
from piggy_agent_tools.sandbox.seed.rewards import FREE_CAPPUCCINO  # no stock limit: the slow matrix claims it often
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.graph.conftest import postgres_url

__all__ = ["postgres_url"]

POINTS = [
    "before_claim",
    "before_send",
    "transport_crash",
    "transport_reset",
    "after_send",
    "after_record",
    "after_checkpoint",
]
# What Piggy must have executed after the recovery, and what the staff must be told, per crash point.
EXECUTED = {p: 0 if p == "before_send" else 1 for p in POINTS}
UNKNOWN = {"before_send", "transport_crash", "transport_reset", "after_send"}
MODES = ["continue", "resume"]
RUNS = ["sync", "async"]
BACKENDS = ["sqlite", "postgres"]


class Crash(BaseException):
    """The injected crash: a BaseException like a kill or a cancellation, so nothing turns it into a result."""


def _merge(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    return {**(left or {}), **(right or {})}


class State(MessagesState):
    approvals: Annotated[dict[str, Any], _merge]
    ledger_alerts: Annotated[dict[str, Any], _merge]
    review_notice: str


@dataclass
class Case:
    """One tool's scenario: prepares its objects, returns the call's args; ``audit`` is the operation executed."""

    tool: str
    audit: str
    prepare: Callable[[PiggyClient, str], dict[str, Any]]
    reconcilable: bool = True


def _contact(client: PiggyClient, credits: int = 0) -> str:
    contact = client.contacts.create(f"crash-{uuid.uuid4().hex[:12]}@example.com").uuid
    if credits:
        client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=credits)
    return contact


def _funded_card(client: PiggyClient) -> str:
    card = client.giftcards.create(giftcard_seed.PROGRAM).uuid
    client.giftcard_transactions.create(giftcard_uuid=card, amount_in_cents=2000, shop_uuid=ids.SHOP_AMSTERDAM)
    return str(card)


def _voucher(client: PiggyClient, contact: str) -> str:
    code = f"CRASH-{uuid.uuid4().hex[:10].upper()}"
    return client.vouchers.create(voucher_seed.PROMO_SPRING, code=code, contact_uuid=contact).code


def _prep_award(c: PiggyClient, tag: str) -> dict[str, Any]:
    return {"contact_uuid": _contact(c), "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 7}


def _prep_claim(c: PiggyClient, tag: str) -> dict[str, Any]:
    return {"contact_uuid": _contact(c, 150), "reward_uuid": FREE_CAPPUCCINO, "shop_uuid": ids.SHOP_AMSTERDAM}


def _prep_giftcard(c: PiggyClient, tag: str) -> dict[str, Any]:
    return {"giftcard_uuid": _funded_card(c), "amount_in_cents": -500, "shop_uuid": ids.SHOP_AMSTERDAM}


def _prep_prepaid(c: PiggyClient, tag: str) -> dict[str, Any]:
    contact = _contact(c)
    c.prepaid_transactions.create(contact_uuid=contact, amount_in_cents=2000, shop_uuid=ids.SHOP_AMSTERDAM)
    return {"contact_uuid": contact, "amount_in_cents": -500, "shop_uuid": ids.SHOP_AMSTERDAM}


def _prep_redeem(c: PiggyClient, tag: str) -> dict[str, Any]:
    contact = _contact(c)
    return {"code": _voucher(c, contact), "shop_uuid": ids.SHOP_AMSTERDAM, "contact_uuid": contact}


def _prep_delete(c: PiggyClient, tag: str) -> dict[str, Any]:
    return {"contact_uuid": _contact(c)}


def _prep_reverse_credits(c: PiggyClient, tag: str) -> dict[str, Any]:
    contact = _contact(c)
    award = c.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=9)
    return {"credit_reception_uuid": award.uuid, "contact_uuid": contact}


def _prep_reverse_claim(c: PiggyClient, tag: str) -> dict[str, Any]:
    contact = _contact(c, 150)
    claim = c.reward_receptions.create(contact_uuid=contact, reward_uuid=FREE_CAPPUCCINO, shop_uuid=ids.SHOP_AMSTERDAM)
    return {"reward_reception_uuid": claim.uuid}


def _prep_reverse_giftcard(c: PiggyClient, tag: str) -> dict[str, Any]:
    card = _funded_card(c)
    spend = c.giftcard_transactions.create(giftcard_uuid=card, amount_in_cents=-300, shop_uuid=ids.SHOP_AMSTERDAM)
    return {"giftcard_transaction_uuid": spend.uuid}


def _prep_reverse_redemption(c: PiggyClient, tag: str) -> dict[str, Any]:
    contact = _contact(c)
    redeemed = c.vouchers.redeem(_voucher(c, contact), shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=contact)
    assert redeemed.voucher_redemption is not None
    return {"voucher_redemption_uuid": redeemed.voucher_redemption.uuid}


CASES = [
    Case("award_credits", "credit_receptions.create", _prep_award),
    Case("claim_reward", "reward_receptions.create", _prep_claim),
    Case("create_giftcard_transaction", "giftcard_transactions.create", _prep_giftcard),
    Case("create_prepaid_transaction", "prepaid_transactions.create", _prep_prepaid),
    Case("redeem_voucher", "vouchers.redeem", _prep_redeem),
    Case("delete_contact", "contacts.delete", _prep_delete),
    Case("reverse_credit_reception", "credit_receptions.reverse", _prep_reverse_credits),
    Case("reverse_reward_reception", "reward_receptions.reverse", _prep_reverse_claim, reconcilable=False),
    Case("reverse_giftcard_transaction", "giftcard_transactions.reverse", _prep_reverse_giftcard),
    Case("reverse_voucher_redemption", "vouchers.reverse", _prep_reverse_redemption, reconcilable=False),
]


# --- fault injection ----------------------------------------------------------------------------------------------


@dataclass
class Faults:
    """One scenario's armed fault; each fires once."""

    point: str
    fired: bool = False

    def hook(self, point: str, entry: LedgerEntry) -> None:
        if point == self.point and not self.fired:
            self.fired = True
            raise Crash(point)

    def after_http(self, request: httpx.Request) -> None:
        """Called after a request was forwarded and answered: crash or drop the line once, on the tool's write."""
        if self.fired or request.method == "GET" or self.point not in ("transport_crash", "transport_reset"):
            return
        self.fired = True
        if self.point == "transport_crash":
            raise Crash(self.point)
        raise httpx.ReadError("injected: connection reset after the request was processed", request=request)


def _plain(sandbox: Sandbox, transport: httpx.BaseTransport | None = None) -> PiggyClient:
    """A client on plain HTTP without building a TLS context (which costs a tenth of a second per client); the
    default retry policy, so a dropped line is handled as in production."""
    http = httpx.Client(transport=transport or httpx.HTTPTransport(verify=False), verify=False)
    return PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)


def _aplain(sandbox: Sandbox, transport: httpx.AsyncBaseTransport | None = None) -> AsyncPiggyClient:
    """The async twin of ``_plain``."""
    http = httpx.AsyncClient(transport=transport or httpx.AsyncHTTPTransport(verify=False), verify=False)
    return AsyncPiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)


class ForwardThenFail(httpx.BaseTransport):
    """Forwards every request to the sandbox; after the armed write was processed, crashes or drops the line."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self.inner = httpx.HTTPTransport(verify=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method != "GET" and not self.faults.fired and self.faults.point.startswith("transport_"):
            response.read()
            response.close()
            self.faults.after_http(request)
        return response


class AsyncForwardThenFail(httpx.AsyncBaseTransport):
    """Async twin of ``ForwardThenFail``."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self.inner = httpx.AsyncHTTPTransport(verify=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method != "GET" and not self.faults.fired and self.faults.point.startswith("transport_"):
            await response.aread()
            await response.aclose()
            self.faults.after_http(request)
        return response


# --- the graph ----------------------------------------------------------------------------------------------------


def build(toolkit: PiggyToolkit, ledger: Ledger, checkpointer: Any, call: dict[str, Any], faults: Faults) -> Any:
    """agent -> (approve) -> one task per call -> agent -> end; the agent dies once after the tools step if armed."""

    def agent(state: State) -> dict[str, Any]:
        messages: list[AnyMessage] = state["messages"]
        if isinstance(messages[-1], ToolMessage):
            if faults.point == "after_checkpoint" and not faults.fired:
                faults.fired = True
                raise Crash("after_checkpoint")
            return {"messages": [AIMessage("Done.")]}
        reply = AIMessage(content="", tool_calls=[call])
        return {"messages": check_call_ids(reply, messages)}

    def after_agent(state: State) -> Any:
        if not pending_tool_calls(state["messages"]):
            return END
        if needs_approval(toolkit, state["messages"]):
            return "approve"
        return route_tool_calls(toolkit, dict(state))

    builder = StateGraph(State)
    builder.add_node("agent", agent)
    builder.add_node("approve", make_approval_node(toolkit, describe=lambda tk, c: f"{c['name']} {c['args']}"))
    builder.add_node("tools", make_tool_task(toolkit, ledger))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", after_agent, ["approve", "tools", END])
    builder.add_conditional_edges(
        "approve", lambda s: route_after_approval(toolkit, dict(s), done="agent"), ["approve", "tools", "agent"]
    )
    builder.add_edge("tools", "agent")
    return with_sync_durability(builder.compile(checkpointer=checkpointer))


# --- one scenario -------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one scenario left behind: Piggy's executions of the call (audit rows), the decision, alert and answer."""

    executed: int
    needs_approval: bool
    approved: bool
    alert: dict[str, Any] | None
    answer: ToolMessage | None
    fired: bool


def _approve_command(snapshot: Any) -> Command[Any] | None:
    for pending in snapshot.interrupts:
        return Command(resume={pending.id: {"decisions": [{"type": "approve"}]}})
    return None


def _sync_scenario(
    sandbox: Sandbox, url: str, ledger: Ledger, saver: Any, case: Case, point: str, mode: str
) -> Outcome:
    faults = Faults(point)
    ledger.hooks[:] = [faults.hook]
    with _plain(sandbox) as setup:
        args = case.prepare(setup, point)
    before = len(sandbox.audit(case.audit))
    client = _plain(sandbox, ForwardThenFail(faults))
    toolkit = PiggyToolkit(client=client, async_client=_aplain(sandbox))
    call = {"name": case.tool, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}"}
    graph = build(toolkit, ledger, saver, call, faults)
    cfg: dict[str, Any] = {"configurable": {"thread_id": f"crash-{uuid.uuid4().hex}"}}
    answer = None
    try:
        graph.invoke({"messages": [("user", "go")]}, cfg)
        answer = _approve_command(graph.get_state(cfg))
        if answer is not None:
            graph.invoke(answer, cfg)
    except Crash:
        pass  # the injected crash: recovery follows
    for _ in range(4):  # recover: continue, or send the reviewer's answer again
        snapshot = graph.get_state(cfg)
        if not snapshot.next:
            break
        pending = _approve_command(snapshot)
        if pending is not None:
            graph.invoke(pending, cfg)
        elif mode == "resume" and answer is not None:
            graph.invoke(answer, cfg)
            answer = None  # sent again once; after that, continue
        else:
            graph.invoke(None, cfg)
    values = graph.get_state(cfg).values
    client.close()
    return _outcome(sandbox, case, toolkit, call, before, values, faults.fired)


async def _async_scenario(sandbox: Sandbox, url: str, ledger: Ledger, case: Case, point: str, mode: str) -> Outcome:
    faults = Faults(point)
    ledger.hooks[:] = [faults.hook]
    with _plain(sandbox) as setup:
        args = case.prepare(setup, point)
    before = len(sandbox.audit(case.audit))
    aclient = _aplain(sandbox, AsyncForwardThenFail(faults))
    sync_client = _plain(sandbox)
    toolkit = PiggyToolkit(client=sync_client, async_client=aclient)
    call = {"name": case.tool, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}"}
    cfg: dict[str, Any] = {"configurable": {"thread_id": f"crash-{uuid.uuid4().hex}"}}
    async with open_async_checkpointer(url) as saver:
        graph = build(toolkit, ledger, saver, call, faults)
        answer = None
        try:
            await graph.ainvoke({"messages": [("user", "go")]}, cfg)
            answer = _approve_command(await graph.aget_state(cfg))
            if answer is not None:
                await graph.ainvoke(answer, cfg)
        except Crash:
            pass  # the injected crash: recovery follows
        for _ in range(4):
            snapshot = await graph.aget_state(cfg)
            if not snapshot.next:
                break
            pending = _approve_command(snapshot)
            if pending is not None:
                await graph.ainvoke(pending, cfg)
            elif mode == "resume" and answer is not None:
                await graph.ainvoke(answer, cfg)
                answer = None
            else:
                await graph.ainvoke(None, cfg)
        values = (await graph.aget_state(cfg)).values
    await aclient.aclose()
    sync_client.close()
    return _outcome(sandbox, case, toolkit, call, before, values, faults.fired)


def _outcome(
    sandbox: Sandbox,
    case: Case,
    toolkit: PiggyToolkit,
    call: dict[str, Any],
    before: int,
    values: dict[str, Any],
    fired: bool,
) -> Outcome:
    """Scenarios run one at a time, so the operation's audit rows since the setup are this call's executions."""
    executed = len(sandbox.audit(case.audit)) - before
    record = (values.get("approvals") or {}).get(call["id"]) or {}
    answers = [m for m in values.get("messages", []) if isinstance(m, ToolMessage) and m.tool_call_id == call["id"]]
    alert = (values.get("ledger_alerts") or {}).get(call["id"])
    needs = toolkit.needs_decision(call)
    return Outcome(executed, needs, record.get("type") == "approve", alert, answers[-1] if answers else None, fired)


def check(case: Case, point: str, got: Outcome) -> list[str]:
    """Every broken promise of one scenario, in words (empty when it held)."""
    problems = []
    if not got.fired:
        problems.append("the fault never fired")
    if got.executed > 1:
        problems.append(f"executed {got.executed} times")
    if got.executed and got.needs_approval and not got.approved:
        problems.append("executed without an approval")
    if got.executed != EXECUTED[point]:
        problems.append(f"executed {got.executed} times, expected {EXECUTED[point]}")
    if got.answer is None:
        problems.append("the call has no answer in the conversation")
    if point in UNKNOWN and got.alert is None:
        problems.append("an unknown outcome was not surfaced")
    if point not in UNKNOWN and got.alert is not None:
        problems.append(f"a known outcome raised an alert: {got.alert['text']}")
    if got.alert is not None:
        expected = bool(got.executed) if case.reconcilable else None
        if got.alert.get("happened") is not expected:
            problems.append(f"reconciled as happened={got.alert.get('happened')}, expected {expected}")
    return problems


# --- the matrix ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backends(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('crash') / 'agent.db'}"}
    urls["postgres"] = request.getfixturevalue("postgres_url")
    yield urls


def _run_matrix(
    sandbox: Sandbox, backends: dict[str, str], combos: list[tuple[Case, str, str, str, str]]
) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    failures: list[str] = []
    ledgers = {name: open_ledger(url, wait_for_owner=5.0) for name, url in backends.items()}
    try:
        with open_checkpointer(backends["sqlite"]) as sqlite_saver, open_checkpointer(backends["postgres"]) as pg_saver:
            savers = {"sqlite": sqlite_saver, "postgres": pg_saver}
            for case, point, mode, run, backend in combos:
                url, ledger = backends[backend], ledgers[backend]
                if run == "sync":
                    got = _sync_scenario(sandbox, url, ledger, savers[backend], case, point, mode)
                else:
                    got = asyncio.run(_async_scenario(sandbox, url, ledger, case, point, mode))
                problems = check(case, point, got)
                counts["scenarios"] += 1
                counts["executions"] += got.executed
                counts["double executions"] += got.executed > 1
                counts["unapproved executions"] += bool(got.executed and got.needs_approval and not got.approved)
                counts["unknown outcomes surfaced"] += got.alert is not None
                counts["reconciled"] += got.alert is not None and got.alert.get("happened") is not None
                for problem in problems:
                    failures.append(f"{case.tool} @ {point} ({mode}, {run}, {backend}): {problem}")
    finally:
        for ledger in ledgers.values():
            ledger.close()
    return counts, failures


def compact_matrix() -> list[tuple[Case, str, str, str, str]]:
    """Every tool at every point; mode, sync/async and backend rotate so each appears with every point."""
    rotation = list(itertools.product(MODES, RUNS, BACKENDS))
    combos = []
    for c, case in enumerate(CASES):
        for p, point in enumerate(POINTS):
            mode, run, backend = rotation[(c + p) % len(rotation)]  # per point, the 10 tools cover all 8
            combos.append((case, point, mode, run, backend))
    return combos


def _report(counts: Counter[str], failures: list[str]) -> None:
    print("crash points: " + json.dumps(dict(counts)))
    assert not failures, "\n".join(failures)


def test_every_tool_at_every_crash_point_runs_at_most_once_and_unknowns_are_surfaced(
    sandbox: Sandbox, backends: dict[str, str]
) -> None:
    combos = compact_matrix()
    seen = {(p, m, r, b) for _, p, m, r, b in combos}
    assert {(p, r) for p, _, r, _ in seen} == set(itertools.product(POINTS, RUNS))
    assert {(p, b) for p, _, _, b in seen} == set(itertools.product(POINTS, BACKENDS))
    assert {(p, m) for p, m, _, _ in seen} == set(itertools.product(POINTS, MODES))
    counts, failures = _run_matrix(sandbox, backends, combos)
    _report(counts, failures)
    assert counts["scenarios"] == len(CASES) * len(POINTS)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_the_full_crash_point_product(sandbox: Sandbox, backends: dict[str, str]) -> None:
    combos = [
        (case, point, mode, run, backend)
        for case, point, mode, run, backend in itertools.product(CASES, POINTS, MODES, RUNS, BACKENDS)
    ]
    counts, failures = _run_matrix(sandbox, backends, combos)
    _report(counts, failures)


# --- a real process death -----------------------------------------------------------------------------------------

_CHILD = """
import os, sys
from tests.reliability.test_crash_points import child_main
child_main(*sys.argv[1:])
"""


def child_main(base_url: str, api_key: str, url: str, thread: str, call_json: str, point: str) -> None:
    """A worker that approves the call and dies (``os._exit``, no cleanup) at ``point``."""
    call = json.loads(call_json)

    def die(where: str, entry: LedgerEntry) -> None:
        if where == point:
            os._exit(137)

    with open_ledger(url) as ledger, open_checkpointer(url) as saver:
        ledger.hooks.append(die)
        toolkit = PiggyToolkit(client=PiggyClient(api_key=api_key, base_url=base_url))
        graph = build(toolkit, ledger, saver, call, Faults("none"))
        cfg = {"configurable": {"thread_id": thread}}
        graph.invoke({"messages": [("user", "go")]}, cfg)
        answer = _approve_command(graph.get_state(cfg))
        if answer is not None:
            graph.invoke(answer, cfg)
    sys.exit(3)  # the point was never reached


def _killed_worker(sandbox: Sandbox, url: str, case: Case, point: str) -> Outcome:
    with PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as setup:
        args = case.prepare(setup, point)
    before = len(sandbox.audit(case.audit))
    call = {"name": case.tool, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}"}
    thread = f"killed-{uuid.uuid4().hex}"
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, sandbox.base_url, sandbox.api_key, url, thread, json.dumps(call), point],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 137, done.stderr[-2000:]
    with open_ledger(url) as ledger, open_checkpointer(url) as saver:
        toolkit = PiggyToolkit(client=PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url))
        graph = build(toolkit, ledger, saver, call, Faults("none"))
        cfg = {"configurable": {"thread_id": thread}}
        for _ in range(4):
            if not graph.get_state(cfg).next:
                break
            graph.invoke(None, cfg)
        values = graph.get_state(cfg).values
    return _outcome(sandbox, case, toolkit, call, before, values, True)


def test_a_worker_killed_after_the_send_is_not_repeated_and_is_reconciled(
    sandbox: Sandbox, backends: dict[str, str]
) -> None:
    case = next(c for c in CASES if c.tool == "claim_reward")
    got = _killed_worker(sandbox, backends["sqlite"], case, "after_send")
    assert check(case, "after_send", got) == []


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("point", ["before_send", "after_send", "after_record"])
def test_killed_workers_on_every_backend(sandbox: Sandbox, backends: dict[str, str], backend: str, point: str) -> None:
    for case in CASES:
        got = _killed_worker(sandbox, backends[backend], case, point)
        assert check(case, point, got) == [], case.tool
