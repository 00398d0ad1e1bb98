"""Event-driven agent: a verified Piggy webhook starts a graph turn in the background (a welcome flow by default).

``create_app(toolkit, secret=..., flows=[welcome_flow(promotion_uuid, automation_uuid)])`` is a FastAPI app that
mounts ``webhook_router`` and, for each flow's event type, runs that flow's steps as tool calls through the same
approval policy as the support agent (``make_approval_node`` / ``make_tool_task``): read and write steps run,
a destructive step waits in the checkpointer for a person, and nothing destructive runs unapproved.

Each delivery is identified by (event type, entity, body hash) and gets its own thread: a redelivery of a finished
flow is acknowledged and ignored, a redelivery of an unfinished one (a crash mid-flow) continues it, and the agent
lists unfinished flows when it starts.

By default a flow's steps are planned without a model (offline, deterministic). With ``model=`` (a chat model or a
``provider:model`` string, as for the support agent) the plan node asks the model for the next tool calls, with the
flow's tools bound and its goal, steps and event in the prompt; everything after the plan stays the same.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import FastAPI
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graphs.support_agent.graph import _chat_model, _storable, in_call_order
from graphs.support_agent.persistence import ledger_url, open_checkpointer
from piggy_agent_tools.hitl import (
    check_call_ids,
    make_approval_node,
    make_tool_task,
    needs_approval,
    pending_tool_calls,
    review_command,
    route_after_approval,
    route_tool_calls,
    with_sync_durability,
)
from piggy_agent_tools.ledger import Ledger, MemoryLedger, open_ledger
from piggy_agent_tools.toolkit import PiggyToolkit, select_specs
from piggy_agent_tools.webhooks import EVENT_MODELS, WebhookEvent, webhook_router

logger = logging.getLogger(__name__)

ArgsTemplate = Mapping[str, Any] | Callable[[Mapping[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class Step:
    """One tool call of a flow. ``args`` is a mapping (a string value ``"{contact_uuid}"`` or ``"{email}"`` is
    replaced by that value of the event) or a function of the event context returning the arguments."""

    tool: str
    args: ArgsTemplate = field(default_factory=dict)

    def resolve(self, context: Mapping[str, Any]) -> dict[str, Any]:
        if callable(self.args):
            return dict(self.args(context))
        return {key: _fill(value, context) for key, value in self.args.items()}


def _fill(value: Any, context: Mapping[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in context:
        return context[value[1:-1]]
    return value


@dataclass(frozen=True)
class Flow:
    """What to do when ``event_type`` arrives: ``steps`` in order, on one thread per delivery (:class:`Delivery`).

    A failed or declined step stops the flow when ``stop_on_error`` (the default): a later step never runs on top of
    one that did not happen. ``goal`` is what a chat model is told the flow is for (when the agent has one); the
    steps are then its guidance and their tools the only ones it can call.
    """

    name: str
    event_type: str
    steps: Sequence[Step]
    stop_on_error: bool = True
    goal: str = ""


def welcome_flow(
    promotion_uuid: str, automation_uuid: str, *, extra_steps: Iterable[Step] = (), event_type: str = "contact_created"
) -> Flow:
    """Welcome a new customer: read the program, issue a welcome voucher, start an automation (then any extras).

    ``automation_uuid`` must be runnable through the API (its trigger event is ``contact_updated``).
    """
    steps = [
        Step("get_loyalty_program"),
        Step("create_voucher", {"promotion_uuid": promotion_uuid, "contact_uuid": "{contact_uuid}"}),
        Step("trigger_automation", {"automation_uuid": automation_uuid, "contact_uuid": "{contact_uuid}"}),
        *extra_steps,
    ]
    goal = (
        "Welcome the new customer: read the loyalty program, issue the welcome voucher and start the welcome "
        "automation for them (then any further steps)."
    )
    return Flow("welcome", event_type, steps, goal=goal)


def event_context(event: WebhookEvent) -> dict[str, Any]:
    """The values a flow can use: ``event_type``, and ``contact_uuid`` / ``email`` when the event names a contact."""
    context: dict[str, Any] = {"event_type": event.type}
    contact = getattr(event, "contact", None)
    if contact is None:
        entity = next((getattr(event, k) for k in type(event).model_fields if k not in ("type", "data")), None)
        contact = getattr(entity, "contact", None)
    if contact is not None and getattr(contact, "uuid", None):
        context["contact_uuid"] = contact.uuid
        context["email"] = getattr(contact, "email", None)
    return context


@dataclass(frozen=True)
class Delivery:
    """A delivery's identity: event type, the entity it is about, and a hash of its body.

    Piggy retries a delivery with the same body, so a redelivery has the same identity; two different events about
    the same contact (two ``contact_updated`` with different data) do not.
    """

    event_type: str
    entity: str
    body_hash: str

    @classmethod
    def of(cls, event: WebhookEvent) -> Delivery:
        body = json.dumps({"type": event.type, "data": event.data}, sort_keys=True, separators=(",", ":"), default=str)
        digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
        return cls(event.type, _entity_uuid(event) or "account", digest)

    def as_dict(self) -> dict[str, str]:
        return {"event_type": self.event_type, "entity": self.entity, "body_hash": self.body_hash}


def _entity_uuid(event: WebhookEvent) -> str | None:
    """The uuid of the event's entity (``data.contact.uuid`` for contact events, ``data.voucher.uuid`` ...)."""
    key = EVENT_MODELS.get(event.type, (None, ""))[1]
    entity = getattr(event, key, None) if key else None
    uuid = getattr(entity, "uuid", None) if entity is not None else None
    if uuid is None:
        raw = event.data.get(key) if key else event.data
        uuid = raw.get("uuid") if isinstance(raw, dict) else None
    return str(uuid) if uuid else None


@dataclass(frozen=True)
class FlowStatus:
    """Where one flow's thread stands: ``done``, ``waiting`` (for a person's decision) or ``unfinished`` (it stopped
    mid-flow: a crash or a cancel; a redelivery or :meth:`WebhookAgent.continue_flow` continues it).
    ``pending`` names the nodes that would run next; ``unknown`` holds the ledger's alerts for calls whose outcome
    is unknown (sent, result never recorded) and could not be reconciled: a person must check those."""

    thread_id: str
    flow: str
    delivery: dict[str, Any]
    status: str
    pending: tuple[str, ...] = ()
    unknown: tuple[dict[str, Any], ...] = ()


def progress(snapshot: Any) -> str:
    """``waiting`` (a review is pending), ``unfinished`` (a run stopped mid-way) or ``done``, from ``get_state()``.

    A process killed right after a step's writes, before the next checkpoint, leaves ``next`` empty while that
    step's task still shows (e.g. only the input was saved): that thread is unfinished, not done, and
    ``invoke(None)`` continues it.
    """
    if snapshot.interrupts:
        return "waiting"
    return "unfinished" if snapshot.next or snapshot.tasks else "done"


def saved_thread_ids(checkpointer: Any) -> set[str]:
    """Every thread id the checkpointer holds: one ``SELECT DISTINCT`` for LangGraph's SQLite and PostgreSQL savers,
    the keys of the in-memory one; any other saver is read through ``list(None)`` (a pass over every checkpoint)."""
    kind = type(checkpointer).__name__
    query = "SELECT DISTINCT thread_id FROM checkpoints"
    if kind == "SqliteSaver":
        with checkpointer.cursor(transaction=False) as cur:
            return {str(row[0]) for row in cur.execute(query)}
    if kind == "PostgresSaver":
        with checkpointer._cursor() as cur:  # the saver's own connection, lock and row factory
            cur.execute(query)
            return {str(row["thread_id"]) for row in cur.fetchall()}
    if isinstance(checkpointer, InMemorySaver):
        return {str(thread) for thread in checkpointer.storage}
    return {str(t.config["configurable"].get("thread_id")) for t in checkpointer.list(None)}


def _explain(status: FlowStatus) -> str:
    if status.status == "waiting":
        return "waiting for a person's decision"
    if status.status == "unfinished":
        return "stopped mid-flow; a redelivery of its event or continue_flow() continues it"
    calls = ", ".join(f"{a.get('tool')} ({a.get('tool_call_id')})" for a in status.unknown)
    return f"finished, but the outcome of {calls} is unknown: check it in Piggy"


def _merge(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    return {**(left or {}), **(right or {})}


class FlowState(MessagesState):
    """The event, the resolved plan (checkpointed, so another process can resume), progress and approvals.

    ``ledger_alerts`` (by tool call id) are calls whose outcome is unknown after a crash; ``review_notice`` says why
    a review is asked again (a stale answer changed nothing). ``planner`` is ``steps`` (the fixed plan) or ``model``
    (a chat model plans each round; ``step`` then counts its rounds), chosen when the thread starts.
    """

    flow: str
    goal: str
    planner: str
    event: dict[str, Any]
    delivery: dict[str, Any]
    plan: list[dict[str, Any]]
    step: int
    stop_on_error: bool
    approvals: Annotated[dict[str, Any], _merge]
    ledger_alerts: Annotated[dict[str, Any], _merge]
    review_notice: str


def build_flow_graph(
    toolkit: PiggyToolkit,
    *,
    checkpointer: Any = None,
    ledger: Ledger | None = None,
    model: BaseChatModel | str | None = None,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """plan -> (approve) -> tools -> plan ... -> END: planned tool calls each round, reviewed by risk.

    Without ``model`` the planner is deterministic (the flow's steps, one per round). With one (an object or a
    ``provider:model`` string for ``init_chat_model``) a thread started with a model asks it each round for the next
    calls (see :func:`flow_prompt`). Either way the approval and tools nodes are the library's, so a destructive
    step interrupts with the HumanInTheLoopMiddleware request shape and resumes by interrupt id
    (``review_command``). Every non-read step goes through ``ledger`` (give every process the same one, next to the
    checkpointer): a replay or a second resume is answered from the record, never sent again. A process that
    continues a model-planned thread must be given a model too.
    """
    chat = _chat_model(model)
    tools = {t.name: t for t in toolkit.get_tools()}

    def plan(state: FlowState) -> dict[str, Any]:
        if state.get("planner") == "model":
            return plan_with_model(state)
        steps, index = list(state.get("plan") or []), int(state.get("step") or 0)
        failed = [m for m in state["messages"] if isinstance(m, ToolMessage) and m.status == "error"]
        if index < len(steps) and not (failed and state.get("stop_on_error", True)):
            # A contact-scoped toolkit fills in contact_uuid itself (and refuses it as an argument): the step's
            # value is dropped, so a scoped step always acts on the event's contact.
            args = {k: v for k, v in steps[index]["args"].items() if k not in toolkit.injected}
            call = {"name": steps[index]["name"], "args": args, "id": f"{state['flow']}-{index}"}
            return {"messages": [AIMessage("", tool_calls=[call])], "step": index + 1}
        return {"messages": [AIMessage(_summary(state, steps, index))]}

    def plan_with_model(state: FlowState) -> dict[str, Any]:
        if chat is None:  # nothing runs: the thread stays unfinished until a process with a model continues it
            raise RuntimeError(f"{state['flow']} flow was planned by a chat model: continue it with model=...")
        steps, rounds, messages = list(state.get("plan") or []), int(state.get("step") or 0), state["messages"]
        failed = any(isinstance(m, ToolMessage) and m.status == "error" for m in messages)
        stop = failed and state.get("stop_on_error", True)
        if rounds >= len(steps) + EXTRA_MODEL_ROUNDS:
            return {"messages": [AIMessage(_model_summary(state, f"stopped after {rounds} model rounds"))]}
        allowed = [tools[name] for name in dict.fromkeys(s["name"] for s in steps) if name in tools]
        bound = chat.bind_tools(allowed) if allowed else chat
        reply = bound.invoke([SystemMessage(flow_prompt(state, toolkit, stop=stop)), *in_call_order(messages)])
        if stop or not isinstance(reply, AIMessage) or not reply.tool_calls:
            # The flow ends here; calls a model makes after a failed or declined step are not followed.
            text = reply.text.strip() if isinstance(reply, AIMessage) else ""
            return {"messages": [AIMessage(text or _model_summary(state, "stopped"))], "step": rounds + 1}
        names = {s["name"] for s in steps}
        calls = [
            {**c, "args": {k: v for k, v in _storable(c["args"]).items() if k not in toolkit.injected}}
            for c in reply.tool_calls
        ]
        stored = check_call_ids(reply.model_copy(update={"tool_calls": calls}), messages)
        answered = {m.tool_call_id for m in stored if isinstance(m, ToolMessage)}
        outside = [
            ToolMessage(
                f"Not run: {c['name']} is not a step of the {state['flow']} flow; use only the flow's tools.",
                tool_call_id=c["id"],
                name=c["name"],
                status="error",
            )
            for c in stored[0].tool_calls
            if c["name"] not in names and c["id"] not in answered
        ]
        return {"messages": [*stored, *outside], "step": rounds + 1}

    def after_plan(state: FlowState) -> Any:
        if not pending_tool_calls(state["messages"]):
            return END
        if needs_approval(toolkit, state["messages"]):
            return "approve"
        return route_tool_calls(toolkit, dict(state))

    def after_approve(state: FlowState) -> Any:
        return route_after_approval(toolkit, dict(state), done="plan")

    builder = StateGraph(FlowState)
    builder.add_node("plan", plan)
    approve: Any = make_approval_node(toolkit)
    builder.add_node("approve", approve)
    # One task per call, through the ledger. No retry policy on this node: a retry is a replay.
    tools_task: Any = make_tool_task(toolkit, ledger)
    builder.add_node("tools", tools_task)
    builder.add_edge(START, "plan")
    builder.add_conditional_edges("plan", after_plan, ["approve", "tools", END])
    builder.add_conditional_edges("approve", after_approve, ["approve", "tools", "plan"])
    builder.add_edge("tools", "plan")
    return with_sync_durability(builder.compile(checkpointer=checkpointer))


#: Model rounds a flow may take beyond one per step (a lookup, a retry after an invalid argument) before it stops.
EXTRA_MODEL_ROUNDS = 2

FLOW_PROMPT = """You run the automated "{flow}" flow of a loyalty program, started by the Piggy webhook event \
{event_type}. No person is chatting with you; staff read your final message.
Goal: {goal}
Event: {context}
Planned steps (your guidance: call these tools with these arguments, in this order, unless a result shows \
otherwise; steps that do not depend on each other may be called at once):
{steps}
Call only the tools you are given. A destructive call waits for a person's review before it runs. When the goal is \
reached, or cannot be, call no tool and reply with one short paragraph for the staff saying what was done."""

STOP_NOTE = (
    "A step failed or was declined, so the flow stops here: call no tool, and reply with one short paragraph for the "
    "staff saying what was done and what was not."
)


def flow_prompt(state: Mapping[str, Any], toolkit: PiggyToolkit, *, stop: bool = False) -> str:
    """The system prompt of a model-planned flow: its goal, the event's values and its steps as guidance."""
    context = ", ".join(f"{k}={v}" for k, v in (state.get("event") or {}).items() if v is not None)
    lines = []
    for i, step in enumerate(state.get("plan") or [], 1):
        args = {k: v for k, v in step["args"].items() if k not in toolkit.injected}
        lines.append(f"{i}. {step['name']} {json.dumps(args, default=str)}")
    goal = state.get("goal") or f"run the {state.get('flow')} flow for this event."
    prompt = FLOW_PROMPT.format(
        flow=state.get("flow"),
        event_type=(state.get("event") or {}).get("event_type", "event"),
        goal=goal,
        context=context or "(no values)",
        steps="\n".join(lines) or "(none)",
    )
    return f"{prompt}\n\n{STOP_NOTE}" if stop else prompt


def _model_summary(state: FlowState, ending: str) -> str:
    """The final message of a model-planned flow when the model gives none: each call's outcome, in order."""
    answers = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    parts = [f"{m.name} {'failed' if m.status == 'error' else 'done'}" for m in answers] or ["no step run"]
    return f"{state['flow']} flow for {state['event'].get('contact_uuid', 'the event')}: {'; '.join(parts)}; {ending}."


def _summary(state: FlowState, steps: list[dict[str, Any]], index: int) -> str:
    answers = {m.tool_call_id: m for m in state["messages"] if isinstance(m, ToolMessage)}
    parts = []
    for i, step in enumerate(steps):
        answer = answers.get(f"{state['flow']}-{i}")
        outcome = "not run" if i >= index or answer is None else ("failed" if answer.status == "error" else "done")
        parts.append(f"{step['name']} {outcome}")
    return f"{state['flow']} flow for {state['event'].get('contact_uuid', 'the event')}: " + "; ".join(parts) + "."


class WebhookAgent:
    """Runs flows for webhook events in background threads, one checkpointed thread per event.

    Steps come from configuration and the contact from a verified event, so the staff toolkit is used by default.
    ``scoped=True`` adds defence in depth: each turn runs with a copy of the toolkit bound to the event's contact,
    so a step can read or change only that customer (every step's tool must then be contact-scoped).

    The thread is named after the delivery's identity (:class:`Delivery`), so Piggy's retries of one event land on
    one thread: a finished flow is not run again, a flow waiting for a person stays waiting, and a flow that stopped
    mid-way (the process died) is continued from its checkpoint. Unfinished flows are logged when the agent starts
    (``unfinished_at_start``) and listed by :meth:`unfinished`.

    ``model`` (a chat model, or ``provider:model`` for ``init_chat_model``; a missing package or key is a
    ``ModelSetupError``) makes each new flow model-planned (see :func:`build_flow_graph`); without it, the steps run
    as configured, offline.
    """

    def __init__(
        self,
        toolkit: PiggyToolkit,
        flows: Iterable[Flow],
        *,
        checkpointer: Any = None,
        ledger: Ledger | str | None = None,
        scoped: bool = False,
        max_workers: int = 4,
        model: BaseChatModel | str | None = None,
    ) -> None:
        self.toolkit = toolkit
        self.model = _chat_model(model)
        self.flows: dict[str, Flow] = {}
        for flow in flows:
            if flow.event_type in self.flows:
                raise ValueError(f"two flows for {flow.event_type}")
            self.flows[flow.event_type] = flow
        wanted = {s.tool for f in self.flows.values() for s in f.steps}
        unknown = sorted(wanted - {s.name for s in toolkit.specs})
        if unknown:
            raise ValueError(f"flow step(s) name tools this toolkit does not have: {', '.join(unknown)}")
        unscoped = sorted(wanted - {s.name for s in select_specs(toolkit.specs, scoped=True)})
        if scoped and unscoped:
            raise ValueError(f"{', '.join(unscoped)} can reach other customers: not allowed when scoped=True")
        self._stack = ExitStack()
        url: str | None = None
        if checkpointer is None or isinstance(checkpointer, str):
            url = checkpointer or "memory"
            checkpointer = InMemorySaver() if url == "memory" else self._stack.enter_context(open_checkpointer(url))
        self.checkpointer = checkpointer
        if isinstance(ledger, str) or (ledger is None and url is not None):
            where = ledger if isinstance(ledger, str) else ledger_url(url or "memory")
            ledger = self._stack.enter_context(open_ledger(where))
        elif ledger is None:
            logger.warning("no ledger given with a checkpointer object: an in-memory ledger protects this process only")
            ledger = MemoryLedger()
        self.ledger: Ledger = ledger
        self.scoped = scoped
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="piggy-webhook-agent")
        self._futures: set[Future[Any]] = set()
        self._running: set[str] = set()
        self._lock = threading.Lock()
        self._reader = build_flow_graph(toolkit, checkpointer=self.checkpointer, ledger=self.ledger, model=self.model)
        self.unfinished_at_start = self.unfinished()
        for status in self.unfinished_at_start:
            logger.warning("%s flow on thread %s: %s", status.flow, status.thread_id, _explain(status))

    # -- receiving -------------------------------------------------------------------------------------------
    @property
    def event_types(self) -> list[str]:
        return list(self.flows)

    def handle(self, event: WebhookEvent) -> None:
        """The webhook handler: schedule the flow's turn and return at once (Piggy gets its 200 immediately)."""
        if event.type not in self.flows:
            return
        future = self._executor.submit(self._run_safely, event)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._futures.discard(future)

    def _run_safely(self, event: WebhookEvent) -> None:
        try:
            self.run_turn(event)
        except Exception:
            logger.exception("webhook agent turn for %s failed", event.type)

    # -- running ---------------------------------------------------------------------------------------------
    def thread_id(self, flow: Flow, delivery: Delivery) -> str:
        """``<flow>-<entity uuid>-<16 hex of the body hash>``: one thread per event, found again on redelivery."""
        return f"{flow.name}-{delivery.entity}-{delivery.body_hash[:16]}"

    def config(self, thread_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": thread_id}}

    def graph(self, contact_uuid: str | None = None) -> CompiledStateGraph[Any, Any, Any, Any]:
        """The flow graph on this agent's checkpointer; scoped to ``contact_uuid`` when the agent is scoped."""
        if not self.scoped or contact_uuid is None:
            return self._reader
        base = self.toolkit
        scoped = PiggyToolkit(
            client=base.client,
            async_client=base.async_client,
            include=[s.name for s in base.specs],
            default_shop_uuid=base.injected.get("shop_uuid"),
            contact_uuid=contact_uuid,
        )
        return build_flow_graph(scoped, checkpointer=self.checkpointer, ledger=self.ledger, model=self.model)

    def run_turn(self, event: WebhookEvent) -> str | None:
        """Run the flow for this event now (in the calling thread); returns its thread id, None when skipped.

        A redelivery of a finished flow, or of one waiting for a person, is skipped; a redelivery of a flow that
        stopped mid-way continues it from its checkpoint (a step already sent is answered from the execution
        ledger, never sent again).
        """
        flow = self.flows.get(event.type)
        if flow is None:
            return None
        context = event_context(event)
        if self.scoped and not context.get("contact_uuid"):
            logger.warning("%s event names no contact; the scoped %s flow is skipped", event.type, flow.name)
            return None
        delivery = Delivery.of(event)
        thread = self.thread_id(flow, delivery)
        with self._lock:
            if thread in self._running:
                return None
            self._running.add(thread)
        try:
            state = self._reader.get_state(self.config(thread))
            if state.values:
                if progress(state) == "unfinished":
                    logger.warning("%s redelivered for unfinished thread %s: continuing it", event.type, thread)
                    self._continue(thread, state.values)
                    return thread
                why = "waiting for a person's decision" if state.interrupts else "already handled"
                logger.info("%s %s (thread %s); duplicate delivery ignored", event.type, why, thread)
                return None
            plan = [{"name": s.tool, "args": s.resolve(context)} for s in flow.steps]
            text = (
                f"Piggy event {event.type} for {context.get('email') or context.get('contact_uuid')}: run {flow.name}."
            )
            start = {
                "messages": [HumanMessage(text)],
                "flow": flow.name,
                "goal": flow.goal,
                "planner": "steps" if self.model is None else "model",
                "event": context,
                "delivery": delivery.as_dict(),
                "plan": plan,
                "step": 0,
                "stop_on_error": flow.stop_on_error,
                "approvals": {},
            }
            self.graph(context.get("contact_uuid")).invoke(start, self.config(thread), durability="sync")
            return thread
        finally:
            with self._lock:
                self._running.discard(thread)

    def _continue(self, thread_id: str, values: Mapping[str, Any]) -> None:
        contact = (values.get("event") or {}).get("contact_uuid")
        self.graph(contact).invoke(None, self.config(thread_id), durability="sync")

    def continue_flow(self, thread_id: str) -> bool:
        """Continue a flow that stopped mid-way (see :meth:`unfinished`); False when it is done or waiting."""
        with self._lock:
            if thread_id in self._running:
                return False
            self._running.add(thread_id)
        try:
            state = self.state(thread_id)
            if not state.values or progress(state) != "unfinished":
                return False
            self._continue(thread_id, state.values)
            return True
        finally:
            with self._lock:
                self._running.discard(thread_id)

    # -- reviewing -------------------------------------------------------------------------------------------
    def flow_threads(self, contact_uuid: str | None = None) -> list[str]:
        """The thread ids of this agent's flows in the checkpointer (of one contact when given), sorted."""
        prefixes = tuple(f"{f.name}-{contact_uuid}-" if contact_uuid else f"{f.name}-" for f in self.flows.values())
        return sorted({t for t in saved_thread_ids(self.checkpointer) if t.startswith(prefixes)})

    def status(self, thread_id: str) -> FlowStatus | None:
        """Where a flow stands (see :class:`FlowStatus`); None for a thread that is not one of this agent's flows."""
        state = self.state(thread_id)
        values = state.values or {}
        if values.get("flow") not in {f.name for f in self.flows.values()}:
            return None
        kind = progress(state)
        alerts = (values.get("ledger_alerts") or {}).values()
        unknown = tuple(a for a in alerts if isinstance(a, dict) and a.get("happened") is None)
        delivery = dict(values.get("delivery") or {})
        return FlowStatus(thread_id, values["flow"], delivery, kind, tuple(state.next), unknown)

    def unfinished(self) -> list[FlowStatus]:
        """Flows that need a look: waiting for a person, stopped mid-way (to continue), or finished with a step
        whose outcome is unknown (sent, never recorded, not reconciled: a person must check it in Piggy)."""
        found = (self.status(thread) for thread in self.flow_threads())
        return [s for s in found if s is not None and (s.status != "done" or s.unknown)]

    def state(self, thread_id: str) -> Any:
        return self._reader.get_state(self.config(thread_id))

    def pending_approval(self, thread_id: str) -> dict[str, Any] | None:
        """The interrupt a person must decide (``action_requests`` / ``review_configs``), or None."""
        interrupts = self.state(thread_id).interrupts
        return dict(interrupts[0].value) if interrupts else None

    def resume(self, thread_id: str, decisions: list[dict[str, Any]]) -> dict[str, Any]:
        """Answer the pending review (one decision per request) and continue the flow; returns the final state.

        The decisions are addressed to the review pending now, by its interrupt id: if it was answered meanwhile (a
        double click, another reviewer), they apply to nothing, and a newer review is never approved by them.
        """
        snapshot = self.state(thread_id)
        command = review_command(snapshot, decisions)
        if command is None:
            raise ValueError(f"thread {thread_id} has no review waiting for a decision")
        contact = (snapshot.values.get("event") or {}).get("contact_uuid")
        result: dict[str, Any] = self.graph(contact).invoke(command, self.config(thread_id), durability="sync")
        return result

    # -- lifecycle -------------------------------------------------------------------------------------------
    def wait_idle(self, timeout: float = 30) -> bool:
        """Wait for scheduled turns to finish (tests, shutdown); True when none is left."""
        with self._lock:
            pending = set(self._futures)
        _done, not_done = wait_futures(pending, timeout=timeout)
        return not not_done

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._stack.close()


def create_app(
    toolkit: PiggyToolkit,
    *,
    secret: str,
    flows: Iterable[Flow],
    checkpointer: Any = None,
    ledger: Ledger | str | None = None,
    path: str = "/piggy/webhooks",
    scoped: bool = False,
    model: BaseChatModel | str | None = None,
) -> FastAPI:
    """A FastAPI app receiving signed Piggy webhooks at ``path``; ``app.state.agent`` is the ``WebhookAgent``.

    ``checkpointer`` is a LangGraph checkpointer or a URL (``memory``, ``sqlite:///path.db``, ``postgresql://...``);
    the execution ledger is opened at the same URL unless ``ledger`` (a ``Ledger`` or URL) is given. With a
    checkpointer object, pass ``ledger`` too, so that every process shares it. ``model`` (optional) plans each
    flow with a chat model instead of running its steps as configured.
    """
    agent = WebhookAgent(toolkit, flows, checkpointer=checkpointer, ledger=ledger, scoped=scoped, model=model)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        agent.close()  # let running turns finish, then close a checkpointer opened from a URL

    app = FastAPI(title="Piggy webhook agent", lifespan=lifespan)
    app.include_router(webhook_router(secret, dict.fromkeys(agent.event_types, agent.handle), path=path))
    app.state.agent = agent
    return app


def create_app_from_env(model: BaseChatModel | str | None = None) -> FastAPI:
    """``uvicorn --factory graphs.webhook_agent:create_app_from_env``: a welcome flow configured from the environment.

    ``PIGGY_API_KEY`` / ``PIGGY_BASE_URL`` (the client), ``PIGGY_WEBHOOK_SECRET`` (the subscription secret),
    ``PIGGY_WELCOME_PROMOTION_UUID``, ``PIGGY_WELCOME_AUTOMATION_UUID``, optional ``PIGGY_CHECKPOINTER`` (URL) and
    ``PIGGY_AGENT_MODEL`` (``provider:model``: a chat model plans the flow; unset: the fixed steps, offline).
    """
    flow = welcome_flow(os.environ["PIGGY_WELCOME_PROMOTION_UUID"], os.environ["PIGGY_WELCOME_AUTOMATION_UUID"])
    return create_app(
        PiggyToolkit(),
        secret=os.environ["PIGGY_WEBHOOK_SECRET"],
        flows=[flow],
        checkpointer=os.environ.get("PIGGY_CHECKPOINTER", "memory"),
        model=model if model is not None else os.environ.get("PIGGY_AGENT_MODEL") or None,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m graphs.webhook_agent [--host H] [--port N] [--model provider:model]``: serve
    ``create_app_from_env()`` with uvicorn; a model that cannot be set up is one line on stderr and exit code 2."""
    import argparse
    import sys

    import uvicorn

    from graphs.support_agent.graph import ModelSetupError

    parser = argparse.ArgumentParser(
        prog="python -m graphs.webhook_agent",
        description=f"{__doc__}\n{create_app_from_env.__doc__}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--model",
        default=os.environ.get("PIGGY_AGENT_MODEL") or None,
        help="a chat model as provider:model that plans each flow, e.g. openai:gpt-4.1-mini (default: "
        "PIGGY_AGENT_MODEL, else the flow's fixed steps, offline)",
    )
    args = parser.parse_args(argv)
    try:
        model = _chat_model(args.model)
    except ModelSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(create_app_from_env(model), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
