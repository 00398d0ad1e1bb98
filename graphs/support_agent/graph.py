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
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage, SystemMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graphs.support_agent import offline
from graphs.support_agent.intents import BY_NAME, OUT_OF_SCOPE, classify
from graphs.support_agent.prompts import OUT_OF_SCOPE as OUT_OF_SCOPE_ANSWER
from graphs.support_agent.prompts import ROUTER, SCOPED, SPECIALIST
from piggy_agent_tools.gdpr import mentions, personal_terms, purge_contact, redact
from piggy_agent_tools.hitl import (
    check_call_ids,
    make_approval_node,
    make_tool_task,
    needs_approval,
    pending_tool_calls,
    route_after_approval,
    route_tool_calls,
    with_sync_durability,
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
    A refusal is stored when the reviewer decides, before the approved siblings run, so the stored order differs."""
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
        return {"intent": intent, "steps": 0, **trim_history(state)}

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
            earlier = [SystemMessage(_recap(memory))] if memory.get("earlier") else []
            reply = bound.invoke([SystemMessage(prompt), *earlier, *in_call_order(state["messages"])])
            if isinstance(reply, AIMessage) and reply.tool_calls:
                calls = [{**c, "args": _storable(c["args"])} for c in reply.tool_calls]
                reply = reply.model_copy(update={"tool_calls": calls})
        lighter = without_artifacts(state["messages"])
        return {"messages": [*lighter, *check_call_ids(reply, state["messages"])], "memory": memory, "steps": steps + 1}

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
    builder.add_node("forget", make_forget_node(toolkit, checkpointer))
    builder.add_conditional_edges("tools", _after_tools, ["forget", "specialist"])
    builder.add_edge("forget", "specialist")
    builder.add_edge("respond", END)
    # Durability "sync": a step's checkpoint (the tool call and its id, a decision) is written before the next runs.
    return with_sync_durability(builder.compile(checkpointer=checkpointer))


# --- Bounded state: the last turns verbatim, older ones as one line each (issue 15: flat bytes per turn) ----------

KEEP_TURNS = 2  # turns kept verbatim; every checkpoint stores the message list, so this bounds its size
KEEP_RECAPS = 4  # one-line recaps of older turns the model still sees


def trim_history(state: SupportState) -> dict[str, Any]:
    """At the start of a turn, drop turns older than ``KEEP_TURNS`` from the state, keeping a one-line recap of each
    in ``memory["earlier"]``. Turns start at a human message, so a tool call and its answer are never split; the
    current customer (``memory["contact"]``) and the approval decisions stay in their own channels."""
    messages = state["messages"]
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if len(starts) <= KEEP_TURNS:
        return {}
    cut = starts[-KEEP_TURNS]
    if pending_tool_calls(messages[:cut]):
        return {}  # an unanswered call before the cut (a decision still pending): keep everything
    recaps = [_one_line(messages[a:b]) for a, b in zip(starts, [*starts[1:], cut], strict=False) if a < cut]
    memory = dict(state.get("memory") or {})
    earlier = [*(memory.get("earlier") or []), *recaps][-KEEP_RECAPS:]
    removed = [RemoveMessage(id=m.id) for m in messages[:cut] if m.id]
    return {"messages": removed, "memory": {"earlier": earlier}}


def _one_line(turn: list[AnyMessage]) -> str:
    asked = next((str(m.content) for m in turn if isinstance(m, HumanMessage)), "")
    answered = next((str(m.content) for m in reversed(turn) if isinstance(m, AIMessage) and m.content), "")
    tools = sorted({str(m.name) for m in turn if isinstance(m, ToolMessage)})
    used = f" [{', '.join(tools)}]" if tools else ""
    return f"customer: {asked[:100]} -> agent{used}: {answered[:140]}"


def _recap(memory: dict[str, Any]) -> str:
    lines = ["Earlier in this conversation (older turns, one line each):", *memory.get("earlier", [])]
    contact = memory.get("contact")
    if isinstance(contact, dict) and contact.get("uuid"):
        lines.append(f"Current customer: {contact.get('email')} (contact_uuid {contact['uuid']}).")
    return "\n".join(lines)


def without_artifacts(messages: list[AnyMessage]) -> list[AnyMessage]:
    """Tool answers stored without their artifact (the full API object, which no node reads once the answer is in
    the state): same ids, so the state replaces them; only messages that still carry one are rewritten."""
    return [
        m.model_copy(update={"artifact": None})
        for m in messages
        if isinstance(m, ToolMessage) and m.artifact is not None
    ]


# --- GDPR: after a successful erasure, the thread forgets the contact (issue 11) ----------------------------------


def _gdpr_erasures(toolkit: PiggyToolkit, messages: list[AnyMessage]) -> dict[str, str]:
    """``{tool_call_id: contact_uuid}`` of every GDPR ``delete_contact`` that succeeded in this thread."""
    calls = {c["id"]: c for m in messages if isinstance(m, AIMessage) for c in m.tool_calls}
    done: dict[str, str] = {}
    for message in messages:
        if isinstance(message, ToolMessage) and message.name == "delete_contact" and message.status != "error":
            call = calls.get(message.tool_call_id)
            args = {**(dict(call["args"]) if call else {}), **toolkit.injected}
            if str(args.get("type", "")).upper() == "GDPR" and args.get("contact_uuid"):
                done[message.tool_call_id] = str(args["contact_uuid"])
    return done


def _after_tools(state: SupportState) -> str:
    memory = state.get("memory") or {}
    erased = set(memory.get("erased") or ())
    pending = [m for m in state["messages"] if isinstance(m, ToolMessage) and m.name == "delete_contact"]
    return "forget" if any(m.tool_call_id not in erased for m in pending) else "specialist"


def _records_of(value: Any, contact_uuid: str) -> list[Any]:
    """Every dict in a tool result that describes this contact (its uuid, or a nested ``contact`` with it)."""
    found: list[Any] = []
    if isinstance(value, dict):
        if contact_uuid in (value.get("uuid"), value.get("contact_uuid")):
            found.append(value)
        for item in value.values():
            found += _records_of(item, contact_uuid)
    elif isinstance(value, list):
        for item in value:
            found += _records_of(item, contact_uuid)
    return found


def contact_terms_in(messages: list[AnyMessage], memory: dict[str, Any], contact_uuid: str) -> set[str]:
    """The contact's personal data as this thread saw it: tool results (content and artifact) and memory."""
    import json

    terms: set[str] = set()
    sources: list[Any] = [memory.get("contact")]
    for message in messages:
        if isinstance(message, ToolMessage):
            sources.append(message.artifact)
            try:
                sources.append(json.loads(str(message.content)))
            except ValueError:
                pass
    for source in sources:
        for record in _records_of(source, contact_uuid):
            terms |= personal_terms(record)
    return terms


def make_forget_node(toolkit: PiggyToolkit, checkpointer: Any = None) -> Any:
    """After a GDPR deletion: redact the contact's personal data from the state, then from the thread's history.

    The state's messages are replaced (same ids) by redacted copies; the stored checkpoints of the thread are
    rewritten by ``piggy_agent_tools.gdpr.purge_contact`` once the checkpoint holding the deletion is stored.
    """

    def forget(state: SupportState, config: RunnableConfig) -> dict[str, Any]:
        messages = state["messages"]
        memory = dict(state.get("memory") or {})
        erased = list(memory.get("erased") or [])
        new = {k: v for k, v in _gdpr_erasures(toolkit, messages).items() if k not in erased}
        deletes = [m.tool_call_id for m in messages if isinstance(m, ToolMessage) and m.name == "delete_contact"]
        configurable = config.get("configurable") or {}
        saver = checkpointer or configurable.get("__pregel_checkpointer")
        thread = configurable.get("thread_id")
        if new and saver is not None and thread is not None:
            _wait_until_stored(saver, str(thread), set(new))
        # What the thread ever saw of the contact: the state now, and the stored history (which still holds the
        # full tool results the state has since dropped).
        seen = list(messages)
        if new and saver is not None and thread is not None:
            for item in saver.list({"configurable": {"thread_id": str(thread)}}):
                seen += list((item.checkpoint.get("channel_values") or {}).get("messages") or [])
                seen += [w[2] for w in item.pending_writes or [] if isinstance(w[2], ToolMessage)]
                seen += [m for w in item.pending_writes or [] if isinstance(w[2], list) for m in w[2]]
        terms: set[str] = set()
        for contact_uuid in set(new.values()):
            terms |= contact_terms_in(seen, memory, contact_uuid)
        replaced = [redact(m, terms) for m in messages if mentions(m, terms)]
        remembered = redact({k: v for k, v in memory.items() if k != "erased"}, terms)
        if isinstance(memory.get("contact"), dict) and memory["contact"].get("uuid") in new.values():
            remembered["contact"] = None
        if terms and saver is not None and thread is not None:
            purge_contact(saver, terms, thread_id=str(thread))
        return {"messages": replaced, "memory": {**remembered, "erased": sorted(set(erased) | set(deletes))}}

    return forget


def _wait_until_stored(saver: Any, thread: str, tool_call_ids: set[str], timeout: float = 10.0) -> None:
    """The checkpoint holding the deletion's answer is written in the background; purge only once it is stored."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        latest = saver.get_tuple({"configurable": {"thread_id": thread, "checkpoint_ns": ""}})
        stored = (latest.checkpoint.get("channel_values") or {}).get("messages", []) if latest else []
        if tool_call_ids <= {getattr(m, "tool_call_id", None) for m in stored}:
            return
        time.sleep(0.02)


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
