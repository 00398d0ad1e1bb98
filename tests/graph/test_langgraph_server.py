"""LangGraph Server (Studio's backend) serves langgraph.json offline; driven with langgraph_sdk as Studio would.

The served graph reaches the test sandbox through environment variables, not code edits.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langgraph_sdk import get_client

from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.server import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_langgraph_json_points_at_a_compiled_graph(sandbox: Sandbox) -> None:
    config = json.loads((ROOT / "langgraph.json").read_text())
    path, _, name = config["graphs"]["support_agent"].partition(":")
    module = path.removeprefix("./").removesuffix(".py").replace("/", ".")
    code = (
        f"import {module} as m; from langgraph.graph.state import CompiledStateGraph; "
        f"g = getattr(m, {name!r}); assert isinstance(g, CompiledStateGraph); "
        "assert g.checkpointer is None; print(sorted(g.nodes))"
    )
    env = {**os.environ, "PIGGY_API_KEY": sandbox.api_key, "PIGGY_BASE_URL": sandbox.base_url}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "approve" in result.stdout and "specialist" in result.stdout


@pytest.fixture
def langgraph_server(sandbox: Sandbox, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PIGGY_API_KEY": sandbox.api_key,
        "PIGGY_BASE_URL": sandbox.base_url,
        "LANGGRAPH_NO_VERSION_CHECK": "true",
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGSMITH_TRACING": "false",
    }
    log = tmp_path / "langgraph.log"
    langgraph = Path(sys.executable).parent / "langgraph"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [str(langgraph), "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            # It silently moves to another port when ours is taken: read the real address from its log.
            match = re.search(r"API: \S*(http://127\.0\.0\.1:\d+)", re.sub(r"\x1b\[[0-9;]*m", "", log.read_text()))
            if match:
                url = match.group(1)
                try:
                    if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
        else:
            pytest.fail("langgraph dev did not start:\n" + log.read_text()[-3000:])
        assert url is not None
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # stop exactly what we started
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def test_studio_style_thread_interrupt_and_resume(
    langgraph_server: str,
    sandbox: Sandbox,
    client,  # type: ignore[no-untyped-def]
    new_email: str,
) -> None:
    target = client.contacts.create(new_email).uuid
    sdk = get_client(url=langgraph_server)
    thread = await sdk.threads.create()
    tid = thread["thread_id"]
    out = await sdk.runs.wait(
        tid, "support_agent", input={"messages": [{"role": "user", "content": f"who is {new_email}?"}]}
    )
    assert new_email in out["messages"][-1]["content"]
    await sdk.runs.wait(tid, "support_agent", input={"messages": [{"role": "user", "content": "delete her account"}]})
    state = await sdk.threads.get_state(tid)
    interrupts = state.get("interrupts") or [i for t in state["tasks"] for i in t.get("interrupts", [])]
    request = interrupts[0]["value"]
    assert request["action_requests"][0]["name"] == "delete_contact"
    assert request["review_configs"][0]["allowed_decisions"] == ["approve", "edit", "reject"]
    assert not [r for r in sandbox.audit("contacts.delete") if r["args"]["contact_uuid"] == target]
    resume = {interrupts[0]["id"]: {"decisions": [{"type": "approve"}]}}  # by interrupt id: this review only
    await sdk.runs.wait(tid, "support_agent", command={"resume": resume})
    deletes = [r for r in sandbox.audit("contacts.delete") if r["args"]["contact_uuid"] == target]
    assert len(deletes) == 1
