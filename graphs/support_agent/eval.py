"""Evaluate the support agent with your own model over the held-out corpus: ``python -m graphs.support_agent.eval``.

Each record of ``corpus/test.jsonl`` runs as one conversation against a freshly reset demo sandbox: its ``before``
messages first, then its ``text``. Look-ups run for real; the first call that would write, spend or delete is
recorded and not run (it is what a reviewer would be asked about). The calls are scored with
``scoring.score``, exactly as the offline router is. Reported: tool accuracy (the right tools, arguments
ignored), argument accuracy (the record's full score), approvals asked versus expected, tokens and model calls per
turn, and latency, as a table and as JSON.

    python -m graphs.support_agent.eval                          # the offline router: the baseline, no model
    python -m graphs.support_agent.eval --model openai:gpt-4.1-mini
    python -m graphs.support_agent.eval --model openai:qwen2.5 --base-url http://localhost:11434/v1   # Ollama, vLLM
    python -m graphs.support_agent.eval --scripted               # through the openai client to a local scripted server
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import LLMResult
from langgraph.checkpoint.memory import InMemorySaver

from graphs.scripted_openai import Brain, Reply
from graphs.support_agent import scoring
from graphs.support_agent.graph import ModelSetupError, _chat_model, build_graph
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit


class Usage(BaseCallbackHandler):
    """Counts model calls and the tokens the provider reports for them."""

    def __init__(self) -> None:
        self.calls = 0
        self.tokens = 0

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.calls += 1

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        for generations in response.generations:
            for generation in generations:
                message = getattr(generation, "message", None)
                usage = getattr(message, "usage_metadata", None)
                if usage:
                    self.tokens += int(usage.get("total_tokens") or 0)


@dataclass
class Outcome:
    """One record's result."""

    id: str
    ok: bool
    tool_ok: bool
    reason: str
    calls: list[dict[str, Any]]
    approval_asked: bool
    approval_expected: bool
    turns: int
    model_calls: int
    tokens: int
    seconds: float


@dataclass
class Report:
    """The summary over all records, plus every record's outcome."""

    mode: str
    records: int
    tool_accuracy: float
    argument_accuracy: float
    approvals_asked: int
    approvals_expected: int
    approvals_matching: int
    tokens_per_turn: float
    model_calls_per_turn: float
    latency_median_s: float
    latency_p95_s: float
    outcomes: list[Outcome] = field(default_factory=list)

    def table(self) -> str:
        rows = [
            ("records", f"{self.records}"),
            ("tool accuracy", f"{self.tool_accuracy:.1%}"),
            ("argument accuracy", f"{self.argument_accuracy:.1%}"),
            (
                "approvals asked / expected",
                f"{self.approvals_asked} / {self.approvals_expected} ({self.approvals_matching} records agree)",
            ),
            ("tokens per turn", f"{self.tokens_per_turn:.0f}"),
            ("model calls per turn", f"{self.model_calls_per_turn:.2f}"),
            ("latency per record, median / p95", f"{self.latency_median_s:.3f} s / {self.latency_p95_s:.3f} s"),
        ]
        width = max(len(k) for k, _ in rows)
        lines = [f"| {'mode':{width}} | {self.mode} |", f"|{'-' * (width + 2)}|---|"]
        return "\n".join(lines + [f"| {k:{width}} | {v} |" for k, v in rows])


def run_record(record: dict[str, Any], sandbox: Sandbox, chat: BaseChatModel | None) -> Outcome:
    """One conversation on a freshly reset sandbox; the first write, spend or delete is recorded, not run."""
    sandbox.reset()
    reads = scoring.read_only_tools()
    with PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as client:
        contact = record.get("contact") if record.get("voice") == "customer" else None
        toolkit = PiggyToolkit(client=client, default_shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=contact)
        graph = build_graph(toolkit, model=chat, checkpointer=InMemorySaver())
        usage = Usage()
        config: Any = {"configurable": {"thread_id": record["id"]}, "callbacks": [usage]}
        messages = [*record.get("before", []), record["text"]]
        start = time.perf_counter()
        calls: list[dict[str, Any]] = []
        for text in messages:  # the calls of the last message are the ones scored
            calls = _turn(graph, config, text, reads)
        seconds = time.perf_counter() - start
        result = scoring.score(record, calls, reads)
        without_args = {**record, "calls": [{**c, "args": {}} for c in record.get("calls") or []]}
        asked = any(toolkit.needs_decision(c) for c in calls)
        expected = record.get("expect") == "call" and any(
            toolkit.needs_decision({"name": _first(c["tool"]), "args": c.get("args") or {}})
            for c in record.get("calls") or []
        )
    return Outcome(
        id=record["id"],
        ok=result.ok,
        tool_ok=scoring.score(without_args, calls, reads).ok,
        reason=result.reason,
        calls=calls,
        approval_asked=asked,
        approval_expected=expected,
        turns=len(messages),
        model_calls=usage.calls,
        tokens=usage.tokens,
        seconds=seconds,
    )


def _first(tool: str | list[str]) -> str:
    return tool[0] if isinstance(tool, list) else tool


def _turn(graph: Any, config: Any, text: str, reads: frozenset[str]) -> list[dict[str, Any]]:
    """Run one user message; return the tool calls the agent made, stopping before any call that is not a read."""
    calls: list[dict[str, Any]] = []
    for update in graph.stream({"messages": [("user", text)]}, config, stream_mode="updates"):
        for node, values in update.items():
            if node != "specialist" or not isinstance(values, dict):
                continue
            for message in values.get("messages") or []:
                if isinstance(message, AIMessage) and message.tool_calls:
                    calls += [{"name": c["name"], "args": c["args"]} for c in message.tool_calls]
        if any(c["name"] not in reads for c in calls):
            break  # what a reviewer would be asked to approve: recorded, never sent
    return calls


def evaluate(records: Sequence[dict[str, Any]], chat: BaseChatModel | None, mode: str) -> Report:
    outcomes = []
    with Sandbox.start(seed="demo", rate_limit=1_000_000) as sandbox:
        for record in records:
            outcomes.append(run_record(record, sandbox, chat))
    return summarise(outcomes, mode)


def summarise(outcomes: list[Outcome], mode: str) -> Report:
    n = len(outcomes) or 1
    turns = sum(o.turns for o in outcomes) or 1
    latencies = sorted(o.seconds for o in outcomes) or [0.0]
    return Report(
        mode=mode,
        records=len(outcomes),
        tool_accuracy=sum(o.tool_ok for o in outcomes) / n,
        argument_accuracy=sum(o.ok for o in outcomes) / n,
        approvals_asked=sum(o.approval_asked for o in outcomes),
        approvals_expected=sum(o.approval_expected for o in outcomes),
        approvals_matching=sum(o.approval_asked == o.approval_expected for o in outcomes),
        tokens_per_turn=sum(o.tokens for o in outcomes) / turns,
        model_calls_per_turn=sum(o.model_calls for o in outcomes) / turns,
        latency_median_s=statistics.median(latencies),
        latency_p95_s=latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
        outcomes=outcomes,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m graphs.support_agent.eval",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--model", help="provider:model (the provider's key from its usual variable); none: offline")
    parser.add_argument("--base-url", help="an OpenAI-compatible server for an openai: model (vLLM, Ollama, ...)")
    parser.add_argument(
        "--scripted",
        action="store_true",
        help="through the real openai client to a local scripted server that answers as the offline router",
    )
    parser.add_argument("--split", default="test", choices=["test", "dev"], help="corpus part (default: test)")
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument("--ids", help="only these records, comma-separated (u0001,u0044)")
    parser.add_argument("--corpus", type=Path, metavar="FILE", help="records from this JSONL file (same format)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the report, every record included")
    args = parser.parse_args(argv)
    if args.corpus:
        records = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        records = scoring.load(args.split)
    if args.ids:
        wanted = set(args.ids.split(","))
        records = [r for r in records if r["id"] in wanted]
    records = records[: args.limit]
    server = None
    try:
        if args.scripted:
            from graphs.scripted_openai import ScriptedOpenAI

            server = ScriptedOpenAI(offline_router_brain()).start()
            args.model, args.base_url = "openai:scripted", server.base_url
        chat = _model(args.model, args.base_url)
    except ModelSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    mode = "offline router" if chat is None else args.model + (" (scripted server)" if args.scripted else "")
    try:
        report = evaluate(records, chat, mode)
    finally:
        if server is not None:
            server.stop()
    print(report.table())
    failed = [o for o in report.outcomes if not o.ok]
    if failed:
        print(f"\n{len(failed)} record(s) wrong, e.g. " + "; ".join(f"{o.id}: {o.reason}" for o in failed[:3]))
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=1, default=str) + "\n", encoding="utf-8")
    return 0


def _model(model: str | None, base_url: str | None) -> BaseChatModel | None:
    if model is None or base_url is None:
        return _chat_model(model)
    if not model.startswith("openai:"):
        raise ModelSetupError("--base-url is for an OpenAI-compatible server: use --model openai:<model name>")
    try:
        from langchain.chat_models import init_chat_model

        chat: BaseChatModel = init_chat_model(model, base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY") or "-")
    except ImportError:
        raise ModelSetupError("--base-url needs langchain-openai: pip install 'piggy-agent-tools[openai]'") from None
    return chat


def offline_router_brain() -> Brain:
    """A scripted server's brain that answers as the offline router would, from what arrives over the protocol only:
    the router prompt gets the intent label; a specialist request (its intent named in the system prompt) gets the
    offline planner's next step, its tool calls as OpenAI tool calls."""
    from langchain_openai.chat_models.base import _convert_dict_to_message

    from graphs.support_agent import offline
    from graphs.support_agent.intents import classify
    from graphs.support_agent.prompts import SCOPED
    from piggy_agent_tools.tools import REGISTRY

    needs_shop = {s.name for s in REGISTRY if "shop_uuid" in s.args.model_fields}

    def brain(request: dict[str, Any]) -> Reply:
        system = next((m["content"] for m in request["messages"] if m["role"] == "system"), "")
        user = [m["content"] for m in request["messages"] if m["role"] == "user"]
        if not request.get("tools") and "Answer with exactly one label" in system:
            return classify(user[-1] if user else "")
        names: dict[str, str] = {}
        messages: list[Any] = []
        for raw in request["messages"]:
            if raw["role"] == "system":
                continue
            for call in raw.get("tool_calls") or []:
                names[call["id"]] = call["function"]["name"]
            message = _convert_dict_to_message(raw)
            if raw["role"] == "tool":
                name = names.get(raw["tool_call_id"], "")
                status = "error" if str(raw["content"]).startswith("Error") else "success"
                message = message.model_copy(update={"name": name, "status": status})
            messages.append(message)
        tools = {t["function"]["name"]: t["function"].get("parameters", {}) for t in request.get("tools") or []}
        shop_injected = any("shop_uuid" not in tools[n].get("properties", {}) for n in tools if n in needs_shop)
        memory: dict[str, Any] = {"default_shop": shop_injected}
        for message in messages:  # what the graph's memory would hold: the customer last looked up
            if getattr(message, "name", None) == "get_contact" and getattr(message, "status", "") == "success":
                try:
                    found = json.loads(str(message.content))
                except ValueError:
                    continue
                if isinstance(found, dict) and found.get("uuid"):
                    memory["contact"] = {k: found.get(k) for k in ("uuid", "email", "name")}
        intent = system.split("'", 2)[1] if system.count("'") >= 2 else "out_of_scope"
        turn = offline.turn_from(messages, memory, scoped=SCOPED.strip() in system, available=set(tools))
        reply = offline.plan(intent, turn)
        if reply.tool_calls:
            return [(c["name"], c["args"]) for c in reply.tool_calls]
        return str(reply.content)

    return brain


if __name__ == "__main__":
    sys.exit(main())
