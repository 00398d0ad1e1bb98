"""The support agent in a terminal: an interactive rich chat, or a line-by-line script with ``--jsonl`` events.

With no key and no model it starts the embedded sandbox with demo data and the offline router. Approvals show a
panel (action, description, arguments) and take approve / edit / reject; in scripts, the lines ``/approve``,
``/reject <reason>`` and ``/edit <json args>`` answer a pending approval.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any, TextIO

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langgraph.types import Command
from rich.console import Console
from rich.panel import Panel
from rich.prompt import Prompt

from graphs.support_agent.graph import build_graph
from graphs.support_agent.persistence import open_checkpointer
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import PiggyError
from piggy_agent_tools.toolkit import PiggyToolkit

EXAMPLES = [
    "How many points does jane.doe@example.com have?",
    "Add 50 points to her account",
    "Which rewards can she claim?",
    "Is voucher SPRING-10-JANE still valid?",
    "Please delete her account (GDPR)",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m graphs.support_agent", description=__doc__)
    parser.add_argument("--model", help="a chat model as provider:model (default: the offline router, no LLM)")
    parser.add_argument("--base-url", help="Piggy API base URL (default: PIGGY_BASE_URL or the embedded sandbox)")
    parser.add_argument("--api-key", help="Piggy API key (default: PIGGY_API_KEY or the embedded sandbox)")
    parser.add_argument("--db", default="memory", help="checkpointer: memory, sqlite:///file.db or postgresql://...")
    parser.add_argument("--thread", default=None, help="conversation id, to continue a saved conversation")
    parser.add_argument("--as-contact", metavar="EMAIL", help="run customer-scoped, acting only on this contact")
    parser.add_argument("--jsonl", action="store_true", help="print one JSON event per line (for scripts)")
    return parser.parse_args(argv)


class Output:
    """Where events go: rich for people, JSON lines for scripts."""

    def __init__(self, jsonl: bool, stream: TextIO) -> None:
        self.jsonl = jsonl
        self.stream = stream
        self.console = Console(file=stream, highlight=False)

    def event(self, kind: str, **data: Any) -> None:
        if self.jsonl:
            self.stream.write(json.dumps({"event": kind, **data}, ensure_ascii=False, default=str) + "\n")
            self.stream.flush()
            return
        if kind == "user":
            self.console.print(f"[bold cyan]customer>[/] {data['text']}")
        elif kind == "assistant":
            self.console.print(f"[bold green]agent>[/] {data['text']}")
        elif kind == "tool_call":
            self.console.print(f"  [dim]-> {data['name']}({json.dumps(data['args'], ensure_ascii=False)})[/]")
        elif kind == "tool_result":
            style = "red" if data["status"] == "error" else "dim"
            self.console.print(f"  [{style}]<- {data['name']}: {str(data['content'])[:200]}[/]")
        elif kind == "interrupt":
            for request in data["action_requests"]:
                body = f"{request['description']}\n\n[dim]{json.dumps(request['args'], indent=1)}[/]"
                self.console.print(Panel(body, title=f"Approval needed: {request['name']}", border_style="yellow"))
        elif kind in ("decision", "info", "error"):
            self.console.print(f"[yellow]{kind}:[/] {data.get('text') or data.get('decisions')}")


class ChatSession:
    """Drives one conversation thread: messages in, events out, approvals answered."""

    def __init__(self, graph: Any, thread: str, out: Output) -> None:
        self.graph = graph
        self.config = {"configurable": {"thread_id": thread}}
        self.out = out
        self.seen = len(self._messages())

    def _messages(self) -> list[AnyMessage]:
        values = self.graph.get_state(self.config).values
        return list(values.get("messages", [])) if values else []

    def pending(self) -> list[dict[str, Any]]:
        """The action requests of the interrupt waiting for a decision, if any."""
        state = self.graph.get_state(self.config)
        for intr in state.interrupts:
            if isinstance(intr.value, dict) and "action_requests" in intr.value:
                return list(intr.value["action_requests"])
        return []

    def send(self, text: str) -> None:
        self.out.event("user", text=text)
        self._run({"messages": [HumanMessage(text)]})

    def decide(self, decisions: list[dict[str, Any]]) -> None:
        if not self.pending():
            self.out.event("info", text="No approval is pending; nothing was done.")
            return
        self.out.event("decision", decisions=decisions)
        self._run(Command(resume={"decisions": decisions}))

    def _run(self, payload: Any) -> None:
        with self.out.console.status("working...") if not self.out.jsonl else _nothing():
            for _ in self.graph.stream(payload, self.config, stream_mode="updates"):
                self._emit_new()
        self._emit_new()
        requests = self.pending()
        if requests:
            self.out.event("interrupt", action_requests=requests)

    def _emit_new(self) -> None:
        messages = self._messages()
        for message in messages[self.seen :]:
            if isinstance(message, AIMessage):
                for call in message.tool_calls:
                    self.out.event("tool_call", name=call["name"], args=call["args"], id=call["id"])
                if message.content:
                    self.out.event("assistant", text=str(message.content))
            elif isinstance(message, ToolMessage):
                self.out.event("tool_result", name=message.name, status=message.status, content=message.content)
        self.seen = len(messages)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def parse_command(line: str, requests: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """``/approve``, ``/reject <reason>``, ``/edit <json>`` -> one decision per pending request, or None."""
    word, _, rest = line.strip().partition(" ")
    if word == "/approve":
        return [{"type": "approve"} for _ in requests]
    if word == "/reject":
        return [{"type": "reject", "message": rest.strip() or "rejected"} for _ in requests]
    if word == "/edit":
        edited = json.loads(rest)
        per_request = edited if isinstance(edited, list) else [edited]
        if len(per_request) != len(requests):
            raise ValueError(f"/edit needs {len(requests)} argument object(s), got {len(per_request)}")
        return [
            {"type": "edit", "edited_action": {"name": r["name"], "args": a}}
            for r, a in zip(requests, per_request, strict=True)
        ]
    return None


def run_script(session: ChatSession, lines: Iterator[str]) -> None:
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        requests = session.pending()
        if line.startswith("/"):
            try:
                decisions = parse_command(line, requests or [{}])
            except (ValueError, KeyError) as exc:
                session.out.event("error", text=f"could not read {line!r}: {exc}")
                continue
            if decisions is None:
                session.out.event("error", text=f"unknown command {line!r}")
            else:
                session.decide(decisions)
            continue
        if requests:
            session.out.event("info", text="A new message while an approval is pending: the action is rejected.")
            session.decide([{"type": "reject", "message": "the customer moved on"} for _ in requests])
        session.send(line)


def run_interactive(session: ChatSession) -> None:
    console = session.out.console
    console.print("Try: " + " | ".join(EXAMPLES))
    while True:
        try:
            text = Prompt.ask("[bold cyan]customer[/]")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if text.strip() in {"/quit", "/exit", "quit", "exit"}:
            return
        if text.strip():
            session.send(text)
        while requests := session.pending():
            decisions = []
            for request in requests:
                choice = Prompt.ask(f"{request['name']}: approve, edit or reject?", choices=["a", "e", "r"])
                if choice == "a":
                    decisions.append({"type": "approve"})
                elif choice == "r":
                    reason = Prompt.ask("reason", default="declined by staff")
                    decisions.append({"type": "reject", "message": reason})
                else:
                    raw = Prompt.ask("new arguments (JSON)", default=json.dumps(request["args"]))
                    try:
                        args = json.loads(raw)
                    except ValueError:
                        console.print("[red]not JSON; rejecting instead[/]")
                        decisions.append({"type": "reject", "message": "invalid edit"})
                        continue
                    decisions.append({"type": "edit", "edited_action": {"name": request["name"], "args": args}})
            session.decide(decisions)


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    args = parse_args(argv)
    stdin = stdin or sys.stdin
    out = Output(args.jsonl, stdout or sys.stdout)
    with ExitStack() as stack:
        api_key = args.api_key or os.environ.get("PIGGY_API_KEY")
        base_url = args.base_url or os.environ.get("PIGGY_BASE_URL")
        notes = []
        if not api_key:
            from piggy_agent_tools.sandbox import Sandbox

            sandbox = stack.enter_context(Sandbox.start(seed="demo"))
            api_key, base_url = sandbox.api_key, sandbox.base_url
            notes.append(f"the embedded Piggy sandbox with demo data at {base_url}")
        notes.append(f"model {args.model}" if args.model else "the offline router (no LLM needed)")
        client = stack.enter_context(PiggyClient(api_key=api_key, base_url=base_url))
        contact_uuid = None
        if args.as_contact:
            try:
                contact_uuid = client.contacts.find_by_email(args.as_contact).uuid
            except PiggyError as exc:
                out.event("error", text=f"--as-contact {args.as_contact}: {exc}")
                return 2
            notes.append(f"customer-scoped as {args.as_contact}")
        out.event("info", text="Using " + ", ".join(notes) + ".")
        toolkit = PiggyToolkit(client=client, contact_uuid=contact_uuid)
        checkpointer = stack.enter_context(open_checkpointer(args.db))
        graph = build_graph(toolkit, model=args.model, checkpointer=checkpointer)
        session = ChatSession(graph, args.thread or uuid.uuid4().hex, out)
        if stdin.isatty():
            run_interactive(session)
        else:
            run_script(session, iter(stdin.readline, ""))
    return 0
