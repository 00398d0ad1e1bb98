"""The tools node: runs the pending tool calls of the last AI message, never a destructive one unapproved.

Safe calls in a batch run even when a destructive sibling was rejected. A call that already has an answer
(``ToolMessage``) is never run again, so a replayed step cannot execute twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.messages import ToolMessage

from piggy_agent_tools.hitl.approval import pending_tool_calls
from piggy_agent_tools.toolkit import PiggyToolkit

APPROVED = {"approve", "edit"}


def _plan(toolkit: PiggyToolkit, state: dict[str, Any]) -> list[tuple[dict[str, Any], ToolMessage | None]]:
    """Each pending call with either a ready answer (refusal) or None (run it)."""
    approvals = state.get("approvals") or {}
    tools = {t.name for t in toolkit.get_tools()}
    plan: list[tuple[dict[str, Any], ToolMessage | None]] = []
    for call in pending_tool_calls(state["messages"]):
        if call["name"] not in tools:
            plan.append((call, _error(call, f"Error: there is no tool named {call['name']!r} for this agent.")))
        elif toolkit.needs_decision(call) and (approvals.get(call["id"]) or {}).get("type") not in APPROVED:
            plan.append((call, _error(call, "Not run: this action needs a person's approval, which it did not get.")))
        else:
            plan.append((call, None))
    return plan


def _error(call: dict[str, Any], text: str) -> ToolMessage:
    return ToolMessage(content=text, tool_call_id=call["id"], name=call["name"], status="error")


def make_tools_node(
    toolkit: PiggyToolkit,
) -> tuple[Callable[[dict[str, Any]], dict[str, Any]], Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]]:
    """The sync and async variants of the node (LangGraph picks by how the graph is invoked)."""
    by_name = {t.name: t for t in toolkit.get_tools()}

    def run(state: dict[str, Any]) -> dict[str, Any]:
        out = [
            answer or by_name[call["name"]].invoke({**call, "type": "tool_call"})
            for call, answer in _plan(toolkit, state)
        ]
        return {"messages": out}

    async def arun(state: dict[str, Any]) -> dict[str, Any]:
        out = []
        for call, answer in _plan(toolkit, state):
            out.append(answer or await by_name[call["name"]].ainvoke({**call, "type": "tool_call"}))
        return {"messages": out}

    return run, arun
