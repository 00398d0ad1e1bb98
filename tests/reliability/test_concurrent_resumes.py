"""Duplicate and concurrent resumes of one approval: 2 to 8 workers answer the same interrupt at the same moment
(threads with their own connections on SQLite and PostgreSQL, and separate processes on PostgreSQL), and the approved
deduction runs exactly once each time, counted in the sandbox's audit. A plain second "approve" never approves a
newer interrupt.

The graph is the webhook agent's flow graph (the library's approval and tools nodes, a deterministic planner), so
every trial is the same conversation: top up 10.00, then deduct 3.00 (destructive: needs a person).
The short form runs in ``make test``; ``make reliability`` (PIGGY_RELIABILITY=full) runs at least 200 trials each.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from graphs.webhook_agent import build_flow_graph
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.ledger import Ledger, open_ledger
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.graph.conftest import postgres_url
from tests.reliability._flow_worker import start_input
from tests.reliability._strategies import FULL

__all__ = ["postgres_url"]

ROOT = Path(__file__).resolve().parents[2]
TOP_UP, DEDUCT = 1000, -300
FORMS = pytest.mark.parametrize(
    "trials",
    [
        pytest.param(8, id="short"),
        pytest.param(
            200,
            id="full",
            marks=[
                pytest.mark.slow,
                pytest.mark.timeout(1800),
                pytest.mark.skipif(not FULL, reason="runs under PIGGY_RELIABILITY=full"),
            ],
        ),
    ],
)


def plan(contact: str, *amounts: int) -> list[dict[str, Any]]:
    """One prepaid transaction per amount for ``contact`` (a negative amount is a deduction: it needs approval)."""
    args = {"contact_uuid": contact, "shop_uuid": ids.SHOP_AMSTERDAM}
    return [{"name": "create_prepaid_transaction", "args": {**args, "amount_in_cents": a}} for a in amounts]


def approve(graph: Any, config: Any) -> Command[Any]:
    """Approve exactly the pending interrupt, by its id (as the CLI and the served graph do)."""
    [pending] = graph.get_state(config).interrupts
    return Command(resume={pending.id: {"decisions": [{"type": "approve"}]}})


def executed(sandbox: Sandbox, contact: str) -> list[int]:
    """The prepaid transactions the sandbox performed for ``contact``, in order (its audit)."""
    rows = sandbox.audit("prepaid_transactions.create")
    return [r["args"]["amount_in_cents"] for r in rows if r["args"].get("contact_uuid") == contact]


@dataclass
class Worker:
    """One resuming worker: its own checkpointer connection, ledger connection and client, like a server thread."""

    graph: Any
    ledger: Ledger


@pytest.fixture(scope="module")
def sandbox_rig() -> Iterator[Sandbox]:
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb:
        yield sb


@pytest.fixture(scope="module")
def pg_db(postgres_url: str) -> str:
    """A database of our own in the test cluster, so other tests' threads and ledger rows are not in the way."""
    import psycopg

    name = "piggy_resumes"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    with PostgresSaver.from_conn_string(url) as saver:
        saver.setup()
    return url


def _workers(stack: ExitStack, backend: str, sandbox: Sandbox, where: str, n: int) -> list[Worker]:
    workers = []
    for _ in range(n):
        client = stack.enter_context(PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url))
        if backend == "sqlite":
            conn = sqlite3.connect(where, check_same_thread=False, timeout=30)
            stack.callback(conn.close)
            saver: Any = SqliteSaver(conn)
            saver.setup()
            ledger = stack.enter_context(open_ledger(f"sqlite:///{where}", wait_for_owner=20.0))
        else:
            saver = stack.enter_context(PostgresSaver.from_conn_string(where))
            ledger = stack.enter_context(open_ledger(where, wait_for_owner=20.0))
        workers.append(Worker(build_flow_graph(PiggyToolkit(client=client), checkpointer=saver, ledger=ledger), ledger))
    return workers


def _one_trial(sandbox: Sandbox, client: PiggyClient, workers: list[Worker], k: int) -> tuple[list[int], list[str]]:
    """Start a conversation up to its approval, then let ``k`` workers resume it at once; returns what ran."""
    contact = client.contacts.create(f"resume-{uuid.uuid4().hex[:12]}@example.com").uuid
    thread = f"resume-{uuid.uuid4().hex}"
    config: Any = {"configurable": {"thread_id": thread}}
    first = workers[0].graph
    first.invoke(start_input(thread, plan(contact, TOP_UP, DEDUCT), contact), config)
    command = approve(first, config)
    barrier = threading.Barrier(k)
    errors: list[str] = []

    def resume(worker: Worker) -> None:
        barrier.wait()
        try:
            worker.graph.invoke(command, config)
        except Exception as exc:  # a losing worker may fail; what matters is what ran
            errors.append(f"{type(exc).__name__}: {exc}")

    with ThreadPoolExecutor(max_workers=k) as pool:
        list(pool.map(resume, workers[:k]))
    ran = executed(sandbox, contact)
    assert ran == [TOP_UP, DEDUCT], f"{k} resumes ran {ran} (errors: {errors})"
    state = first.get_state(config)
    answers = [m for m in state.values["messages"] if isinstance(m, ToolMessage) and m.tool_call_id == "soak-1"]
    assert len(answers) == 1 and answers[0].status == "success", answers
    assert not str(answers[0].content).startswith("Outcome unknown"), answers[0].content  # its sender was alive
    return ran, errors


@FORMS
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_concurrent_resumes_from_threads_run_the_approved_deduction_exactly_once(
    sandbox_rig: Sandbox, backend: str, trials: int, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    where = str(tmp_path / "resumes.db") if backend == "sqlite" else request.getfixturevalue("pg_db")
    rng = random.Random(f"threads-{backend}-{trials}")
    outcomes: dict[int, int] = {}
    with ExitStack() as stack:
        workers = _workers(stack, backend, sandbox_rig, where, 8)
        client = stack.enter_context(PiggyClient(api_key=sandbox_rig.api_key, base_url=sandbox_rig.base_url))
        for trial in range(trials):
            k = 2 + trial % 7 if trial < 7 else rng.randint(2, 8)
            ran, errors = _one_trial(sandbox_rig, client, workers, k)
            assert ran == [TOP_UP, DEDUCT], f"trial {trial} with {k} resumes ran {ran} (errors: {errors})"
            outcomes[k] = outcomes.get(k, 0) + 1
    print(f"\n{backend} threads: {trials} trials, resumes per trial {dict(sorted(outcomes.items()))}, "
          "exactly one deduction in every trial")  # fmt: skip


@FORMS
async def test_concurrent_async_resumes_on_postgres_run_the_deduction_exactly_once(
    sandbox_rig: Sandbox, pg_db: str, trials: int
) -> None:
    """``ainvoke`` from 2 to 8 tasks of one event loop, each graph on its own async checkpointer connection and
    ledger connection: the async path (``aguarded_send``) under the same race."""
    rng = random.Random(f"async-{trials}")
    outcomes: dict[int, int] = {}
    async with AsyncExitStack() as stack:
        client = stack.enter_context(PiggyClient(api_key=sandbox_rig.api_key, base_url=sandbox_rig.base_url))
        graphs = []
        for _ in range(8):
            saver = await stack.enter_async_context(AsyncPostgresSaver.from_conn_string(pg_db))
            ledger = stack.enter_context(open_ledger(pg_db, wait_for_owner=20.0))
            graphs.append(build_flow_graph(PiggyToolkit(client=client), checkpointer=saver, ledger=ledger))
        for trial in range(trials):
            k = 2 + trial % 7 if trial < 7 else rng.randint(2, 8)
            contact = client.contacts.create(f"aresume-{uuid.uuid4().hex[:12]}@example.com").uuid
            thread = f"aresume-{uuid.uuid4().hex}"
            config: Any = {"configurable": {"thread_id": thread}}
            await graphs[0].ainvoke(start_input(thread, plan(contact, TOP_UP, DEDUCT), contact), config)
            [pending] = (await graphs[0].aget_state(config)).interrupts
            command: Command[Any] = Command(resume={pending.id: {"decisions": [{"type": "approve"}]}})
            results = await asyncio.gather(*(g.ainvoke(command, config) for g in graphs[:k]), return_exceptions=True)
            ran = executed(sandbox_rig, contact)
            assert ran == [TOP_UP, DEDUCT], f"trial {trial}: {k} async resumes ran {ran} ({results})"
            messages = (await graphs[0].aget_state(config)).values["messages"]
            answers = [m for m in messages if isinstance(m, ToolMessage) and m.tool_call_id == "soak-1"]
            # One answer, the call's own result: never "outcome unknown" (even reconciled) while its sender was alive.
            assert [(a.status, str(a.content)[:15]) for a in answers] == [("success", answers[0].content[:15])]
            assert not str(answers[0].content).startswith("Outcome unknown"), answers[0].content
            outcomes[k] = outcomes.get(k, 0) + 1
    print(f"\npostgres async: {trials} trials, resumes per trial {dict(sorted(outcomes.items()))}, "
          "exactly one deduction in every trial")  # fmt: skip


class ProcessPool:
    """Worker processes (``_flow_worker``) on one PostgreSQL: each its own interpreter, connections and client."""

    def __init__(self, postgres: str, sandbox: Sandbox, n: int) -> None:
        self.args = [
            sys.executable,
            "-m",
            "tests.reliability._flow_worker",
            postgres,
            sandbox.base_url,
            sandbox.api_key,
        ]
        self.procs = [self.spawn() for _ in range(n)]
        for proc in self.procs:
            self.wait_ready(proc)
        self.jobs = 0

    def spawn(self) -> subprocess.Popen[str]:
        return subprocess.Popen(self.args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def wait_ready(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        assert ready.get("ready") == proc.pid

    def run(self, proc: subprocess.Popen[str], job: dict[str, Any]) -> None:
        self.jobs += 1
        assert proc.stdin is not None
        proc.stdin.write(json.dumps({"job": self.jobs, **job}) + "\n")
        proc.stdin.flush()

    def answer(self, proc: subprocess.Popen[str]) -> dict[str, Any]:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, f"worker {proc.pid} exited"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        for proc in self.procs:
            if proc.stdin is not None:
                proc.stdin.close()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@FORMS
def test_concurrent_resumes_from_separate_processes_on_postgres_run_the_deduction_exactly_once(
    sandbox_rig: Sandbox, pg_db: str, trials: int
) -> None:
    rng = random.Random(f"processes-{trials}")
    size = 8 if trials >= 200 else 3  # the short form keeps start-up (about 4 s a process on 2 cores) small
    pool = ProcessPool(pg_db, sandbox_rig, size)
    outcomes: dict[int, int] = {}
    try:
        with (
            PiggyClient(api_key=sandbox_rig.api_key, base_url=sandbox_rig.base_url) as client,
            PostgresSaver.from_conn_string(pg_db) as saver,
            open_ledger(pg_db) as ledger,
        ):
            reader = build_flow_graph(PiggyToolkit(client=client), checkpointer=saver, ledger=ledger)
            for trial in range(trials):
                k = 2 + trial % (size - 1) if trial < size - 1 else rng.randint(2, size)
                contact = client.contacts.create(f"resume-{uuid.uuid4().hex[:12]}@example.com").uuid
                thread = f"resume-{uuid.uuid4().hex}"
                config: Any = {"configurable": {"thread_id": thread}}
                starter = pool.procs[trial % len(pool.procs)]
                pool.run(starter, {"op": "start", "thread": thread, "contact": contact,
                                   "plan": plan(contact, TOP_UP, DEDUCT)})  # fmt: skip
                assert pool.answer(starter)["ok"]
                command = approve(reader, config)
                at = time.time() + 0.25
                chosen = rng.sample(pool.procs, k)
                for proc in chosen:
                    pool.run(proc, {"op": "resume", "thread": thread, "resume": command.resume, "at": at})
                answers = [pool.answer(proc) for proc in chosen]
                ran = executed(sandbox_rig, contact)
                assert ran == [TOP_UP, DEDUCT], f"trial {trial}: {k} processes ran {ran}; answers {answers}"
                outcomes[k] = outcomes.get(k, 0) + 1
    finally:
        pool.close()
    print(f"\npostgres processes: {trials} trials, resumes per trial {dict(sorted(outcomes.items()))}, "
          "exactly one deduction in every trial")  # fmt: skip


@pytest.mark.parametrize("by_id", [False, True], ids=["plain", "by-interrupt-id"])
def test_a_second_approve_never_approves_a_newer_interrupt(sandbox_rig: Sandbox, tmp_path: Path, by_id: bool) -> None:
    """Two deductions, each needing its own review: the first approve, sent twice (a double click, an HTTP retry),
    runs the first; the second deduction stays waiting and never runs without its own decision."""
    with (
        PiggyClient(api_key=sandbox_rig.api_key, base_url=sandbox_rig.base_url) as client,
        open_ledger(f"sqlite:///{tmp_path / 'l.db'}") as ledger,
        sqlite3.connect(tmp_path / "c.db", check_same_thread=False) as conn,
    ):
        saver = SqliteSaver(conn)
        graph = build_flow_graph(PiggyToolkit(client=client), checkpointer=saver, ledger=ledger)
        contact = client.contacts.create(f"second-{uuid.uuid4().hex[:12]}@example.com").uuid
        config: Any = {"configurable": {"thread_id": f"second-{uuid.uuid4().hex}"}}
        graph.invoke(start_input("t", plan(contact, TOP_UP, -100, -200), contact), config)
        named = {"decisions": [{"type": "approve", "tool_call_id": "soak-1"}]}  # a plain answer naming the call
        first = approve(graph, config) if by_id else Command(resume=named)
        graph.invoke(first, config)
        assert executed(sandbox_rig, contact) == [TOP_UP, -100]
        newer = graph.get_state(config).interrupts
        assert [r["args"]["amount_in_cents"] for r in newer[0].value["action_requests"]] == [-200]
        graph.invoke(first, config)  # the same approval again
        graph.invoke(Command(resume={"decisions": [{"type": "approve"}]}), config)  # a blind approve
        assert executed(sandbox_rig, contact) == [TOP_UP, -100]
        [again] = graph.get_state(config).interrupts  # asked again, saying the answers were stale
        assert [r["tool_call_id"] for r in again.value["action_requests"]] == ["soak-2"]
        assert "changed nothing" in again.value["notice"]
        graph.invoke(approve(graph, config), config)  # its own decision
        assert executed(sandbox_rig, contact) == [TOP_UP, -100, -200]
