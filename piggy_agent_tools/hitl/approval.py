"""The approval node: a person decides on every destructive tool call before it runs.

It interrupts with the request shape of LangChain's ``HumanInTheLoopMiddleware`` (``action_requests`` and
``review_configs``), so existing review UIs understand it, and resumes with ``{"decisions": [...]}``: one
``approve``, ``edit`` (``edited_action: {name, args}``) or ``reject`` (``message``) per request, in order.
Decisions are written to the graph state (and so checkpointed) before the tools node runs; the tools node only
runs a destructive call whose id carries an approve or edit decision, and never runs a call twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langgraph.types import interrupt
from pydantic import ValidationError

from piggy_agent_tools.hitl.describe import describe_call
from piggy_agent_tools.toolkit import APPROVAL_DECISIONS, PiggyToolkit

ApprovalNode = Callable[[dict[str, Any]], dict[str, Any]]
MAX_REVIEW_ROUNDS = 3
DECLINED = "Declined by the reviewer"


def last_ai_message(messages: list[AnyMessage]) -> AIMessage | None:
    for message in reversed(messages):
        if isinstance(message, AIMessage):
            return message
    return None


def pending_tool_calls(messages: list[AnyMessage]) -> list[dict[str, Any]]:
    """Tool calls of the last AI message that have no ToolMessage answer yet."""
    ai = last_ai_message(messages)
    if ai is None or not ai.tool_calls:
        return []
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    return [dict(call) for call in ai.tool_calls if call.get("id") not in answered]


def declined_this_turn(messages: list[AnyMessage]) -> set[str]:
    """Names of tools whose calls a reviewer rejected since the customer's last message."""
    names: set[str] = set()
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            break
        if isinstance(message, ToolMessage) and str(message.content).startswith(DECLINED):
            names.add(str(message.name))
    return names


def needs_approval(toolkit: PiggyToolkit, messages: list[AnyMessage]) -> bool:
    """True when a pending call is destructive (for conditional edges)."""
    return any(toolkit.needs_decision(call) for call in pending_tool_calls(messages))


def make_approval_node(toolkit: PiggyToolkit, *, describe: Callable[..., str] = describe_call) -> ApprovalNode:
    """Build the approval node for a graph whose state has ``messages`` and an ``approvals`` dict channel."""

    def approve(state: dict[str, Any]) -> dict[str, Any]:
        messages: list[AnyMessage] = state["messages"]
        ai = last_ai_message(messages)
        already: dict[str, Any] = dict(state.get("approvals") or {})
        review = [
            call for call in pending_tool_calls(messages) if toolkit.needs_decision(call) and call["id"] not in already
        ]
        if ai is None or not review:
            return {}
        approvals: dict[str, Any] = {}
        answers: list[ToolMessage] = []
        declined = declined_this_turn(messages)
        for call in [c for c in review if c["name"] in declined]:
            # Retry pressure: an action a person declined in this turn is not put to them again.
            approvals[call["id"]] = {"type": "reject", "name": call["name"], "message": "declined earlier this turn"}
            answers.append(_refusal(call, "Not run: a reviewer already declined this action in this turn."))
        review = [c for c in review if c["name"] not in declined]
        calls = {c["id"]: dict(c) for c in ai.tool_calls}
        for _round in range(MAX_REVIEW_ROUNDS):
            if not review:
                break
            decisions = _ask(toolkit, review, describe)
            again: list[dict[str, Any]] = []
            for call, decision in zip(review, decisions, strict=True):
                kind = decision.get("type")
                if kind == "approve":
                    approvals[call["id"]] = {"type": "approve", "name": call["name"], "args": call["args"]}
                elif kind == "reject":
                    reason = str(decision.get("message") or "no reason given")
                    approvals[call["id"]] = {"type": "reject", "name": call["name"], "message": reason}
                    answers.append(_refusal(call, f"{DECLINED}: {reason}."))
                elif kind == "edit":
                    outcome = _apply_edit(toolkit, call, decision)
                    if isinstance(outcome, ToolMessage):
                        approvals[call["id"]] = {"type": "reject", "name": call["name"], "message": "invalid edit"}
                        answers.append(outcome)
                    elif outcome["name"] != call["name"]:
                        again.append(outcome)  # a different action needs its own review
                        calls[call["id"]] = outcome
                    else:
                        calls[call["id"]] = outcome
                        approvals[call["id"]] = {"type": "edit", "name": outcome["name"], "args": outcome["args"]}
                else:
                    approvals[call["id"]] = {"type": "reject", "name": call["name"], "message": "unknown decision"}
                    answers.append(_refusal(call, f"Not run: unknown review decision {kind!r}."))
            review = again
        for call in review:  # still undecided after the last round
            approvals[call["id"]] = {"type": "reject", "name": call["name"], "message": "too many edits"}
            answers.append(_refusal(call, "Not run: the action changed too often during review."))
        updated = ai.model_copy(update={"tool_calls": [calls.get(c["id"], dict(c)) for c in ai.tool_calls]})
        return {"messages": [updated, *answers], "approvals": approvals}

    return approve


def _ask(toolkit: PiggyToolkit, calls: list[dict[str, Any]], describe: Callable[..., str]) -> list[dict[str, Any]]:
    """One interrupt for all calls under review; insist on exactly one well-formed decision per call."""
    request = {
        "action_requests": [{"name": c["name"], "args": c["args"], "description": describe(toolkit, c)} for c in calls],
        "review_configs": [{"action_name": c["name"], "allowed_decisions": list(APPROVAL_DECISIONS)} for c in calls],
    }
    answer = interrupt(request)
    decisions = answer.get("decisions") if isinstance(answer, dict) else None
    if not isinstance(decisions, list) or len(decisions) != len(calls):
        got = len(decisions) if isinstance(decisions, list) else 0
        # Anything malformed counts as a rejection: nothing destructive runs on an unclear answer.
        return [{"type": "reject", "message": f"malformed review answer ({got} decisions for {len(calls)})"}] * len(
            calls
        )
    return [d if isinstance(d, dict) else {"type": "reject", "message": "malformed decision"} for d in decisions]


def _apply_edit(toolkit: PiggyToolkit, call: dict[str, Any], decision: dict[str, Any]) -> dict[str, Any] | ToolMessage:
    """Validate an edited action against its tool's schema; returns the new call or an error answer."""
    edited = decision.get("edited_action")
    if not isinstance(edited, dict):  # a bare tool name or other junk from a review UI: refused below, not a crash
        edited = {}
    name = str(edited.get("name") or call["name"])
    args = edited.get("args")
    tool = next((t for t in toolkit.get_tools() if t.name == name), None)
    if tool is None or not isinstance(args, dict):
        return _refusal(call, f"Not run: the reviewer's edit names no valid tool or arguments ({name!r}).")
    schema: Any = tool.get_input_schema()
    try:
        schema.model_validate(args)
    except ValidationError as exc:
        fields = "; ".join(".".join(map(str, e["loc"])) + ": " + e["msg"] for e in exc.errors())
        return _refusal(call, f"Not run: the reviewer's edited arguments are invalid ({fields}).")
    return {**call, "name": name, "args": args}


def _refusal(call: dict[str, Any], text: str) -> ToolMessage:
    return ToolMessage(
        content=f"{text} Do not retry this action in this conversation turn; tell the customer it was not done.",
        tool_call_id=call["id"],
        name=call["name"],
        status="error",
    )
