"""The tools node: one task per pending call, each through the execution ledger, never a destructive one unapproved.

``route_tool_calls`` fans the pending calls out with LangGraph's ``Send`` (as the prebuilt ``ToolNode`` does), so
each call is its own task: when one fails or the process stops, the finished siblings' results are already saved
and are not redone. Each task runs its call through the ledger (``piggy_agent_tools.ledger``): claimed before it
is sent, answered from the record on a replay, and answered "outcome unknown" (with an alert in ``ledger_alerts``)
when an earlier attempt stopped mid-call. Just before sending, a call that needs a decision must match the approved
name and arguments (hash). No retry policy may be put on this node: a retry is a replay, and the ledger answers it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableLambda
from langgraph.config import get_config
from langgraph.types import Send

from piggy_agent_tools.hitl.approval import approval_matches, pending_tool_calls, undecided_calls
from piggy_agent_tools.ledger import (
    AsyncReconciler,
    Guarded,
    Ledger,
    MemoryLedger,
    Reconciler,
    aguarded_invoke,
    guarded_invoke,
)
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools._spec import Risk

G = TypeVar("G", bound=Any)

#: The ``Send`` payload key that marks one tool call's task.
TASK_KEY = "piggy_tool_call"


def _error(call: dict[str, Any], text: str) -> ToolMessage:
    return ToolMessage(content=text, tool_call_id=call["id"], name=call["name"], status="error")


def _thread_id() -> str:
    """The running thread's id (the ledger key's first half); graphs without a checkpointer share one namespace."""
    try:
        configurable = get_config().get("configurable") or {}
    except RuntimeError:  # pragma: no cover - called outside a graph run
        return "-"
    return str(configurable.get("thread_id") or "-")


class ToolRunner:
    """Runs one call for a graph: tool lookup, approval check, ledger. Shared by the per-call task and batch node."""

    def __init__(
        self,
        toolkit: PiggyToolkit,
        ledger: Ledger | None = None,
        *,
        reconcile: Reconciler | None = None,
        areconcile: AsyncReconciler | None = None,
    ) -> None:
        self.toolkit = toolkit
        self.ledger = ledger if ledger is not None else MemoryLedger()
        if reconcile is None and areconcile is None:
            from piggy_agent_tools.ledger.reconcile import make_reconcilers

            reconcile, areconcile = make_reconcilers(toolkit)
        self.reconcile = reconcile
        self.areconcile = areconcile
        self.by_name = {t.name: t for t in toolkit.get_tools()}

    def refusal(self, call: dict[str, Any], approval: dict[str, Any] | None) -> ToolMessage | None:
        """An answer for a call that must not run, or None when it may run."""
        if call["name"] not in self.by_name:
            return _error(call, f"Error: there is no tool named {call['name']!r} for this agent.")
        if self.toolkit.needs_decision(call) and not approval_matches(self.toolkit, call, approval):
            if approval and approval.get("type") in ("approve", "edit"):
                return _error(call, "Not run: this action differs from the one the reviewer approved.")
            return _error(call, "Not run: this action needs a person's approval, which it did not get.")
        return None

    def run(self, call: dict[str, Any], approval: dict[str, Any] | None) -> Guarded:
        refused = self.refusal(call, approval)
        if refused is not None:
            return Guarded(refused)
        return guarded_invoke(
            self.by_name[call["name"]],
            call,
            ledger=self.ledger,
            thread_id=_thread_id(),
            read=self.toolkit.risk_of(call) is Risk.READ,
            injected=self.toolkit.injected,
            reconcile=self.reconcile,
        )

    async def arun(self, call: dict[str, Any], approval: dict[str, Any] | None) -> Guarded:
        refused = self.refusal(call, approval)
        if refused is not None:
            return Guarded(refused)
        return await aguarded_invoke(
            self.by_name[call["name"]],
            call,
            ledger=self.ledger,
            thread_id=_thread_id(),
            read=self.toolkit.risk_of(call) is Risk.READ,
            injected=self.toolkit.injected,
            reconcile=self.areconcile,
        )


def _update(results: Sequence[Guarded]) -> dict[str, Any]:
    update: dict[str, Any] = {"messages": [r.message for r in results]}
    alerts = {r.alert["tool_call_id"]: r.alert for r in results if r.alert}
    if alerts:
        update["ledger_alerts"] = alerts
    return update


def with_sync_durability(graph: G) -> G:
    """The compiled graph with durability ``"sync"`` as its default (a run's own ``durability=`` still wins).

    ``"sync"`` writes each step's checkpoint before the next step starts, so the AI message that names a tool call
    (and its id, the ledger's key) and the reviewer's decision are durable before any call is sent. Under the default
    ``"async"`` a killed process can lose that step: the thread then shows no call at all while the ledger holds a
    claim, and a model asked again would make a new call under a new id. ``"exit"`` is not safe for these graphs.
    """
    from langgraph._internal._constants import CONFIG_KEY_DURABILITY

    configured: G = graph.with_config(configurable={CONFIG_KEY_DURABILITY: "sync"})
    return configured


def route_tool_calls(toolkit: PiggyToolkit, state: dict[str, Any], node: str = "tools") -> list[Send]:
    """One ``Send`` per pending call, carrying the call and its approval record (for a conditional edge)."""
    approvals: dict[str, Any] = state.get("approvals") or {}
    return [
        Send(node, {TASK_KEY: call, "approval": approvals.get(call["id"])})
        for call in pending_tool_calls(state["messages"])
    ]


def route_after_approval(
    toolkit: PiggyToolkit, state: dict[str, Any], *, approve: str = "approve", tools: str = "tools", done: str
) -> str | list[Send]:
    """After the approval node: back to it while a call is undecided, else one task per call, else ``done``."""
    if undecided_calls(toolkit, state):
        return approve
    sends = route_tool_calls(toolkit, state, tools)
    return sends or done


def make_tool_task(
    toolkit: PiggyToolkit,
    ledger: Ledger | None = None,
    *,
    reconcile: Reconciler | None = None,
    areconcile: AsyncReconciler | None = None,
) -> RunnableLambda[dict[str, Any], dict[str, Any]]:
    """The node behind ``route_tool_calls``: runs the one call in its ``Send`` payload (sync and async)."""
    runner = ToolRunner(toolkit, ledger, reconcile=reconcile, areconcile=areconcile)

    def run(task: dict[str, Any]) -> dict[str, Any]:
        return _update([runner.run(task[TASK_KEY], task.get("approval"))])

    async def arun(task: dict[str, Any]) -> dict[str, Any]:
        return _update([await runner.arun(task[TASK_KEY], task.get("approval"))])

    return RunnableLambda(run, afunc=arun, name="tools")


def make_tools_node(
    toolkit: PiggyToolkit,
    ledger: Ledger | None = None,
    *,
    reconcile: Reconciler | None = None,
    areconcile: AsyncReconciler | None = None,
) -> tuple[Callable[[dict[str, Any]], dict[str, Any]], Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]]:
    """A whole-batch tools node (sync and async) for graphs that do not fan out; every call still goes through the
    ledger, so a replayed batch re-sends nothing. Prefer ``route_tool_calls`` + ``make_tool_task``."""
    runner = ToolRunner(toolkit, ledger, reconcile=reconcile, areconcile=areconcile)

    def run(state: dict[str, Any]) -> dict[str, Any]:
        approvals = state.get("approvals") or {}
        calls = pending_tool_calls(state["messages"])
        return _update([runner.run(call, approvals.get(call["id"])) for call in calls])

    async def arun(state: dict[str, Any]) -> dict[str, Any]:
        approvals = state.get("approvals") or {}
        calls = pending_tool_calls(state["messages"])
        return _update([await runner.arun(call, approvals.get(call["id"])) for call in calls])

    return run, arun
