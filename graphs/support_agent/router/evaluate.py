"""Run the offline router over corpus records against a demo sandbox, and score it with ``scoring.score``.

Read tools run for real; the first call that writes, spends or deletes is recorded and not executed (it is what a
reviewer would be asked to approve), exactly as ``corpus/README.md`` describes for any model.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from graphs.support_agent import offline
from graphs.support_agent.intents import BY_NAME, OUT_OF_SCOPE, classify
from graphs.support_agent.scoring import Score, expected_label, label, read_only_tools, score
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit

MAX_STEPS = 8


@dataclass
class Outcome:
    """What the router did for one record, and its score."""

    record: Mapping[str, Any]
    intent: str
    calls: list[dict[str, Any]]
    answer: str
    score: Score
    label: str


class Runner:
    """Runs records through classify + plan, with a toolkit per voice (staff, or scoped to one customer)."""

    def __init__(self, client: PiggyClient) -> None:
        self.client = client
        self.reads = read_only_tools()
        self._toolkits: dict[str | None, tuple[PiggyToolkit, dict[str, Any]]] = {}

    def toolkit(self, contact: str | None) -> tuple[PiggyToolkit, dict[str, Any]]:
        if contact not in self._toolkits:
            kit = PiggyToolkit(client=self.client, default_shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=contact)
            self._toolkits[contact] = (kit, {t.name: t for t in kit.get_tools()})
        return self._toolkits[contact]

    def run(self, record: Mapping[str, Any]) -> Outcome:
        kit, tools = self.toolkit(record.get("contact"))
        messages: list[AnyMessage] = []
        memory: dict[str, Any] = {"default_shop": "shop_uuid" in kit.injected}
        calls: list[dict[str, Any]] = []
        intent, answer = OUT_OF_SCOPE.name, ""
        for text in [*record.get("before", []), record["text"]]:
            messages.append(HumanMessage(text))
            intent, calls, answer = self._turn(text, messages, memory, kit, tools)
        oos = intent == OUT_OF_SCOPE.name
        return Outcome(record, intent, calls, answer, score(record, calls, self.reads), label(calls, out_of_scope=oos))

    def _turn(
        self, text: str, messages: list[AnyMessage], memory: dict[str, Any], kit: PiggyToolkit, tools: dict[str, Any]
    ) -> tuple[str, list[dict[str, Any]], str]:
        intent = classify(text)
        calls: list[dict[str, Any]] = []
        if intent == OUT_OF_SCOPE.name:
            return intent, calls, "out of scope"
        available = {name for name in BY_NAME[intent].tools if name in tools}
        for _ in range(MAX_STEPS):
            turn = offline.turn_from(messages, memory, scoped=kit.contact_uuid is not None, available=available)
            reply = offline.plan(intent, turn)
            found = turn.results.get("get_contact")
            if isinstance(found, dict) and found.get("uuid"):
                memory["contact"] = {k: found.get(k) for k in ("uuid", "email", "name")}
            if not isinstance(reply, AIMessage) or not reply.tool_calls:
                messages.append(reply)
                return intent, calls, str(reply.content)
            calls += [{"name": c["name"], "args": c["args"]} for c in reply.tool_calls]
            if any(c["name"] not in self.reads for c in reply.tool_calls):
                return intent, calls, ""
            messages.append(reply)
            for call in reply.tool_calls:
                result = tools[call["name"]].invoke({**call, "type": "tool_call"})
                messages.append(
                    result if isinstance(result, ToolMessage) else ToolMessage(str(result), tool_call_id=call["id"])
                )
        return intent, calls, ""


def accuracy(outcomes: Iterable[Outcome]) -> float:
    items = list(outcomes)
    return sum(o.score.ok for o in items) / max(1, len(items))


def confusion(outcomes: Iterable[Outcome]) -> dict[str, Counter[str]]:
    """Per expected label, what the router did (its label), for the records it got wrong and right."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for o in outcomes:
        expected = expected_label(o.record)
        table[expected][expected if o.score.ok else o.label] += 1
    return table
