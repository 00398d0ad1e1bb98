"""Multi-worker soak: 4 worker processes share one PostgreSQL (checkpoints and ledger) and run conversations with
approvals while workers are killed with SIGKILL at random moments and every decision is sent twice.

Each conversation is the webhook agent's flow graph with three steps for a fresh contact: top up 10.00 (write),
deduct 3.00 (destructive: a person decides), award 5 credits (write). The reviewer approves, rejects or never
answers; each answer goes to two workers at once (a double click, a retried HTTP request). A conversation whose
worker died is picked up by another worker: a pending review is answered again, a flow stopped mid-way is continued.
At the end, counted in the sandbox's audit: no step ran twice, no deduction ran without an approval, and every call
whose outcome was unknown is surfaced in its thread's ``ledger_alerts``. Slow: ``make reliability``.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langgraph.checkpoint.postgres import PostgresSaver

from graphs.webhook_agent import build_flow_graph, progress
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.ledger import State, open_ledger
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.graph.conftest import postgres_url
from tests.reliability._strategies import FULL

__all__ = ["postgres_url"]

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
TOP_UP, DEDUCT, CREDITS = 1000, -300, 5
RECONCILED: dict[Any, str] = {True: "reconciled: it happened", False: "reconciled: it did not happen"}
SOAK = pytest.mark.parametrize(
    ("conversations", "kills"),
    [
        pytest.param(
            240,
            40,
            id="full",
            marks=[
                pytest.mark.slow,
                pytest.mark.timeout(1800),
                pytest.mark.skipif(not FULL, reason="runs under PIGGY_RELIABILITY=full"),
            ],
        ),
    ],
)


def steps(contact: str) -> list[dict[str, Any]]:
    shop = {"contact_uuid": contact, "shop_uuid": ids.SHOP_AMSTERDAM}
    return [
        {"name": "create_prepaid_transaction", "args": {**shop, "amount_in_cents": TOP_UP}},
        {"name": "create_prepaid_transaction", "args": {**shop, "amount_in_cents": DEDUCT}},
        {"name": "award_credits", "args": {**shop, "credits": CREDITS}},
    ]


@dataclass
class Conversation:
    thread: str
    contact: str
    decision: str | None  # "approve", "reject" or None (the reviewer never answers)
    jobs: int = 0  # jobs in flight
    settled: bool = False
    answers_sent: int = 0
    pickups: int = 0  # times another worker had to take it over after a kill


@dataclass
class Worker:
    """One ``_flow_worker`` process; a reader thread turns its output lines into events on ``inbox``."""

    slot: int
    proc: subprocess.Popen[str]
    ready: threading.Event = field(default_factory=threading.Event)
    busy: tuple[int, Conversation] | None = None
    dead: bool = False


class Soak:
    def __init__(self, postgres: str, sandbox: Sandbox, rng: random.Random) -> None:
        self.args = [sys.executable, "-m", "tests.reliability._flow_worker", postgres, sandbox.base_url]
        self.args.append(sandbox.api_key)
        self.rng = rng
        self.inbox: queue.Queue[tuple[Worker, dict[str, Any] | None]] = queue.Queue()
        self.workers = [self.spawn(i) for i in range(WORKERS)]
        self.jobs = 0
        self.stats: Counter[str] = Counter()

    def spawn(self, slot: int) -> Worker:
        proc = subprocess.Popen(self.args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        worker = Worker(slot, proc)
        threading.Thread(target=self._read, args=(worker,), daemon=True).start()
        return worker

    def _read(self, worker: Worker) -> None:
        assert worker.proc.stdout is not None
        for line in worker.proc.stdout:
            message = json.loads(line)
            if "ready" in message:
                worker.ready.set()
            else:
                self.inbox.put((worker, message))
        self.inbox.put((worker, None))  # end of output: the process died

    def idle(self) -> list[Worker]:
        return [w for w in self.workers if w.ready.is_set() and not w.dead and w.busy is None]

    def send(self, worker: Worker, conv: Conversation, job: dict[str, Any]) -> None:
        self.jobs += 1
        worker.busy = (self.jobs, conv)
        conv.jobs += 1
        assert worker.proc.stdin is not None
        try:
            worker.proc.stdin.write(json.dumps({"job": self.jobs, "thread": conv.thread, **job}) + "\n")
            worker.proc.stdin.flush()
        except BrokenPipeError:  # killed a moment ago; its reader reports it
            pass

    def kill_if_alive(self, worker: Worker) -> None:
        if worker.proc.poll() is not None:
            return
        os.kill(worker.proc.pid, signal.SIGKILL)
        self.stats["kills"] += 1
        if worker.busy is not None:
            self.stats["kills mid-job"] += 1

    def close(self) -> None:
        for worker in self.workers:
            if worker.proc.poll() is None and worker.proc.stdin is not None:
                worker.proc.stdin.close()
        for worker in self.workers:
            try:
                worker.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.proc.kill()
                worker.proc.wait()


@pytest.fixture(scope="module")
def soak_sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb:
        yield sb


@pytest.fixture(scope="module")
def soak_db(postgres_url: str) -> str:
    import psycopg

    name = "piggy_soak"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    with PostgresSaver.from_conn_string(url) as saver:
        saver.setup()
    open_ledger(url).close()  # creates the ledger table before the workers race to
    return url


@SOAK
def test_four_workers_killed_at_random_with_duplicated_approvals_never_double_or_run_unapproved(
    soak_sandbox: Sandbox, soak_db: str, conversations: int, kills: int
) -> None:
    rng = random.Random(f"soak-{conversations}-{kills}")
    sandbox = soak_sandbox
    started = time.monotonic()
    with (
        PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as client,
        PostgresSaver.from_conn_string(soak_db) as saver,
        open_ledger(soak_db) as ledger,
    ):
        reader = build_flow_graph(PiggyToolkit(client=client), checkpointer=saver, ledger=ledger)
        run = uuid.uuid4().hex[:8]
        convs = []
        for i in range(conversations):
            contact = client.contacts.create(f"soak-{run}-{i}@example.com").uuid
            decision = rng.choices(["approve", "reject", None], weights=[75, 15, 10])[0]
            convs.append(Conversation(f"soak-{run}-{i}", contact, decision))
        soak = Soak(soak_db, sandbox, rng)
        todo: list[tuple[Conversation, dict[str, Any]]] = []
        for conv in convs:
            start = {"op": "start", "contact": conv.contact, "plan": steps(conv.contact)}
            todo.append((conv, start))

        def config(conv: Conversation) -> Any:
            return {"configurable": {"thread_id": conv.thread}}

        def evaluate(conv: Conversation) -> None:
            """Decide the conversation's next job from its checkpoint (what any worker would see)."""
            state = reader.get_state(config(conv))
            if not state.values:
                todo.append((conv, {"op": "start", "contact": conv.contact, "plan": steps(conv.contact)}))
            elif state.interrupts:
                if conv.decision is None:
                    conv.settled = True
                    return
                [pending] = state.interrupts
                resume = {pending.id: {"decisions": [{"type": conv.decision, "message": "soak says no"}]}}
                at = time.time() + 0.05
                for _ in range(2):  # every answer is sent twice, to two workers at once when two are free
                    todo.append((conv, {"op": "resume", "resume": resume, "at": at}))
                    conv.answers_sent += 1
                soak.stats["answers sent"] += 2
            elif progress(state) == "unfinished":  # as the webhook agent decides it
                todo.append((conv, {"op": "continue"}))
            else:
                conv.settled = True

        deadline = time.monotonic() + 1500
        kills_left = kills
        while not all(c.settled for c in convs):
            assert time.monotonic() < deadline, "the soak did not settle"
            for worker in soak.idle():
                if not todo:
                    break
                conv, job = todo.pop(0)
                soak.send(worker, conv, job)
                if kills_left and rng.random() < kills / (conversations * 3):
                    delay = rng.uniform(0.0, 0.25)
                    victim = worker
                    threading.Timer(delay, soak.kill_if_alive, args=(victim,)).start()
                    kills_left -= 1
            try:
                worker, answer = soak.inbox.get(timeout=0.05)
            except queue.Empty:
                continue
            busy = worker.busy
            worker.busy = None
            if answer is None:  # the worker died: replace it; its conversation is picked up from its checkpoint
                worker.dead = True
                soak.workers[worker.slot] = soak.spawn(worker.slot)
                worker.proc.wait()
            elif not answer["ok"]:
                soak.stats[f"job errors: {answer['error'][:60]}"] += 1
            if busy is not None:
                conv = busy[1]
                conv.jobs -= 1
                if answer is None:
                    conv.pickups += 1
                if conv.jobs == 0 and not any(c is conv for c, _ in todo):
                    evaluate(conv)
        soak.close()

        # -- the verdict, from the sandbox's audit, the checkpoints and the ledger ------------------------------
        prepaid: dict[str, list[int]] = {}
        for row in sandbox.audit("prepaid_transactions.create"):
            prepaid.setdefault(row["args"].get("contact_uuid"), []).append(row["args"]["amount_in_cents"])
        credit: dict[str, list[int]] = {}
        for row in sandbox.audit("credit_receptions.create"):
            credit.setdefault(row["args"].get("contact_uuid"), []).append(row["args"]["credits"])
        doubles, unapproved, unsurfaced, open_claims = [], [], [], []
        unknown: Counter[str] = Counter()
        for conv in convs:
            ran = prepaid.get(conv.contact, [])
            awarded = credit.get(conv.contact, [])
            if ran.count(TOP_UP) > 1 or ran.count(DEDUCT) > 1 or len(awarded) > 1:
                doubles.append((conv.thread, ran, awarded))
            values = reader.get_state(config(conv)).values
            record = (values.get("approvals") or {}).get(f"{values.get('flow')}-1") or {}
            if DEDUCT in ran and (conv.decision != "approve" or record.get("type") != "approve"):
                unapproved.append((conv.thread, conv.decision, record.get("type")))
            alerts = values.get("ledger_alerts") or {}
            for entry in ledger.entries(conv.thread):
                if entry.state is State.CLAIMED:
                    open_claims.append((conv.thread, entry.call_id))
                elif entry.state is State.UNKNOWN:
                    happened = (entry.reconciliation or {}).get("happened")
                    unknown[RECONCILED.get(happened, "not reconcilable")] += 1
                    messages = [m for m in values["messages"] if isinstance(m, ToolMessage)]
                    said = any(
                        m.tool_call_id == entry.call_id and "Outcome unknown" in str(m.content) for m in messages
                    )
                    if entry.call_id not in alerts or not said:
                        unsurfaced.append((conv.thread, entry.call_id))
        decisions = Counter(str(c.decision) for c in convs)
        deductions = sum(1 for c in convs if DEDUCT in prepaid.get(c.contact, []))
        summary = (
            f"\nsoak: {conversations} conversations ({dict(decisions)}), {WORKERS} workers on PostgreSQL, "
            f"{soak.stats['kills']} kill -9 ({soak.stats['kills mid-job']} mid-job), "
            f"{sum(c.pickups for c in convs)} pickups, {soak.stats['answers sent']} answers sent (each twice), "
            f"{soak.jobs} jobs, {time.monotonic() - started:.0f} s; deductions executed {deductions}; "
            f"doubles {len(doubles)}, unapproved {len(unapproved)}, unknown outcomes {sum(unknown.values())} "
            f"({dict(unknown)}), unsurfaced {len(unsurfaced)}, open claims {len(open_claims)}; "
            f"other: { {k: v for k, v in soak.stats.items() if k.startswith('job errors')} }"
        )
        print(summary)
        assert not doubles, doubles
        assert not unapproved, unapproved
        assert not unsurfaced, unsurfaced
        assert not open_claims, open_claims
        assert deductions <= decisions["approve"]
