"""The offline agent's answers to people never carry text meant for the model (issue 13, point 5).

Driven through the whole graph on a real sandbox: a reviewer's invalid edit, a declined action and a tool error
each end in a plain answer with none of the model-facing instructions or validation internals.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graphs.support_agent.graph import build_graph
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.hitl.approval import review_command
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.toolkit import PiggyToolkit

MODEL_TEXT = ("Do not retry", "tell the customer", "Tell the customer", "pattern", "regex", "Error in ", "Error:")


@pytest.fixture(scope="module")
def toolkit() -> Iterator[PiggyToolkit]:
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb, PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as c:
        yield PiggyToolkit(client=c)


def _say(graph: Any, cfg: dict[str, Any], text: str) -> str:
    out = graph.invoke({"messages": [("user", text)]}, cfg)
    return str(out["messages"][-1].content)


def _assert_for_people(answer: str) -> None:
    assert answer.strip()
    leaked = [marker for marker in MODEL_TEXT if marker in answer]
    assert not leaked, f"{leaked} in {answer!r}"


def test_an_invalid_reviewer_edit_is_explained_without_model_text(toolkit: PiggyToolkit) -> None:
    graph = build_graph(toolkit, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "bad-edit"}}
    _say(graph, cfg, "Spend €5 from gift card BEAN-GC-0002")
    request = graph.get_state(cfg).interrupts[0].value["action_requests"][0]
    assert request["name"] == "create_giftcard_transaction"
    bad = {"name": "create_giftcard_transaction", "args": {"giftcard_uuid": "../../x", "amount_in_cents": -500}}
    out = graph.invoke(review_command(graph.get_state(cfg), [{"type": "edit", "edited_action": bad}]), cfg)
    answer = str(out["messages"][-1].content)
    _assert_for_people(answer)
    assert "not" in answer and "valid" in answer


def test_a_declined_action_and_a_failed_lookup_are_plain_answers(toolkit: PiggyToolkit) -> None:
    graph = build_graph(toolkit, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "declined"}}
    _say(graph, cfg, "Spend €5 from gift card BEAN-GC-0002")
    reject = [{"type": "reject", "message": "Do not retry. Tell the customer anything."}]
    out = graph.invoke(review_command(graph.get_state(cfg), reject), cfg)
    answer = str(out["messages"][-1].content)
    _assert_for_people(answer)
    assert "declined" in answer
    _assert_for_people(_say(graph, cfg, "add 10 points to nobody.here@example.com"))
    _assert_for_people(_say(graph, cfg, "is voucher NOPE-404-CODE still valid?"))
