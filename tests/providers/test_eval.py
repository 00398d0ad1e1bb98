"""The eval harness end to end: the offline router (the baseline) and the scripted OpenAI-compatible server reached
through the real ``openai`` client, over records that cover look-ups, approvals, a customer, an earlier message, a
question instead of an action, out of scope, and a record whose expectation is wrong on purpose."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphs.support_agent import eval as harness
from graphs.support_agent import scoring

IDS = ["u0020", "u0089", "u0254", "u0261", "u0634", "wrong"]


def _corpus(tmp_path: Path) -> Path:
    """Five test records, and one that expects a different tool than the right one: it must be scored wrong."""
    records = {r["id"]: r for r in scoring.load("test")}
    wrong = {**records["u0089"], "id": "wrong", "calls": [{"tool": "award_credits", "args": {}}]}
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(records[i] if i in records else wrong) + "\n" for i in IDS))
    return path


def _run(tmp_path: Path, *flags: str) -> dict[str, Any]:
    out = tmp_path / "report.json"
    assert harness.main(["--corpus", str(_corpus(tmp_path)), "--json", str(out), *flags]) == 0
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
    assert not ok["wrong"]  # an expectation the agent does not meet is scored wrong

    by_id = {r["id"]: r for r in map(json.loads, _corpus(tmp_path).read_text().splitlines())}
    for outcome in baseline["outcomes"]:  # scored exactly as scoring.score scores the recorded calls
        assert scoring.score(by_id[outcome["id"]], outcome["calls"]).ok == outcome["ok"]

    assert baseline["approvals_expected"] == scripted["approvals_expected"] >= 1
    assert baseline["tokens_per_turn"] == 0 and baseline["model_calls_per_turn"] == 0
    assert scripted["model_calls_per_turn"] >= 1.5 and scripted["tokens_per_turn"] > 300
    assert all(o["seconds"] > 0 for o in scripted["outcomes"])
