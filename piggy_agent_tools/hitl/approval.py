"""The approval node: a person decides on every destructive tool call before it runs, bound to what they reviewed.

It interrupts with the request shape of LangChain's ``HumanInTheLoopMiddleware`` (``action_requests`` and
``review_configs``; each request also carries its ``tool_call_id``) and resumes with ``{"decisions": [...]}``: one
``approve``, ``edit`` (``edited_action: {name, args}``) or ``reject`` (``message``) per request.

A decision applies only to the interrupt it answers. Resume by interrupt id (``Command(resume={interrupt.id:
{"decisions": [...]}})``, see ``review_command``); a plain ``Command(resume={"decisions": [...]})`` applies only when
every decision names the ``tool_call_id`` of a reviewed call. Anything else is stale: it changes nothing, the node
asks again (a new interrupt, with a ``notice`` saying why). Each approval is stored with the hash of the reviewed
name and arguments; the tools node refuses a call that does not match it, so an approval never carries over.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langgraph.types import Command, interrupt
from pydantic import ValidationError

from piggy_agent_tools.hitl.describe import describe_call
from piggy_agent_tools.ledger import call_hash
from piggy_agent_tools.toolkit import APPROVAL_DECISIONS, PiggyToolkit

ApprovalNode = Callable[[dict[str, Any]], dict[str, Any]]
MAX_REVIEW_ROUNDS = 3
DECLINED = "Declined by the reviewer"
#: Approval record types under which a destructive call may run (anything else is a refusal or still under review).
APPROVED = {"approve", "edit"}
STALE_NOTICE = (
    "An answer arrived that was not sent for this review (no interrupt id, and it named none or not all of the "
    "reviewed tool_call_ids); it changed nothing. Answer this review by its interrupt id."
)


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


def check_call_ids(message: Any, history: list[AnyMessage]) -> list[Any]:
    """The messages to store for a model's reply: calls without an id get a fresh one; a duplicate id is refused.

    A tool-call id names exactly one action in a thread: approvals and the execution ledger are keyed by it. A call
    whose id repeats one in the same reply or earlier in the thread gets a fresh id and a refusal, so it can never
    inherit another call's approval or recorded outcome. Returns ``[reply, *refusals]``.
    """
    if not isinstance(message, AIMessage) or not message.tool_calls:
        return [message]
    seen: set[Any] = {c.get("id") for m in history if isinstance(m, AIMessage) for c in m.tool_calls if c.get("id")}
    seen |= {m.tool_call_id for m in history if isinstance(m, ToolMessage)}
    calls: list[dict[str, Any]] = []
    refusals: list[ToolMessage] = []
    for original in message.tool_calls:
        call = dict(original)
        if not call.get("id"):
            call["id"] = f"call_{uuid.uuid4().hex}"
        elif call["id"] in seen:
            duplicate = call["id"]
            call["id"] = f"call_{uuid.uuid4().hex}"
            refusals.append(
                ToolMessage(
                    content=f"Not run: the tool-call id {duplicate!r} was already used in this conversation; every "
                    "call needs its own id. Call again if the action is still needed.",
                    tool_call_id=call["id"],
                    name=call["name"],
                    status="error",
                )
            )
        seen.add(call["id"])
        calls.append(call)
    return [message.model_copy(update={"tool_calls": calls}), *refusals]


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


def undecided_calls(toolkit: PiggyToolkit, state: dict[str, Any]) -> list[dict[str, Any]]:
    """Pending calls that need a person and have no decision yet (the approval node asks about these)."""
    approvals: dict[str, Any] = state.get("approvals") or {}
    undecided = []
    for call in pending_tool_calls(state["messages"]):
        kind = (approvals.get(call["id"]) or {}).get("type")
        if kind == "review" or (kind is None and toolkit.needs_decision(call)):
            undecided.append(call)
    return undecided


def approval_matches(toolkit: PiggyToolkit, call: dict[str, Any], approval: dict[str, Any] | None) -> bool:
    """True when ``approval`` approves exactly this call: same id's decision, same name, same final arguments."""
    if not approval or approval.get("type") not in APPROVED:
        return False
    return bool(approval.get("hash") == call_hash(call, toolkit.injected))


def review_command(snapshot: Any, decisions: list[dict[str, Any]]) -> Command[Any] | None:
    """``Command(resume={interrupt_id: {"decisions": decisions}})`` for the review pending in ``graph.get_state()``.

    None when no review is pending. Resuming by id means the decisions apply to that review only: if it was answered
    meanwhile, LangGraph delivers them to nothing and nothing runs.
    """
    for pending in getattr(snapshot, "interrupts", ()) or ():
        if isinstance(pending.value, dict) and "action_requests" in pending.value:
            return Command(resume={pending.id: {"decisions": decisions}})
    return None


def _resumed_by_id() -> bool:
    """True when the value the next ``interrupt()`` returns was addressed to this task's interrupt by its id.

    LangGraph keeps resume values addressed to a task (``Command(resume={id: value})``) in the task's scratchpad and
    a plain ``Command(resume=value)`` aside for whichever interrupt asks first. This node calls ``interrupt`` once per
    task, so a scratchpad value is always one addressed to this review.
    """
    try:
        from langgraph._internal._constants import CONFIG_KEY_SCRATCHPAD
        from langgraph.config import get_config

        scratchpad = get_config()["configurable"][CONFIG_KEY_SCRATCHPAD]
        return len(scratchpad.resume) > 0
    except (ImportError, KeyError, AttributeError, RuntimeError):  # pragma: no cover - other LangGraph internals
        return False  # fail safe: a plain-looking answer must then name the reviewed calls


def make_approval_node(toolkit: PiggyToolkit, *, describe: Callable[..., str] = describe_call) -> ApprovalNode:
    """Build the approval node for a graph whose state has ``messages`` and an ``approvals`` dict channel.

    Route back to this node while ``undecided_calls`` is not empty (a stale answer, or an edit that switched to
    another action, asks again in a new interrupt); see ``route_after_approval`` in ``piggy_agent_tools.hitl``.
    """

    def approve(state: dict[str, Any]) -> dict[str, Any]:
        messages: list[AnyMessage] = state["messages"]
        ai = last_ai_message(messages)
        already: dict[str, Any] = dict(state.get("approvals") or {})
        review = undecided_calls(toolkit, state)
        if ai is None or not review:
            return {}
        approvals: dict[str, Any] = {}
        answers: list[ToolMessage] = []
        declined = declined_this_turn(messages)
        for call in [c for c in review if c["name"] in declined]:
            # Retry pressure: an action a person declined in this turn is not put to them again.
            approvals[call["id"]] = _record(toolkit, call, "reject", message="declined earlier this turn")
            answers.append(_refusal(call, "Not run: a reviewer already declined this action in this turn."))
        review = [c for c in review if c["name"] not in declined]
        calls = {c["id"]: dict(c) for c in ai.tool_calls}
        if review:
            notice = state.get("review_notice")
            decisions = _ask(toolkit, review, describe, notice if isinstance(notice, str) else None)
            if decisions is None:  # stale: nothing changes; route back here for a new interrupt
                return {"review_notice": STALE_NOTICE}
            for call, decision in zip(review, decisions, strict=True):
                rounds = int((already.get(call["id"]) or {}).get("rounds") or 0) + 1
                kind = decision.get("type")
                if kind == "approve":
                    approvals[call["id"]] = _record(toolkit, call, "approve")
                elif kind == "reject":
                    reason = str(decision.get("message") or "no reason given")
                    approvals[call["id"]] = _record(toolkit, call, "reject", message=reason)
                    answers.append(_refusal(call, f"{DECLINED}: {reason}."))
                elif kind == "edit":
                    outcome = _apply_edit(toolkit, call, decision)
                    if isinstance(outcome, ToolMessage):
                        approvals[call["id"]] = _record(toolkit, call, "reject", message="invalid edit")
                        answers.append(outcome)
                    elif outcome["name"] != call["name"]:
                        # A different action needs its own review, in a new interrupt (even a read: the person
                        # sees what will run instead).
                        calls[call["id"]] = outcome
                        if rounds >= MAX_REVIEW_ROUNDS:
                            approvals[call["id"]] = _record(toolkit, outcome, "reject", message="too many edits")
                            answers.append(_refusal(call, "Not run: the action changed too often during review."))
                        else:
                            approvals[call["id"]] = {"type": "review", "name": outcome["name"], "rounds": rounds}
                    else:
                        calls[call["id"]] = outcome
                        approvals[call["id"]] = _record(toolkit, outcome, "edit")
                else:
                    approvals[call["id"]] = _record(toolkit, call, "reject", message="unknown decision")
                    answers.append(_refusal(call, f"Not run: unknown review decision {kind!r}."))
        updated = ai.model_copy(update={"tool_calls": [calls.get(c["id"], dict(c)) for c in ai.tool_calls]})
        return {"messages": [updated, *answers], "approvals": approvals, "review_notice": ""}

    return approve


def _record(toolkit: PiggyToolkit, call: dict[str, Any], kind: str, *, message: str | None = None) -> dict[str, Any]:
    """One decision as stored in the ``approvals`` channel, bound to the reviewed name and final arguments."""
    record: dict[str, Any] = {"type": kind, "name": call["name"], "args": call["args"]}
    if kind in APPROVED:
        record["hash"] = call_hash(call, toolkit.injected)
    if message is not None:
        record["message"] = message
    return record


def _ask(
    toolkit: PiggyToolkit, calls: list[dict[str, Any]], describe: Callable[..., str], notice: str | None
) -> list[dict[str, Any]] | None:
    """One interrupt for all calls under review: one decision per call, or None when the answer is stale."""
    request: dict[str, Any] = {
        "action_requests": [
            {"name": c["name"], "args": c["args"], "description": describe(toolkit, c), "tool_call_id": c["id"]}
            for c in calls
        ],
        "review_configs": [{"action_name": c["name"], "allowed_decisions": list(APPROVAL_DECISIONS)} for c in calls],
    }
    if notice:
        request["notice"] = notice
    addressed = _resumed_by_id()
    answer = interrupt(request)
    decisions = answer.get("decisions") if isinstance(answer, dict) else None
    ids = [c["id"] for c in calls]
    if isinstance(decisions, list) and all(isinstance(d, dict) and d.get("tool_call_id") for d in decisions):
        named = {str(d["tool_call_id"]): d for d in decisions}
        if set(named) != set(ids) or len(named) != len(decisions):
            return None  # decisions for other (or not all) calls: not an answer to this review
        return [named[i] for i in ids]
    if not addressed:
        return None
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
