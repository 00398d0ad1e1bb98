"""The support-agent graph: route -> specialist -> (approve) -> tools -> specialist ... -> answer.

``build_graph(toolkit=None, *, model=None, checkpointer=None)`` is for tests, the CLI and users. With no model the
route and specialist steps are the deterministic offline router; with a model (an object or a ``provider:model``
string for ``init_chat_model``) they are LLM calls. Everything else is identical. ``served.py`` holds the
module-level ``graph`` that ``langgraph.json`` points at.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graphs.support_agent import offline
from graphs.support_agent.intents import BY_NAME, OUT_OF_SCOPE, classify
from graphs.support_agent.prompts import OUT_OF_SCOPE as OUT_OF_SCOPE_ANSWER
from graphs.support_agent.prompts import ROUTER, SCOPED, SPECIALIST
from piggy_agent_tools.hitl import (
    check_call_ids,
    make_approval_node,
    make_tool_task,
    needs_approval,
    pending_tool_calls,
    route_after_approval,
    route_tool_calls,
)
from piggy_agent_tools.ledger import Ledger
from piggy_agent_tools.toolkit import PiggyToolkit

MAX_STEPS = 8


def _merge(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    return {**(left or {}), **(right or {})}


class SupportState(MessagesState):
    """Messages, the current intent, what the agent remembers, and every approval decision (by tool call id).

    ``ledger_alerts`` (by tool call id) lists calls whose outcome is unknown after a crash or cancel, for the staff;
    ``review_notice`` says why a review is asked again (a stale answer changed nothing).
    """

    intent: str
    memory: Annotated[dict[str, Any], _merge]
    approvals: Annotated[dict[str, Any], _merge]
    ledger_alerts: Annotated[dict[str, Any], _merge]
    review_notice: str
    steps: int


_SURROGATES = re.compile("[\ud800-\udfff]")


def _storable(value: Any) -> Any:
    """Tool-call arguments LangGraph's checkpointer can store: a model can send, through JSON, integers beyond 64 bits
    (kept as digit strings; the tools still parse and range-check them) and lone surrogates (made U+FFFD)."""
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return str(value)
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def in_call_order(messages: list[AnyMessage]) -> list[AnyMessage]:
    """The history as a provider wants it: the tool messages after an AI message in the order of its tool calls.
    A refusal is stored when the reviewer decides, before the approved siblings have run, so the stored order differs."""
    ordered: list[AnyMessage] = []
    i = 0
    while i < len(messages):
        message = messages[i]
        ordered.append(message)
        i += 1
        if isinstance(message, AIMessage) and message.tool_calls:
            j = i
            while j < len(messages) and isinstance(messages[j], ToolMessage):
                j += 1
            position = {c["id"]: n for n, c in enumerate(message.tool_calls)}
            answers = messages[i:j]
            ordered += sorted(answers, key=lambda m: position.get(getattr(m, "tool_call_id", ""), len(position)))
            i = j
    return ordered


def _last_human(messages: list[AnyMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return str(message.content)
    return ""


def build_graph(
    toolkit: PiggyToolkit | None = None,
    *,
    model: BaseChatModel | str | None = None,
    checkpointer: Any = None,
    ledger: Ledger | None = None,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Compile the support agent over a toolkit (default: ``PiggyToolkit()`` from the environment).

    ``ledger`` records every non-read tool call (``persistence.open_ledger`` next to the checkpointer); the default
    is an in-memory one, which protects replays within this process only.
    """
    toolkit = toolkit or PiggyToolkit()
    chat = _chat_model(model)
    tools = {t.name: t for t in toolkit.get_tools()}
    scoped = toolkit.contact_uuid is not None

    def route(state: SupportState) -> dict[str, Any]:
        text = _last_human(state["messages"])
        if chat is None:
            intent = classify(text)
        else:
            answer = chat.invoke([SystemMessage(ROUTER), HumanMessage(text)])
            label = str(answer.content).strip().split()[0].strip(".:`'\"").lower() if answer.content else ""
            intent = label if label in BY_NAME else classify(text)
        return {"intent": intent, "steps": 0}

    def specialist(state: SupportState) -> dict[str, Any]:
        intent = state.get("intent") or OUT_OF_SCOPE.name
        steps = int(state.get("steps") or 0)
        if steps >= MAX_STEPS:
            return {"messages": [AIMessage("I'm sorry, I could not finish this request. A colleague will follow up.")]}
        allowed = [tools[name] for name in BY_NAME[intent].tools if name in tools]
        memory = dict(state.get("memory") or {})
        memory["default_shop"] = "shop_uuid" in toolkit.injected
        if chat is None:
            turn = offline.turn_from(state["messages"], memory, scoped=scoped, available={t.name for t in allowed})
            reply = offline.plan(intent, turn)
            found = turn.results.get("get_contact")
            if isinstance(found, dict) and found.get("uuid"):
                memory["contact"] = {k: found.get(k) for k in ("uuid", "email", "name")}
        else:
            prompt = SPECIALIST.format(intent=intent, scope=SCOPED if scoped else "")
            bound = chat.bind_tools(allowed) if allowed else chat
            reply = bound.invoke([SystemMessage(prompt), *in_call_order(state["messages"])])
            if isinstance(reply, AIMessage) and reply.tool_calls:
                calls = [{**c, "args": _storable(c["args"])} for c in reply.tool_calls]
                reply = reply.model_copy(update={"tool_calls": calls})
        return {"messages": check_call_ids(reply, state["messages"]), "memory": memory, "steps": steps + 1}

    def after_route(state: SupportState) -> str:
        return "respond" if state.get("intent") == OUT_OF_SCOPE.name else "specialist"

    def after_specialist(state: SupportState) -> Any:
        if not pending_tool_calls(state["messages"]):
            return END
        if needs_approval(toolkit, state["messages"]):
            return "approve"
        return route_tool_calls(toolkit, dict(state))

    def after_approve(state: SupportState) -> Any:
        return route_after_approval(toolkit, dict(state), done="specialist")

    def respond(state: SupportState) -> dict[str, Any]:
        return {"messages": [AIMessage(OUT_OF_SCOPE_ANSWER)]}

    builder = StateGraph(SupportState)
    builder.add_node("route", route)
    builder.add_node("specialist", specialist)
    builder.add_node("approve", make_approval_node(toolkit))
    # One task per tool call (Send), each through the ledger. No retry policy on this node: a retry is a replay.
    builder.add_node("tools", make_tool_task(toolkit, ledger))
    builder.add_node("respond", respond)
    builder.add_edge(START, "route")
    builder.add_conditional_edges("route", after_route, ["respond", "specialist"])
    builder.add_conditional_edges("specialist", after_specialist, ["approve", "tools", END])
    builder.add_conditional_edges("approve", after_approve, ["approve", "tools", "specialist"])
    builder.add_edge("tools", "specialist")
    builder.add_edge("respond", END)
    return builder.compile(checkpointer=checkpointer)


class ModelSetupError(RuntimeError):
    """A chat model that cannot be built here: its integration package or its key is missing. One line, no trace."""


# provider -> (integration module, this package's extra, key variables the provider reads)
_PROVIDERS = {
    "openai": ("langchain_openai", "openai", ("OPENAI_API_KEY",)),
    "anthropic": ("langchain_anthropic", "anthropic", ("ANTHROPIC_API_KEY",)),
    "google_genai": ("langchain_google_genai", "google", ("GOOGLE_API_KEY", "GEMINI_API_KEY")),
}


def _chat_model(model: BaseChatModel | str | None) -> BaseChatModel | None:
    """``provider:model`` through ``init_chat_model``, checking the package and the key first so a missing one is a
    ``ModelSetupError`` saying what to install or set (an OpenAI-compatible server: OPENAI_BASE_URL, any key)."""
    if model is None or isinstance(model, BaseChatModel):
        return model
    import importlib.util
    import os

    from langchain.chat_models import init_chat_model

    provider = model.split(":", 1)[0] if ":" in model else None  # a bare name: init_chat_model infers it
    if provider in _PROVIDERS:
        module, extra, keys = _PROVIDERS[provider]
        if importlib.util.find_spec(module) is None:
            package = module.replace("_", "-")
            raise ModelSetupError(f"model {model!r} needs {package}: pip install 'piggy-agent-tools[{extra}]'")
        if not any(os.environ.get(key) for key in keys):
            local = " (any value for an OpenAI-compatible server at OPENAI_BASE_URL)" if provider == "openai" else ""
            raise ModelSetupError(f"model {model!r} needs {keys[0]} in the environment{local}")
    try:
        chat: BaseChatModel = init_chat_model(model)
    except Exception as exc:  # ImportError, a provider's missing-credentials error, an unknown provider
        raise ModelSetupError(f"model {model!r}: {(str(exc).strip().splitlines() or [type(exc).__name__])[0]}") from exc
    return chat
