"""Issue 15 §3: the support graph's stored bytes per turn stay flat (the last turns verbatim, older ones recapped),
and what the agent needs survives the trimming: the current customer, the recaps, the approval decisions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from langchain_core.messages import HumanMessage, ToolMessage

from graphs.support_agent.graph import KEEP_RECAPS, KEEP_TURNS, build_graph
from graphs.support_agent.persistence import open_checkpointer
from piggy_agent_tools import PiggyClient, PiggyToolkit

TURNS = 24


def _stored(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        a = conn.execute("SELECT COALESCE(SUM(LENGTH(checkpoint) + LENGTH(metadata)), 0) FROM checkpoints").fetchone()
        b = conn.execute("SELECT COALESCE(SUM(LENGTH(value)), 0) FROM writes").fetchone()
    return int(a[0]) + int(b[0])


def test_bytes_per_turn_stay_flat_and_the_agent_keeps_what_it_needs(client: PiggyClient, tmp_path: Path) -> None:
    path = tmp_path / "growth.db"
    per_turn = []
    with open_checkpointer(f"sqlite:///{path}") as saver:
        graph = build_graph(PiggyToolkit(client=client), checkpointer=saver)
        cfg = {"configurable": {"thread_id": "growth"}}
        before = _stored(path)
        for _ in range(TURNS):
            graph.invoke({"messages": [("user", "How many points does jane.doe@example.com have?")]}, cfg)
            per_turn.append(_stored(path) - before)
            before = _stored(path)
        state = graph.get_state(cfg).values
        follow_up = graph.invoke({"messages": [("user", "and her prepaid balance?")]}, cfg)
    assert max(per_turn[2:]) <= 1.5 * per_turn[1], per_turn
    assert sum(isinstance(m, HumanMessage) for m in state["messages"]) == KEEP_TURNS
    assert len(state["memory"]["earlier"]) == KEEP_RECAPS and "jane" in state["memory"]["earlier"][-1].lower()
    assert state["memory"]["contact"]["email"] == "jane.doe@example.com"  # the current customer survives trimming
    assert all(m.artifact is None for m in state["messages"] if isinstance(m, ToolMessage))
    answer = str(follow_up["messages"][-1].content)
    assert "€" in answer or "prepaid" in answer.lower(), answer
