"""The offline router on 150+ varied phrasings: the right intent, and the first step an LLM would take.

Each line of data/utterances.jsonl names the intent and the first action: a tool call (with the arguments it
must carry), ``ask`` (a question for missing information) or ``answer`` (no tool at all).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graphs.support_agent.intents import BY_NAME, classify
from graphs.support_agent.offline import plan, turn_from

DATA = [json.loads(line) for line in (Path(__file__).parent / "data" / "utterances.jsonl").read_text().splitlines()]


def test_the_set_is_large_and_covers_every_intent() -> None:
    assert len(DATA) >= 150
    counts = Counter(row["intent"] for row in DATA)
    assert set(counts) == set(BY_NAME), set(BY_NAME) - set(counts)
    assert min(counts.values()) >= 5


@pytest.mark.parametrize("row", DATA, ids=[r["text"][:50] for r in DATA])
def test_utterance_routes_and_plans_its_first_step(row: dict[str, Any]) -> None:
    from langchain_core.messages import HumanMessage

    intent = classify(row["text"])
    assert intent == row["intent"]
    if row["first"] == "answer":
        return
    available = set(BY_NAME[intent].tools)
    turn = turn_from([HumanMessage(row["text"])], {"default_shop": True}, scoped=False, available=available)
    reply = plan(intent, turn)
    if row["first"] == "ask":
        assert not reply.tool_calls, reply.tool_calls
        assert "?" in str(reply.content)
        return
    assert reply.tool_calls, reply.content
    call = reply.tool_calls[0]
    assert call["name"] == row["first"]
    for key, value in row["args"].items():
        assert call["args"].get(key) == value, (key, call["args"])
