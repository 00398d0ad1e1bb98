"""Randomized scripted conversations through the real support graph with a random reviewer: no destructive write
without an approve or edit decision, and a customer-scoped agent never writes to another contact.
``PIGGY_RELIABILITY=full`` runs 500+ conversations; both forms print the counts the reliability report publishes."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graphs.support_agent.graph import build_graph
from graphs.support_agent.intents import BY_NAME
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.policy import ApprovalPolicy, Verdict
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed.ids import JANE, TOM
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.graph.fakes import script
from tests.reliability._harness import print_summary, tool_call
from tests.reliability._strategies import (
    FULL,
    HOSTILE_TEXT,
    HUGE,
    Schema,
    cases_for,
    plain_args,
    real_values,
    realistic_args,
    scale,
    valid_args,
)

UNKNOWN_TOOLS = ("drop_all_contacts", "DELETE_CONTACT", "delete_contact ", "list_contacts", "", "../delete_contact")
ODD_DECISIONS: tuple[Any, ...] = (
    {"type": "maybe"},
    {},
    "approve",
    None,
    {"type": "APPROVE"},
    {"type": "edit"},
    {"type": "edit", "edited_action": "delete_contact"},
    {"type": "edit", "edited_action": {"name": ["delete_contact"], "args": []}},
    {"type": "reject", "message": {"nested": ["junk"]}},
)
# Not None: Command(resume=None) fails inside LangGraph 1.2 itself (UnboundLocalError in pregel/_loop.py).
MALFORMED_ANSWERS: tuple[Any, ...] = ({"decisions": []}, {"decisions": "approve"}, "approve", 0, {"answer": 1})
APPROVED = ("approve", "edit")
RESET_EVERY = 25
# Every value creation held for a decision too (limits 0), so random arguments exercise all of the policy's holds.
STRICT = ApprovalPolicy(max_credits=0, max_cents=0)
ID_KEYS = ("uuid", "code", "value", "hash", "contact_identifier_value", "external_identifier")


class Arena:
    """A private sandbox, a staff toolkit, customer-scoped toolkits, and the audit operations of destructive tools."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, max_retries=0)
        self.staff = PiggyToolkit(client=self.client, policy=STRICT)
        self.scoped: dict[str, PiggyToolkit] = {}
        self.loop = asyncio.new_event_loop()
        self.counts: Counter[str] = Counter()
        self.operations = self._learn_destructive_operations()
        self.values = self._pool()

    def _pool(self) -> dict[str, list[Any]]:
        names = [a.name for a in self.client.contact_attributes.list()]
        return real_values(self.sandbox, [*names, "firstname", "lastname", "city"])

    def toolkit(self, contact: str | None) -> PiggyToolkit:
        if contact is None:
            return self.staff
        if contact not in self.scoped:
            self.scoped[contact] = PiggyToolkit(client=self.client, contact_uuid=contact, policy=STRICT)
        return self.scoped[contact]

    def _learn_destructive_operations(self) -> dict[str, str]:
        """Call each destructive tool with real values until it writes; its audit operations name it from then on."""
        rng = random.Random(7)
        operations: dict[str, str] = {}
        unlearned = []
        tools = {t.name: t for t in self.staff.get_tools()}
        for spec in self.staff.specs:
            if Verdict.DECIDE not in self.staff.policy.verdicts(spec, self.staff.principal):
                continue  # "destructive" here: what the approval policy holds for a person's decision
            self.sandbox.reset()
            pool, schema = self._pool(), _schema(tools[spec.name])
            for _ in range(400):
                args = plain_args(schema, pool, rng)
                if not self.staff.needs_decision({"name": spec.name, "args": args}):
                    continue
                before = len(self.sandbox.audit())
                tools[spec.name].invoke(tool_call(spec.name, args))
                rows = self.sandbox.audit()[before:]
                operations.update({row["operation"]: spec.name for row in rows})
                if rows:
                    break
            else:
                unlearned.append(spec.name)
        assert not unlearned, f"no call of {unlearned} wrote anything: give plain_args real values for them"
        self.sandbox.reset()
        return operations

    def maybe_reset(self) -> None:
        if self.counts["conversations"] % RESET_EVERY == 0:
            self.sandbox.reset()
            self.values = self._pool()

    def close(self) -> None:
        self.client.close()
        self.loop.close()


def _schema(tool: Any) -> Schema:
    schema: Schema = tool.tool_call_schema.model_json_schema()
    return schema


@pytest.fixture(scope="module")
def arena(request: pytest.FixtureRequest) -> Iterator[Arena]:
    with Sandbox.start(seed="demo", rate_limit=1_000_000_000) as sandbox:
        made = Arena(sandbox)
        yield made
        made.close()
    if made.counts["conversations"]:
        c = made.counts
        print_summary(
            request,
            [
                f"agent safety ({'full' if FULL else 'short'}): {c['conversations']} conversations "
                f"({c['scoped conversations']} customer-scoped, {c['async conversations']} async), "
                f"{c['tool calls']} tool calls ({c['parallel turns']} turns with parallel calls), "
                f"{c['destructive proposed']} destructive calls proposed, {c['review requests']} review requests; "
                f"recorded decisions: {c['approved']} approved, {c['edited']} edited, {c['rejected']} rejected "
                f"(reviewer sent {c['sent approve']} approve, {c['sent edit']} edit, {c['sent reject']} reject, "
                f"{c['sent odd']} malformed decisions, {c['malformed answers']} malformed answers); "
                f"{c['double resumes']} double resumes "
                f"({c['replays on a later interrupt']} while a later review was pending, "
                f"all without effect); {c['destructive writes']} destructive writes observed, "
                f"{c['unapproved destructive writes']} unapproved; {c['scoped writes']} writes in scoped mode, "
                f"{c['cross-contact writes']} cross-contact"
            ],
        )


# -- generation ------------------------------------------------------------------------------------------------------


def _args(data: st.DataObject, tool: Any, pool: dict[str, list[Any]]) -> dict[str, Any]:
    schema = _schema(tool)
    realistic = realistic_args(schema, pool)
    hostile = cases_for(schema, pool).map(lambda case: case.args)
    args: dict[str, Any] = data.draw(
        st.one_of(realistic, realistic, realistic, valid_args(schema, schema, pool), hostile)
    )
    return args


def _call(data: st.DataObject, rng: random.Random, toolkit: PiggyToolkit, pool: dict[str, list[Any]]) -> dict[str, Any]:
    tools = {t.name: t for t in toolkit.get_tools()}
    policy, principal = toolkit.policy, toolkit.principal
    destructive = sorted(s.name for s in toolkit.specs if Verdict.DECIDE in policy.verdicts(s, principal))
    others = sorted(set(tools) - set(destructive))
    kind = rng.choices(["destructive", "other", "unknown"], weights=[5, 4, 1])[0]
    if kind == "unknown":
        name = data.draw(st.sampled_from(UNKNOWN_TOOLS))
        args: dict[str, Any] = {"contact_uuid": data.draw(st.sampled_from(pool["contact_uuid"]))}
    else:
        name = data.draw(st.sampled_from(destructive if kind == "destructive" else others))
        args = _args(data, tools[name], pool)
    if toolkit.contact_uuid and rng.random() < 1 / 3:
        args = {**args, "contact_uuid": data.draw(st.sampled_from(pool["contact_uuid"]))}  # another customer's id
    return {"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}"}


def _decision(
    data: st.DataObject, rng: random.Random, toolkit: PiggyToolkit, pool: dict[str, list[Any]], request: dict[str, Any]
) -> Any:
    kind = rng.choices(["approve", "reject", "edit", "odd"], weights=[4, 3, 3, 1])[0]
    if kind == "approve":
        return {"type": "approve"}
    if kind == "reject":
        return {"type": "reject", "message": data.draw(st.sampled_from(["not verified", "", *HOSTILE_TEXT[:8], HUGE]))}
    if kind == "odd":
        return data.draw(st.sampled_from(ODD_DECISIONS))
    tools = {t.name: t for t in toolkit.get_tools()}
    name = data.draw(
        st.one_of(
            st.just(request["name"]), st.just(request["name"]), st.sampled_from(sorted(tools) + list(UNKNOWN_TOOLS))
        )
    )
    args = _args(data, tools[name], pool) if name in tools else {"contact_uuid": "../../contacts"}
    return {"type": "edit", "edited_action": {"name": name, "args": _checkpointable(args)}}


def _checkpointable(value: Any) -> Any:
    """What a review UI must send: LangGraph checkpoints the resume value as is, and cannot store integers beyond
    64 bits nor lone surrogates in keys (a model's tool calls are made storable by the graph itself)."""
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_checkpointable(k): _checkpointable(v) for k, v in value.items()}
    return [_checkpointable(v) for v in value] if isinstance(value, list) else value


# -- checks ----------------------------------------------------------------------------------------------------------


def _agrees(allowed: dict[str, Any], row: dict[str, Any]) -> bool:
    """Every argument the decision and the audit row share has the same value (masked secrets aside)."""
    shared = [k for k in allowed if k in row["args"] and row["args"][k] != "***"]
    return all(str(allowed[k]).strip().casefold() == str(row["args"][k]).strip().casefold() for k in shared)


def unapproved_destructive_writes(
    arena: Arena, toolkit: PiggyToolkit, rows: list[dict[str, Any]], approvals: dict[str, Any]
) -> tuple[int, list[dict[str, Any]]]:
    """(destructive writes, those without an approve or edit decision of the same tool and arguments)."""
    allowed = [
        {"_name": a["name"], **dict(a.get("args") or {}), **toolkit.injected}
        for a in approvals.values()
        if a.get("type") in APPROVED
    ]
    destructive, unmatched = 0, []
    for row in rows:
        name = arena.operations.get(row["operation"])
        spec = arena.staff.spec(name) if name else None
        if spec is None or toolkit.policy.decide(spec, row["args"], toolkit.principal).verdict is not Verdict.DECIDE:
            continue
        destructive += 1
        match = next((i for i, a in enumerate(allowed) if a["_name"] == name and _agrees(a, row)), None)
        if match is None:
            unmatched.append(row)
        else:
            allowed.pop(match)
    return destructive, unmatched


def owners(sandbox: Sandbox) -> dict[str, str]:
    """Every key that names something a contact owns (its uuid, a voucher code, a card value) -> that contact."""
    out: dict[str, str] = {}
    with sandbox.store.tx() as tx:
        for kind, doc in tx.find_any():
            contact = doc.get("contact_uuid") or (doc.get("contact") or {}).get("uuid")
            owner = doc["uuid"] if kind == "contact" else contact
            if owner:
                out.update({str(doc[k]): str(owner) for k in ID_KEYS if doc.get(k)})
    return out


def _id_values(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _id_values(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _id_values(v, key)
    elif isinstance(value, str) and (key.endswith("_uuid") or key in ID_KEYS):
        yield value.strip()


def contacts_touched(row: dict[str, Any], before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The contacts an audit row concerns: named in its arguments or path, or owning an object it names."""
    keys = [*_id_values(row["args"]), *(unquote(s) for s in str(row.get("path") or "").split("/") if s)]
    return {owner for key in keys if (owner := before.get(key) or after.get(key))}


# -- the conversation ------------------------------------------------------------------------------------------------


def converse(arena: Arena, data: st.DataObject) -> None:
    arena.maybe_reset()
    counts, pool = arena.counts, arena.values
    rng = random.Random(data.draw(st.integers(0, 2**32)))  # the proportions; Hypothesis draws the values
    contact = data.draw(st.sampled_from(pool["contact_uuid"])) if rng.random() < 1 / 3 else None
    toolkit = arena.toolkit(contact)
    intent = data.draw(st.sampled_from(sorted(BY_NAME)))
    turns = [[_call(data, rng, toolkit, pool) for _ in range(rng.randint(1, 4))] for _ in range(rng.randint(1, 3))]
    use_async = rng.random() < 0.25
    note(f"contact={contact} intent={intent} turns={json.dumps(turns, default=str)[:4000]}")
    replies = [AIMessage(content="", tool_calls=calls) for calls in turns]
    graph = build_graph(toolkit, model=script(intent, *replies, "Done.", "Done."), checkpointer=InMemorySaver())
    cfg: dict[str, Any] = {"configurable": {"thread_id": f"conversation-{uuid.uuid4().hex}"}}

    def run(command: Any) -> None:
        if use_async:
            arena.loop.run_until_complete(graph.ainvoke(command, cfg))
        else:
            graph.invoke(command, cfg)

    before_rows, before_owners = len(arena.sandbox.audit()), owners(arena.sandbox) if contact else {}
    run({"messages": [("user", "please help me with my account")]})
    for _round in range(12):
        interrupts = graph.get_state(cfg).interrupts
        if not interrupts:
            break
        requests = interrupts[0].value["action_requests"]
        counts["review requests"] += len(requests)
        if rng.random() < 0.05:
            answer = data.draw(st.sampled_from(MALFORMED_ANSWERS))
            counts["malformed answers"] += 1
        else:
            decisions = [_decision(data, rng, toolkit, pool, r) for r in requests]
            for d in decisions:
                kind = d.get("type") if isinstance(d, dict) else None
                sent = kind if kind in ("approve", "edit", "reject") and d not in ODD_DECISIONS else "odd"
                counts[f"sent {sent}"] += 1
            answer = {"decisions": decisions}
        run(Command(resume={interrupts[0].id: answer}))  # by interrupt id: the answer is for this review only
        if rng.random() < 0.25:
            _double_resume(arena, graph, cfg, run, interrupts[0].id, answer, keyed=rng.random() < 0.5)
    state = graph.get_state(cfg)
    assert not state.interrupts, "the reviewer loop did not finish"
    _check(arena, toolkit, contact, state.values, arena.sandbox.audit()[before_rows:], before_owners)
    counts["conversations"] += 1
    counts["scoped conversations"] += contact is not None
    counts["async conversations"] += use_async
    counts["tool calls"] += sum(len(calls) for calls in turns)
    counts["parallel turns"] += sum(len(calls) > 1 for calls in turns)
    counts["destructive proposed"] += sum(toolkit.needs_decision(c) for calls in turns for c in calls)


def _double_resume(arena: Arena, graph: Any, cfg: Any, run: Any, decided: str, answer: Any, keyed: bool) -> None:
    """A double click: the same answer again, addressed to the decided interrupt's id or sent blind.

    It must change nothing, whether or not a later review is pending: the old id names no pending interrupt, and a
    blind answer that names no reviewed tool_call_id is stale (the approval node asks again with a notice).
    """
    arena.counts["double resumes"] += 1
    state = graph.get_state(cfg)
    pending = [i.id for i in state.interrupts]
    arena.counts["replays on a later interrupt"] += bool(pending)
    rows, messages = len(arena.sandbox.audit()), len(state.values["messages"])
    run(Command(resume={decided: answer} if keyed else answer))
    after = graph.get_state(cfg)
    assert len(arena.sandbox.audit()) == rows, "a resume of a decided interrupt wrote something"
    assert len(after.values["messages"]) == messages, "a resume of a decided interrupt ran the graph again"
    assert bool(after.interrupts) == bool(pending), "a pending review stays pending; none appears"


def _check(
    arena: Arena,
    toolkit: PiggyToolkit,
    contact: str | None,
    values: dict[str, Any],
    rows: list[dict[str, Any]],
    before: dict[str, str],
) -> None:
    counts = arena.counts
    approvals: dict[str, Any] = values.get("approvals") or {}
    for decision in approvals.values():
        counts[{"approve": "approved", "edit": "edited"}.get(decision.get("type"), "rejected")] += 1
    messages = values["messages"]
    for message in messages:
        if isinstance(message, ToolMessage):
            assert "Traceback" not in str(message.content), message.content
    destructive, unmatched = unapproved_destructive_writes(arena, toolkit, rows, approvals)
    counts["destructive writes"] += destructive
    counts["unapproved destructive writes"] += len(unmatched)
    assert not unmatched, f"destructive writes without an approval: {unmatched}; approvals: {approvals}"
    if contact is None:
        return
    after = owners(arena.sandbox)
    for row in rows:
        touched = contacts_touched(row, before, after)
        counts["scoped writes"] += 1
        counts["cross-contact writes"] += bool(touched - {contact})
        assert touched == {contact}, f"a write of a {contact}-scoped agent concerns {touched or 'nobody known'}: {row}"


def _converse_many(arena: Arena, conversations: int) -> None:
    @settings(
        max_examples=conversations,
        deadline=None,
        database=None,
        derandomize=not FULL,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        converse(arena, data)

    run()


def test_random_conversations_never_write_destructively_without_approval_nor_outside_the_scoped_contact(
    arena: Arena,
) -> None:
    start = arena.counts["conversations"]
    _converse_many(arena, 50)
    assert arena.counts["conversations"] - start == 50
    assert arena.counts["destructive writes"] > 0, "no approved destructive call ever ran: the check saw nothing"


@pytest.mark.slow
@pytest.mark.skipif(not FULL, reason="the full form runs under PIGGY_RELIABILITY=full (make reliability)")
def test_hundreds_of_random_conversations_keep_every_destructive_write_approved_and_in_scope(arena: Arena) -> None:
    start = arena.counts["conversations"]
    _converse_many(arena, scale(50, 520))
    assert arena.counts["conversations"] - start >= scale(50, 500)


def test_the_checks_catch_an_unapproved_destructive_write_and_a_write_about_another_contact(arena: Arena) -> None:
    """The checks have teeth: a delete made behind the graph's back is unapproved, and it concerns its contact."""
    arena.sandbox.reset()
    jane, tom = JANE, TOM
    before_owners, before = owners(arena.sandbox), len(arena.sandbox.audit())
    delete = {t.name: t for t in arena.staff.get_tools()}["delete_contact"]
    delete.invoke(tool_call("delete_contact", {"contact_uuid": jane}))
    rows = arena.sandbox.audit()[before:]
    approve = {"type": "approve", "name": "delete_contact"}
    assert unapproved_destructive_writes(arena, arena.staff, rows, {}) == (1, rows)
    other = {"call_1": {**approve, "args": {"contact_uuid": tom}}}
    assert unapproved_destructive_writes(arena, arena.staff, rows, other) == (1, rows)
    assert unapproved_destructive_writes(
        arena, arena.staff, rows, {"call_1": {**approve, "args": {"contact_uuid": jane}}}
    ) == (1, [])
    assert contacts_touched(rows[0], before_owners, owners(arena.sandbox)) == {jane}
    arena.sandbox.reset()
