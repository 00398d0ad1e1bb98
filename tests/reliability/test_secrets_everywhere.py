"""The API key never leaves: a recognisable canary key is used for the CLI, the MCP stdio server, LangChain callback
events and tool messages, and every output is scanned for it; committed notebooks hold no key; and (slow) the whole
suite runs with the canary while scripts/secret_scan.py captures and greps everything it prints and writes."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import traceback
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.reliability._harness import print_summary, tool_call
from tests.reliability._strategies import FULL

ROOT = Path(__file__).resolve().parents[2]
CANARY = os.environ.get("PIGGY_TEST_API_KEY") or f"sk_canary_{secrets.token_hex(12)}"
WRONG = f"sk_canary_wrong_{secrets.token_hex(12)}"
# Key shapes that must never appear in a committed notebook output.
KEY_SHAPES = re.compile(r"sandbox_[0-9a-f]{32}|sk_(live|test|canary)\w+|Bearer\s+\S+|secret-sandbox_|tok_[\w-]{20,}")
SCANNED: list[str] = []


@pytest.fixture(scope="module")
def canary_sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(seed="demo", api_key=CANARY, rate_limit=10**9) as sb:
        yield sb


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if SCANNED:
        print_summary(request, ["secrets: canary key scanned in", *(f"  {line}" for line in SCANNED)])


def assert_clean(where: str, *texts: str, secrets_: tuple[str, ...] = (CANARY, WRONG)) -> None:
    text = "\n".join(texts)
    for secret in secrets_:
        assert secret not in text, f"the key leaked into {where}: ...{_around(text, secret)}..."
        assert f"secret-{secret}" not in text  # the sandbox's OAuth client secret is derived from the key
    SCANNED.append(f"{where}: {len(text):,} characters, clean")


def _around(text: str, secret: str) -> str:
    at = text.index(secret)
    return text[max(0, at - 200) : at + len(secret) + 50]


def _debug_logging_site(tmp_path: Path) -> str:
    """A ``sitecustomize`` that sends every log record at DEBUG to stderr in the child process, so the logs of the
    CLI and the MCP server (httpx, httpcore, piggy_agent_tools, mcp) are part of what is scanned."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import logging, sys\nlogging.basicConfig(level=logging.DEBUG, stream=sys.stderr)\n"
    )
    return os.pathsep.join([str(site), str(ROOT), os.environ.get("PYTHONPATH", "")])


def _child_env(sandbox: Sandbox, key: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PIGGY_API_KEY": key,
        "PIGGY_BASE_URL": sandbox.base_url,
        "PYTHONPATH": _debug_logging_site(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }


# (a) the support agent CLI


def _run_cli(sandbox: Sandbox, key: str, lines: list[str], tmp_path: Path) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "graphs.support_agent", "--jsonl", "--base-url", sandbox.base_url],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_child_env(sandbox, key, tmp_path),
        timeout=180,
    )
    return done.stdout, done.stderr


def test_cli_conversation_with_errors_and_an_approval_never_prints_the_key(
    canary_sandbox: Sandbox, tmp_path: Path
) -> None:
    email = f"leak-{uuid.uuid4().hex[:10]}@example.com"
    with PiggyClient(api_key=CANARY, base_url=canary_sandbox.base_url) as client:
        client.contacts.create(email)
    lines = [
        "how many points does jane.doe@example.com have?",
        "add 50 points to her account",
        "how many points does nobody-at-all@example.com have?",  # not found
        "is voucher NO-SUCH-CODE-1 still valid?",  # not found
        f"delete the account of {email}",
        "/edit {not json",  # a malformed decision
        "/reject identity not verified",
        f"delete the account of {email}",
        "/approve",
        "/approve",  # nothing pending
    ]
    stdout, stderr = _run_cli(canary_sandbox, CANARY, lines, tmp_path)
    events = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    kinds = {e["event"] for e in events}
    assert {"tool_call", "tool_result", "interrupt", "decision", "assistant", "error"} <= kinds, kinds
    assert any(e["event"] == "tool_result" and e["status"] == "error" for e in events)
    assert "DEBUG:piggy_agent_tools.client" in stderr  # the child's logs were captured at DEBUG
    assert_clean("CLI --jsonl stdout and DEBUG stderr", stdout, stderr)


def test_cli_with_a_wrong_key_reports_the_failure_without_echoing_the_key(
    canary_sandbox: Sandbox, tmp_path: Path
) -> None:
    stdout, stderr = _run_cli(canary_sandbox, WRONG, ["how many points does jane.doe@example.com have?"], tmp_path)
    assert "Authentication" in stdout + stderr or "credentials" in (stdout + stderr).lower()
    assert_clean("CLI with a wrong key (401)", stdout, stderr)


# (b) the MCP stdio server


def _dump(value: Any) -> str:
    return value.model_dump_json() if hasattr(value, "model_dump_json") else repr(value)


async def _mcp_session_texts(sandbox: Sandbox, key: str, tmp_path: Path, calls: list[tuple[str, dict[str, Any]]]):  # type: ignore[no-untyped-def]
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "piggy_agent_tools.cli", "mcp"],
        env=_child_env(sandbox, key, tmp_path),
        cwd=str(ROOT),
    )
    errlog_path = tmp_path / "mcp-stderr.txt"
    texts: list[str] = []
    results: list[Any] = []
    with errlog_path.open("w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            texts.append(_dump(await session.initialize()))
            listed = await session.list_tools()
            texts.append(_dump(listed))
            for name, args in calls:
                result = await session.call_tool(name, args)
                results.append(result)
                texts.append(_dump(result))
    texts.append(errlog_path.read_text())
    return texts, results, listed


MCP_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("get_contact", {"email": "jane.doe@example.com"}),
    ("list_loyalty_transactions", {"contact_uuid": ids.JANE, "limit": 3}),
    ("award_credits", {"contact_uuid": ids.JANE, "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 5}),
    ("get_contact", {"contact_uuid": "../../shops"}),  # refused before sending
    ("get_contact", {"email": "nobody-at-all@example.com"}),  # 404
    ("find_voucher", {"code": "NO-SUCH-CODE-1"}),  # 404
    ("award_credits", {"contact_uuid": ids.JANE, "shop_uuid": ids.SHOP_AMSTERDAM}),  # invalid: no amount
    ("claim_reward", {"contact_uuid": ids.TOM, "reward_uuid": str(uuid.uuid4()), "shop_uuid": ids.SHOP_AMSTERDAM}),
    ("drop_database", {}),  # unknown tool
]


async def test_mcp_stdio_responses_and_server_logs_never_carry_the_key(canary_sandbox: Sandbox, tmp_path: Path) -> None:
    texts, results, listed = await _mcp_session_texts(canary_sandbox, CANARY, tmp_path, MCP_CALLS)
    assert len(listed.tools) > 20
    assert [r.isError for r in results] == [False, False, False, True, True, True, True, True, True]
    assert "DEBUG:piggy_agent_tools.client" in texts[-1]  # the server's logs were captured at DEBUG
    assert_clean(f"MCP stdio: initialize, list_tools, {len(MCP_CALLS)} calls, server DEBUG stderr", *texts)


async def test_mcp_stdio_with_a_wrong_key_fails_every_call_without_echoing_it(
    canary_sandbox: Sandbox, tmp_path: Path
) -> None:
    texts, results, _ = await _mcp_session_texts(canary_sandbox, WRONG, tmp_path, MCP_CALLS[:3])
    assert all(r.isError for r in results)
    assert_clean("MCP stdio with a wrong key (401 on every call)", *texts)


# (c) LangChain callback events and tool messages


class Recorder(BaseCallbackHandler):
    """Keeps the repr of every argument of every tool event."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def on_tool_start(self, serialized: dict[str, Any], input_str: str, **kwargs: Any) -> None:
        self.events.append(("start", repr((serialized, input_str, kwargs))))

    def on_tool_end(self, output: Any, **kwargs: Any) -> None:
        self.events.append(("end", repr((output, kwargs))))

    def on_tool_error(self, error: BaseException, **kwargs: Any) -> None:
        self.events.append(("error", repr((error, str(error), kwargs))))


class AsyncRecorder(AsyncCallbackHandler):
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    async def on_tool_start(self, serialized: dict[str, Any], input_str: str, **kwargs: Any) -> None:
        self.events.append(("start", repr((serialized, input_str, kwargs))))

    async def on_tool_end(self, output: Any, **kwargs: Any) -> None:
        self.events.append(("end", repr((output, kwargs))))

    async def on_tool_error(self, error: BaseException, **kwargs: Any) -> None:
        self.events.append(("error", repr((error, str(error), kwargs))))


CALLBACK_CALLS: list[tuple[str, dict[str, Any], bool]] = [
    ("get_contact", {"email": "jane.doe@example.com"}, True),
    ("get_contact", {"email": "nobody-at-all@example.com"}, False),
    ("award_credits", {"contact_uuid": ids.TOM, "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 3}, True),
    ("award_credits", {"contact_uuid": str(uuid.uuid4()), "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 3}, False),
    ("find_voucher", {"code": "SPRING-10-JANE"}, True),
    ("find_voucher", {"code": "../../etc"}, False),
    ("list_rewards", {"contact_uuid": ids.JANE}, True),
    (
        "claim_reward",
        {"contact_uuid": ids.TOM, "reward_uuid": str(uuid.uuid4()), "shop_uuid": ids.SHOP_AMSTERDAM},
        False,
    ),
    ("get_prepaid_balance", {"contact_uuid": ids.JANE}, True),
    (
        "create_prepaid_transaction",
        {"contact_uuid": ids.TOM, "shop_uuid": ids.SHOP_AMSTERDAM, "amount_in_cents": -(10**8)},
        False,
    ),
]


@pytest.fixture
async def toolkits(canary_sandbox: Sandbox) -> AsyncIterator[tuple[PiggyToolkit, PiggyToolkit]]:
    """A toolkit with the canary key, and one with a wrong key (every call ends in an AuthenticationError)."""
    url = canary_sandbox.base_url
    good = PiggyToolkit(
        client=PiggyClient(api_key=CANARY, base_url=url), async_client=AsyncPiggyClient(CANARY, base_url=url)
    )
    bad = PiggyToolkit(
        client=PiggyClient(api_key=WRONG, base_url=url, max_retries=0),
        async_client=AsyncPiggyClient(WRONG, base_url=url, max_retries=0),
    )
    yield good, bad
    for toolkit in (good, bad):
        toolkit.client.close()
        await toolkit.async_client.aclose()


async def _unhandled_error_texts(
    tool: BaseTool, call: dict[str, Any], sync_rec: Recorder, async_rec: AsyncRecorder
) -> list[str]:
    """The same failing call on a copy of the tool that does not turn errors into messages, so LangChain fires
    ``on_tool_error`` and the exception reaches the caller (as it does under a ToolNode that handles errors itself)."""
    raw = tool.model_copy(update={"handle_tool_error": False, "handle_validation_error": False})
    with pytest.raises(Exception) as sync_info:  # ToolException, or ValidationError for refused arguments
        raw.invoke(call, config={"callbacks": [sync_rec]})
    with pytest.raises(Exception) as async_info:
        await raw.ainvoke(call, config={"callbacks": [async_rec]})
    errors = [sync_info.value, async_info.value]
    return [text for e in errors for text in (str(e), repr(e), "".join(traceback.format_exception(e)))]


def _message_texts(message: Any) -> list[str]:
    assert isinstance(message, ToolMessage)
    return [str(message.content), repr(message.artifact), repr(message), message.model_dump_json()]


async def test_callback_events_and_tool_messages_never_carry_the_key(
    toolkits: tuple[PiggyToolkit, PiggyToolkit],
) -> None:
    good, bad = toolkits
    sync_rec, async_rec = Recorder(), AsyncRecorder()
    texts: list[str] = [repr(good), repr(good.get_tools()), repr(good.client), repr(good.async_client)]
    statuses: list[tuple[str, bool]] = []
    for toolkit in (good, bad):
        tools = {t.name: t for t in toolkit.get_tools()}
        for name, args, succeeds in CALLBACK_CALLS:
            call = tool_call(name, args)
            sync_message = tools[name].invoke(call, config={"callbacks": [sync_rec]})
            async_message = await tools[name].ainvoke(call, config={"callbacks": [async_rec]})
            for message in (sync_message, async_message):
                texts += _message_texts(message)
                statuses.append((name, message.status != "error"))
            if toolkit is good:
                assert (sync_message.status != "error") == succeeds, sync_message.content
            else:
                assert sync_message.status == "error"
            if sync_message.status == "error":
                texts += await _unhandled_error_texts(tools[name], call, sync_rec, async_rec)
    kinds = {kind for kind, _ in sync_rec.events} | {kind for kind, _ in async_rec.events}
    assert kinds == {"start", "end", "error"}, kinds
    texts += [text for _, text in sync_rec.events + async_rec.events]
    ok = sum(1 for _, s in statuses if s)
    assert_clean(
        f"LangChain callbacks and ToolMessages ({len(statuses)} calls, {ok} ok, {len(statuses) - ok} errors, "
        f"{len(sync_rec.events) + len(async_rec.events)} events)",
        *texts,
    )


# (d) committed notebook outputs


def _notebook_outputs(path: Path) -> list[str]:
    notebook = json.loads(path.read_text())
    texts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            texts.append(json.dumps(output, ensure_ascii=False))
    return texts


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebook_outputs_hold_no_key(path: Path) -> None:
    outputs = _notebook_outputs(path)
    assert outputs, f"{path.name} has no committed outputs to scan"
    found = [m.group(0)[:24] for text in outputs for m in KEY_SHAPES.finditer(text)]
    assert not found, f"{path.name} outputs hold key-shaped text: {found}"
    assert_clean(f"notebook outputs {path.name}", *outputs)


# the whole suite, with the canary


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.skipif(not FULL, reason="the full-suite scan runs under PIGGY_RELIABILITY=full (make reliability)")
@pytest.mark.skipif(bool(os.environ.get("PIGGY_SECRET_SCAN")), reason="already inside a secret scan")
def test_the_whole_suite_run_with_a_canary_key_never_prints_or_writes_it(request: pytest.FixtureRequest) -> None:
    """The script owns its work directory (in the system temp dir, reachable by the Postgres fixture's user) and
    removes it after a clean run; on a leak it keeps it and prints where."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "secret_scan.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=3500,
    )
    summary = [line for line in done.stdout.splitlines() if line.startswith("secret-scan")]
    print_summary(request, summary or [done.stdout[-2000:], done.stderr[-2000:]])
    assert done.returncode == 0, "\n".join(summary) or done.stderr[-3000:]
