"""Durable approvals: requested in one process, decided and resumed in another (SQLite and PostgreSQL).

The sandbox runs in the test process; each worker is a separate ``python -m graphs.support_agent`` process on the
same checkpointer URL and thread, which is how workers behind a queue would run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from graphs.support_agent.graph import build_graph
from graphs.support_agent.persistence import open_async_checkpointer, open_checkpointer
from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.errors import NotFoundError
from piggy_agent_tools.hitl import review_command
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.toolkit import PiggyToolkit

ROOT = Path(__file__).resolve().parents[2]


def _worker(sandbox: Sandbox, db: str, thread: str, *lines: str) -> list[dict[str, Any]]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "graphs.support_agent",
            "--jsonl",
            "--db",
            db,
            "--thread",
            thread,
            "--base-url",
            sandbox.base_url,
            "--api-key",
            sandbox.api_key,
        ],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


def _cross_process(sandbox: Sandbox, client: PiggyClient, db: str, new_email: str) -> None:
    uuid_ = client.contacts.create(new_email).uuid
    thread = uuid.uuid4().hex
    first = _worker(sandbox, db, thread, f"please delete the account of {new_email}")
    assert [e["event"] for e in first][-1] == "interrupt"
    assert client.contacts.get(uuid_)  # still there: the first worker only asked
    second = _worker(sandbox, db, thread, "/approve")
    assert any(e["event"] == "tool_result" and e["name"] == "delete_contact" for e in second)
    with pytest.raises(NotFoundError):
        client.contacts.get(uuid_)
    third = _worker(sandbox, db, thread, "/approve")  # a late double click in yet another worker
    assert any(e["event"] == "info" and "No approval is pending" in e["text"] for e in third)
    assert sum(1 for r in sandbox.audit("contacts.delete") if r["args"]["contact_uuid"] == uuid_) == 1


def test_sqlite_approval_crosses_processes(
    sandbox: Sandbox, client: PiggyClient, tmp_path: Path, new_email: str
) -> None:
    _cross_process(sandbox, client, f"sqlite:///{tmp_path / 'agent.db'}", new_email)


def test_postgres_approval_crosses_processes(
    sandbox: Sandbox, client: PiggyClient, postgres_url: str, new_email: str
) -> None:
    _cross_process(sandbox, client, postgres_url, new_email)


async def _async_two_workers(sandbox: Sandbox, url: str, email: str) -> None:
    async with AsyncPiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as aclient:
        target = (await aclient.contacts.create(email)).uuid
        sync = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url)
        cfg = {"configurable": {"thread_id": uuid.uuid4().hex}}
        async with open_async_checkpointer(url) as saver_a:
            worker_a = build_graph(PiggyToolkit(client=sync, async_client=aclient), checkpointer=saver_a)
            await worker_a.ainvoke({"messages": [("user", f"delete the account of {email}")]}, cfg)
            assert (await worker_a.aget_state(cfg)).interrupts
        async with open_async_checkpointer(url) as saver_b:
            worker_b = build_graph(PiggyToolkit(client=sync, async_client=aclient), checkpointer=saver_b)
            await worker_b.ainvoke(review_command(await worker_b.aget_state(cfg), [{"type": "approve"}]), cfg)
        with pytest.raises(NotFoundError):
            await aclient.contacts.get(target)


async def test_async_checkpointers_resume_in_a_second_worker(
    sandbox: Sandbox, tmp_path: Path, postgres_url: str, new_email: str
) -> None:
    await _async_two_workers(sandbox, f"sqlite:///{tmp_path / 'async.db'}", "s-" + new_email)
    await _async_two_workers(sandbox, postgres_url, "p-" + new_email)


def test_unknown_checkpointer_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown checkpointer"), open_checkpointer("redis://x"):
        pass
