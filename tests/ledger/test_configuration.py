"""Where the ledger lives: next to the CLI's checkpointer, and from the environment when LangGraph Server supplies
the checkpointer (served.py); and how the staff see an unknown outcome (the CLI's ``alert`` event)."""

from __future__ import annotations

import importlib
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from graphs.support_agent.cli import ChatSession, Output
from graphs.support_agent.persistence import LEDGER_ENV, ledger_url, open_checkpointer, served_ledger_url
from piggy_agent_tools.ledger import MemoryLedger, SqliteLedger, open_ledger
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.reliability.test_crash_points import CASES, Crash, Faults, _plain, build


def test_the_ledger_sits_in_the_checkpointer_database() -> None:
    assert ledger_url("memory") == "memory:" and isinstance(open_ledger(ledger_url("memory")), MemoryLedger)
    assert ledger_url("sqlite:///agent.db") == "sqlite:///agent.db"
    assert ledger_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_served_ledger_url_prefers_the_variable_then_the_servers_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert served_ledger_url({LEDGER_ENV: "postgresql://x/l", "DATABASE_URI": "postgresql://x/s"}) == "postgresql://x/l"
    assert served_ledger_url({"DATABASE_URI": "postgresql://x/s"}) == "postgresql://x/s"
    assert served_ledger_url({}) == "sqlite:///.langgraph_api/piggy-ledger.db"
    assert (tmp_path / ".langgraph_api").is_dir()


def test_the_served_graph_opens_the_ledger_named_by_the_environment(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'served-ledger.db'}"
    for name, value in ((LEDGER_ENV, url), ("PIGGY_API_KEY", sandbox.api_key), ("PIGGY_BASE_URL", sandbox.base_url)):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PIGGY_AGENT_MODEL", raising=False)
    monkeypatch.delenv("PIGGY_AS_CONTACT", raising=False)
    served: Any = importlib.import_module("graphs.support_agent.served")
    served = importlib.reload(served)  # module-level setup reads the environment set above
    try:
        assert isinstance(served.ledger, SqliteLedger) and served.ledger.url == url
        assert (tmp_path / "served-ledger.db").exists()
        assert served.graph.get_graph().nodes["tools"] is not None
    finally:
        served.ledger.close()


def test_the_cli_shows_an_unknown_outcome_to_the_staff_once(sandbox: Sandbox, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'agent.db'}"
    case = next(c for c in CASES if c.tool == "delete_contact")
    with _plain(sandbox) as setup:
        args = case.prepare(setup, "after_send")
    call = {"name": case.tool, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}"}
    faults = Faults("after_send")
    with open_ledger(url) as ledger, open_checkpointer(url) as saver:
        assert isinstance(ledger, SqliteLedger)
        ledger.hooks.append(faults.hook)
        graph = build(PiggyToolkit(client=_plain(sandbox)), ledger, saver, call, faults)
        stream = io.StringIO()
        session = ChatSession(graph, uuid.uuid4().hex, Output(True, stream))
        session.send("delete it")
        review = session.pending()
        assert review and review[0]["tool_call_id"] == call["id"]
        with pytest.raises(Crash):
            session.decide([{"type": "approve"}])
        session._run(None)  # what a restarted worker does: continue the thread
        session._run(None)
    events: list[dict[str, Any]] = [json.loads(line) for line in stream.getvalue().splitlines()]
    alerts = [e for e in events if e["event"] == "alert"]
    assert len(alerts) == 1 and alerts[0]["tool"] == "delete_contact" and alerts[0]["happened"] is True
    deletes = [r for r in sandbox.audit("contacts.delete") if r["args"].get("contact_uuid") == args["contact_uuid"]]
    assert len(deletes) == 1, "deleted once, and not again on continue"
