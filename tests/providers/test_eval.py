"""The eval harness end to end: the offline router (the baseline) and the scripted OpenAI-compatible server reached
through the real ``openai`` client, over records that cover look-ups, approvals, a customer, an earlier message, a
question instead of an action, out of scope, and a record the offline router gets wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphs.support_agent import eval as harness
from graphs.support_agent import scoring

IDS = ["u0020", "u0044", "u0089", "u0254", "u0261", "u0634"]


def _run(tmp_path: Path, *flags: str) -> dict[str, Any]:
    out = tmp_path / "report.json"
    assert harness.main(["--ids", ",".join(IDS), "--json", str(out), *flags]) == 0
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def test_eval_scores_the_offline_router_and_the_scripted_server_the_same_way(tmp_path: Path, capsys: Any) -> None:
    baseline = _run(tmp_path)
    table = capsys.readouterr().out
    assert "| tool accuracy" in table and "| approvals asked / expected" in table
    scripted = _run(tmp_path, "--scripted")
    assert baseline["records"] == scripted["records"] == len(IDS)
    assert baseline["mode"] == "offline router" and "scripted server" in scripted["mode"]

    ok = {o["id"]: o["ok"] for o in baseline["outcomes"]}
    assert {o["id"]: o["ok"] for o in scripted["outcomes"]} == ok  # the server's brain is the offline router
    assert not ok["u0044"]  # a record the router gets wrong is scored wrong
    assert ok["u0089"] and ok["u0634"] and ok["u0261"]

    by_id = {r["id"]: r for r in scoring.load("test")}
    for outcome in baseline["outcomes"]:  # scored exactly as scoring.score scores the recorded calls
        assert scoring.score(by_id[outcome["id"]], outcome["calls"]).ok == outcome["ok"]

    assert baseline["approvals_expected"] == scripted["approvals_expected"] >= 1
    assert baseline["tokens_per_turn"] == 0 and baseline["model_calls_per_turn"] == 0
    assert scripted["model_calls_per_turn"] >= 1.5 and scripted["tokens_per_turn"] > 300
    assert all(o["seconds"] > 0 for o in scripted["outcomes"])
