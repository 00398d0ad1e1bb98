"""The execution ledger for LangChain's ``create_agent``: a middleware that puts every Piggy write through it.

``create_agent(model, toolkit.get_tools(), middleware=[HumanInTheLoopMiddleware(...), PiggyLedgerMiddleware(toolkit,
ledger)], checkpointer=...)``: each non-read Piggy call is claimed before it is sent and answered from the record on a
replay (``agent.invoke(None, config)`` after a crash); a call left without an outcome is answered "outcome unknown",
reconciled where the API allows, and listed in the agent state's ``ledger_alerts``. Calls to other tools pass through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, NotRequired

from langchain.agents.middleware import AgentMiddleware, AgentState
from langchain_core.messages import ToolMessage
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command

from piggy_agent_tools.ledger._guard import Guarded, aguarded_send, guarded_send
from piggy_agent_tools.ledger._store import Ledger
from piggy_agent_tools.ledger.reconcile import make_reconcilers
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools._spec import Risk


def _merge(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    return {**(left or {}), **(right or {})}


class LedgerState(AgentState[Any]):
    """The agent state plus the ledger's alerts (calls whose outcome is unknown), by tool-call id."""

    ledger_alerts: NotRequired[Annotated[dict[str, Any], _merge]]


def _thread_id(request: ToolCallRequest) -> str:
    config = getattr(request.runtime, "config", None) or {}
    return str((config.get("configurable") or {}).get("thread_id") or "-")


def _result(guarded: Guarded) -> ToolMessage | Command[Any]:
    if guarded.alert is None:
        return guarded.message
    return Command(
        update={"messages": [guarded.message], "ledger_alerts": {guarded.alert["tool_call_id"]: guarded.alert}}
    )


class PiggyLedgerMiddleware(AgentMiddleware[LedgerState, Any]):
    """Runs each non-read call of ``toolkit``'s tools at most once per thread and tool-call id (see module doc).

    Put it after ``HumanInTheLoopMiddleware`` so only approved calls reach it; give every worker the same ledger.
    """

    state_schema = LedgerState

    def __init__(self, toolkit: PiggyToolkit, ledger: Ledger) -> None:
        super().__init__()
        self.toolkit = toolkit
        self.ledger = ledger
        self.reconcile, self.areconcile = make_reconcilers(toolkit)
        self.names = {spec.name for spec in toolkit.specs}

    def _guarded(self, call: dict[str, Any]) -> bool:
        return call.get("name") in self.names and bool(call.get("id"))

    def wrap_tool_call(
        self, request: ToolCallRequest, handler: Callable[[ToolCallRequest], ToolMessage | Command[Any]]
    ) -> ToolMessage | Command[Any]:
        call = dict(request.tool_call)
        if not self._guarded(call):
            return handler(request)
        return _result(
            guarded_send(
                lambda: handler(request),
                call,
                ledger=self.ledger,
                thread_id=_thread_id(request),
                read=self.toolkit.risk_of(call) is Risk.READ,
                injected=self.toolkit.injected,
                reconcile=self.reconcile,
            )
        )

    async def awrap_tool_call(
        self,
        request: ToolCallRequest,
        handler: Callable[[ToolCallRequest], Awaitable[ToolMessage | Command[Any]]],
    ) -> ToolMessage | Command[Any]:
        call = dict(request.tool_call)
        if not self._guarded(call):
            return await handler(request)
        return _result(
            await aguarded_send(
                lambda: handler(request),
                call,
                ledger=self.ledger,
                thread_id=_thread_id(request),
                read=self.toolkit.risk_of(call) is Risk.READ,
                injected=self.toolkit.injected,
                reconcile=self.areconcile,
            )
        )
