"""The offline router on the 155 phrasings of the first router, by the first step it takes.

Each line of data/utterances.jsonl names the first action: a tool call (with the arguments it must carry), ``ask``
(a question for missing information) or ``answer`` (no tool). The ``intent`` column holds the first router's
coarse intent names; the router now has one intent per action (``router/intents.yaml``), so only out-of-scope is
still compared by name. The held-out judgement of the router is ``tests/router/test_accuracy.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from graphs.support_agent.intents import BY_NAME, classify
from graphs.support_agent.offline import plan, turn_from

DATA = [json.loads(line) for line in (Path(__file__).parent / "data" / "utterances.jsonl").read_text().splitlines()]
# Where the first router's expectation is not what the router should do now (reason given).
CHANGED = {
    "I have a voucher but lost the code": "staff may list all vouchers: the router now lists them (list_vouchers)",
}


def test_the_set_is_large() -> None:
    assert len(DATA) >= 150


@pytest.mark.parametrize("row", DATA, ids=[r["text"][:50] for r in DATA])
def test_utterance_plans_its_first_step(row: dict[str, Any]) -> None:
    if row["text"] in CHANGED:
        pytest.skip(CHANGED[row["text"]])
    intent = classify(row["text"])
    if row["intent"] == "out_of_scope":
        assert intent == "out_of_scope"
        return
    assert intent != "out_of_scope", row["text"]
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
    assert call["name"] == row["first"], (intent, call)
    for key, value in row["args"].items():
        assert call["args"].get(key) == value, (key, call["args"])
