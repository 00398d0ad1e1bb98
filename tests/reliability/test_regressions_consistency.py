"""Regressions found by the concurrency, load and secrets suite (part C), each pinned by the smallest test that
failed before its fix."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.reliability._harness import tool_call


@pytest.fixture(scope="module")
def oauth_sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb:
        yield sb


def _revoke_all_tokens(sandbox: Sandbox) -> None:
    """What Piggy does when a token is revoked or expires early: every request with it now answers 401."""
    sandbox.app.state.tokens.clear()


GET_JANE = tool_call("get_contact", {"contact_uuid": ids.JANE})


async def test_concurrent_401s_after_a_token_revocation_fetch_one_new_token_not_one_each(
    oauth_sandbox: Sandbox,
) -> None:
    """Before the fix, every request that came back 401 forgot the token, including a fresh one another request had
    just fetched, so 100 concurrent calls after a revocation fetched 3-4 tokens instead of 1."""
    sb = oauth_sandbox
    async with AsyncPiggyClient(base_url=sb.base_url, client_id=sb.client_id, client_secret=sb.client_secret) as ac:
        tool = next(t for t in PiggyToolkit(async_client=ac).get_tools() if t.name == "get_contact")
        await tool.ainvoke(GET_JANE)  # the async client has its token
        for _ in range(3):
            _revoke_all_tokens(sb)
            messages = await asyncio.gather(*(tool.ainvoke(GET_JANE) for _ in range(100)))
            assert all(m.status != "error" for m in messages)
            assert len(sb.app.state.tokens) == 1, f"{len(sb.app.state.tokens)} tokens fetched for one revocation"


def test_threads_sharing_a_sync_client_fetch_one_token_and_one_after_a_revocation(oauth_sandbox: Sandbox) -> None:
    """LangGraph runs sync tools in a thread pool over the one PiggyClient; before the fix each thread without a
    token fetched its own (no lock), and each 401 forgot the token the other threads had just fetched."""
    sb = oauth_sandbox
    with PiggyClient(base_url=sb.base_url, client_id=sb.client_id, client_secret=sb.client_secret) as client:
        tool = next(t for t in PiggyToolkit(client=client).get_tools() if t.name == "get_contact")
        for forget in (True, False, False):  # no token at all, then a token the sandbox no longer accepts
            _revoke_all_tokens(sb)
            if forget:
                client._credentials.forget_token()
            barrier = threading.Barrier(20)
            results: list[Any] = []
            threads = [threading.Thread(target=_call_after, args=(barrier, tool.invoke, results)) for _ in range(20)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert len(results) == 20 and all(m.status != "error" for m in results)
            assert len(sb.app.state.tokens) == 1, f"{len(sb.app.state.tokens)} tokens fetched by 20 threads"


def _call_after(barrier: threading.Barrier, invoke: Any, results: list[Any]) -> None:
    barrier.wait()  # all threads call at once
    results.append(invoke(GET_JANE))


def test_starting_an_in_process_sandbox_leaves_the_hosts_logging_alone(tmp_path: Path) -> None:
    """Found by scripts/secret_scan.py, whose DEBUG log file stayed empty: uvicorn's default log config ran
    ``logging.config.dictConfig`` in the host process, which closes every existing handler, so a host's log file
    (opened with mode "w", like pytest's ``--log-file``) silently stopped receiving records once a Sandbox started."""
    handler = logging.FileHandler(tmp_path / "host.log", mode="w")
    host = logging.getLogger("host_app_under_test")
    host.addHandler(handler)
    host.setLevel(logging.INFO)
    try:
        host.info("before the sandbox")
        with Sandbox.start(seed="empty") as sb, PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client:
            client.ping()
            host.info("while the sandbox runs")
        host.info("after the sandbox")
    finally:
        host.removeHandler(handler)
        handler.close()
    assert (tmp_path / "host.log").read_text().splitlines() == [
        "before the sandbox",
        "while the sandbox runs",
        "after the sandbox",
    ]
