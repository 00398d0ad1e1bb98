"""Choosing a model: a missing integration package or key is one line saying what to install or set, and a real
model reached through ``OPENAI_BASE_URL`` (an OpenAI-compatible server) drives the CLI and the create_agent example.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graphs.scripted_openai import Script, ScriptedOpenAI
from graphs.support_agent.graph import ModelSetupError, _chat_model
from piggy_agent_tools.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
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


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in KEYS and not k.startswith("PIGGY_")}
    return {**env, **extra}


def test_the_cli_says_what_is_missing_in_one_line_and_exits_2() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "graphs.support_agent", "--jsonl", "--model", "openai:gpt-4.1-mini"],
        input="",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    errors = [json.loads(line) for line in run.stdout.splitlines() if '"error"' in line]
    assert run.returncode == 2, run.stderr
    assert [e["text"] for e in errors] == [
        "model 'openai:gpt-4.1-mini' needs OPENAI_API_KEY in the environment "
        "(any value for an OpenAI-compatible server at OPENAI_BASE_URL)"
    ]
    assert "Traceback" not in run.stderr


def test_the_cli_chats_with_a_model_at_openai_base_url_chosen_by_piggy_agent_model(sandbox: Sandbox) -> None:
    with ScriptedOpenAI(
        Script(["balance", [("get_contact", {"email": "jane.doe@example.com"})], "Jane has credits."])
    ) as server:
        run = subprocess.run(
            [sys.executable, "-m", "graphs.support_agent", "--jsonl"],
            input="How many credits does jane.doe@example.com have?\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=_env(
                PIGGY_AGENT_MODEL="openai:scripted",
                OPENAI_BASE_URL=server.base_url,
                OPENAI_API_KEY="x",
                PIGGY_API_KEY=sandbox.api_key,
                PIGGY_BASE_URL=sandbox.base_url,
            ),
            timeout=120,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Jane has credits." in run.stdout
        assert server.refused == [] and len(server.requests) == 3


def test_create_agent_example_runs_a_conversation_with_a_real_model_client(sandbox: Sandbox) -> None:
    tom = "1cf32132-f24d-5815-b297-7be68545c5d5"
    script: list[Any] = [
        [("get_contact", {"email": "tom.berg@example.com"})],
        [("delete_contact", {"contact_uuid": tom})],
        "The deletion was declined, so Tom's account is unchanged.",
    ]
    with ScriptedOpenAI(Script(script)) as server:
        run = subprocess.run(
            [sys.executable, "-m", "graphs.create_agent_example", "--model", "openai:scripted"],
            input="Delete Tom's account\nr\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=_env(
                OPENAI_BASE_URL=server.base_url,
                OPENAI_API_KEY="x",
                PIGGY_API_KEY=sandbox.api_key,
                PIGGY_BASE_URL=sandbox.base_url,
            ),
            timeout=120,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "review: Delete contact tom.berg@example.com" in run.stdout
    assert "agent: The deletion was declined" in run.stdout
    assert server.refused == [] and len(server.requests) == 3
