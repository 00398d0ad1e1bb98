"""Choosing a model: a missing integration package or key is one line saying what to install or set, and a real
model reached through ``OPENAI_BASE_URL`` (an OpenAI-compatible server) drives the CLI and the create_agent example.
"""

from __future__ import annotations

import importlib.util
import io
import json
from typing import Any

import pytest

from graphs import create_agent_example
from graphs.scripted_openai import Script, ScriptedOpenAI
from graphs.support_agent import cli
from graphs.support_agent.graph import ModelSetupError, _chat_model
from piggy_agent_tools.sandbox import Sandbox

KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY", "OPENAI_BASE_URL")


@pytest.mark.parametrize(
    ("model", "needs"),
    [
        ("openai:gpt-4.1-mini", "needs OPENAI_API_KEY in the environment"),
        ("anthropic:claude-sonnet-4-5", "needs ANTHROPIC_API_KEY in the environment"),
        ("google_genai:gemini-2.5-flash", "needs GOOGLE_API_KEY in the environment"),
        ("gpt-4.1-mini", "OPENAI_API_KEY"),  # a bare name: the provider's own error, on one line
    ],
)
def test_a_missing_key_is_one_line_naming_the_variable(monkeypatch: pytest.MonkeyPatch, model: str, needs: str) -> None:
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(ModelSetupError, match=needs) as caught:
        _chat_model(model)
    assert "\n" not in str(caught.value)


def test_a_missing_package_is_one_line_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: find_spec is made to report langchain-anthropic as not installed (it is, in dev)."""
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "langchain_anthropic" else real(name, *a)
    )
    with pytest.raises(
        ModelSetupError, match=r"needs langchain-anthropic: pip install 'piggy-agent-tools\[anthropic\]'"
    ):
        _chat_model("anthropic:claude-sonnet-4-5")


def _no_model_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in (*KEYS, "PIGGY_AGENT_MODEL", "PIGGY_API_KEY", "PIGGY_BASE_URL"):
        monkeypatch.delenv(key, raising=False)


def _events(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]


def test_the_cli_says_what_is_missing_in_one_line_and_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_model_env(monkeypatch)
    out = io.StringIO()
    assert cli.main(["--jsonl", "--model", "openai:gpt-4.1-mini"], io.StringIO(""), out) == 2
    assert [e["text"] for e in _events(out) if e["event"] == "error"] == [
        "model 'openai:gpt-4.1-mini' needs OPENAI_API_KEY in the environment "
        "(any value for an OpenAI-compatible server at OPENAI_BASE_URL)"
    ]


def test_the_cli_chats_with_a_model_at_openai_base_url_chosen_by_piggy_agent_model(
    monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox
) -> None:
    _no_model_env(monkeypatch)
    script = Script(["balance", [("get_contact", {"email": "jane.doe@example.com"})], "Jane has credits."])
    with ScriptedOpenAI(script) as server:
        monkeypatch.setenv("PIGGY_AGENT_MODEL", "openai:scripted")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "x")
        monkeypatch.setenv("PIGGY_API_KEY", sandbox.api_key)
        monkeypatch.setenv("PIGGY_BASE_URL", sandbox.base_url)
        out = io.StringIO()
        assert cli.main(["--jsonl"], io.StringIO("How many credits does jane.doe@example.com have?\n"), out) == 0
    events = _events(out)
    assert [e["text"] for e in events if e["event"] == "assistant"] == ["Jane has credits."]
    assert "model openai:scripted" in events[0]["text"]
    assert server.refused == [] and len(server.requests) == 3


def test_create_agent_example_runs_a_conversation_with_a_real_model_client(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sandbox: Sandbox
) -> None:
    _no_model_env(monkeypatch)
    tom = "1cf32132-f24d-5815-b297-7be68545c5d5"
    script: list[Any] = [
        [("get_contact", {"email": "tom.berg@example.com"})],
        [("delete_contact", {"contact_uuid": tom})],
        "The deletion was declined, so Tom's account is unchanged.",
    ]
    with ScriptedOpenAI(Script(script)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "x")
        monkeypatch.setenv("PIGGY_API_KEY", sandbox.api_key)
        monkeypatch.setenv("PIGGY_BASE_URL", sandbox.base_url)
        monkeypatch.setattr("sys.stdin", io.StringIO("Delete Tom's account\nr\n"))
        assert create_agent_example.main(["--model", "openai:scripted"]) == 0
    printed = capsys.readouterr().out
    assert "review: Delete contact tom.berg@example.com" in printed
    assert "agent: The deletion was declined" in printed
    assert server.refused == [] and len(server.requests) == 3
