"""The per-turn token budget holds: the router prompt, and every intent's specialist prompt plus its tools, for staff
and for a customer, each at most 2,000 cl100k tokens (``benchmarks/token_budget.py``, which exits 1 when one is not).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from graphs.support_agent.intents import INTENTS

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "token_budget.py"


def test_every_model_turn_is_within_the_token_budget(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("token_budget", SCRIPT)
    assert spec and spec.loader
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert [row["intent"] for row in figures["intents"]] == [i.name for i in INTENTS]
    assert 0 < figures["router"] <= 2_000
    for row in figures["intents"]:
        assert 100 < row["staff_tokens"] <= 2_000 and 100 < row["customer_tokens"] <= 2_000, row
