"""The support agent in a terminal: a staff console, a customer self-service chat, or JSON lines for scripts.

With no key it starts the embedded Piggy sandbox with demo data; with no --model it uses the offline router (no
LLM). Staff console (the default): you ask for anything on any customer's account and approve, edit or reject each
action that needs a person. Customer self-service (--as-contact EMAIL): the agent sees and changes only that
customer's account. Resuming a saved thread (--db sqlite:///agent.db --thread t1) shows its pending approval first.
In a pipe, the lines /approve, /reject <reason> and /edit <json args> answer an approval; /help lists the commands.
The Piggy key comes from PIGGY_API_KEY or --api-key-file, never the command line; a model's key from its
provider's usual variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, ...).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langgraph.types import Command
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from graphs.support_agent.graph import ModelSetupError, build_graph
from graphs.support_agent.persistence import open_checkpointer, open_graph_ledger
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import PiggyError
from piggy_agent_tools.policy import Principal
from piggy_agent_tools.toolkit import PiggyToolkit

EXAMPLES = [
    "How many points does jane.doe@example.com have?",
    "Add 50 points to her account",
    "Which rewards can she claim?",
    "Is voucher SPRING-10-JANE still valid?",
    "Please delete her account (GDPR)",
]
CUSTOMER_EXAMPLES = ["What is my balance?", "Which rewards can I claim?", "Please delete my account (GDPR)"]
HELP_LINE = "Type a request for the agent; /help lists the commands; /quit or Ctrl-D leaves."
COMMANDS = """Commands (never sent to the agent):
  /approve            approve the pending action(s)
  /reject [reason]    reject the pending action(s)
  /edit <json>        run the pending action with these arguments instead (a JSON list for several actions)
  /pending            show what waits for a decision
  /help               this list
  /quit               leave (Ctrl-D or Ctrl-C too); a pending approval is left undecided and nothing runs"""

Ask = Callable[[str], str]
"""Reads one line after showing a prompt; raises EOFError (Ctrl-D) or KeyboardInterrupt (Ctrl-C)."""


@dataclass(frozen=True)
class Role:
    """Who sits at the keyboard: staff acting for any customer, or one customer acting on their own account."""

    name: str
    label: str
    banner: str
    examples: list[str]
    approval_title: str
    default_reason: str

    @classmethod
    def of(cls, principal: Principal, email: str | None = None) -> Role:
        """The role of the toolkit's principal (``PiggyToolkit.principal``), so the console and the policy agree."""
        if principal.kind == "customer":
            return cls.customer(email or str(principal.contact_uuid))
        return cls.staff()

    @classmethod
    def staff(cls) -> Role:
        return cls(
            name="staff",
            label="staff",
            banner="Staff console: you act for any customer of the program; actions that need a person wait for "
            "your approval.",
            examples=EXAMPLES,
            approval_title="Approval needed",
            default_reason="declined by staff",
        )

    @classmethod
    def customer(cls, email: str) -> Role:
        return cls(
            name="customer",
            label=f"customer {email}",
            banner=f"Customer self-service for {email}: the agent sees and changes only this account; actions that "
            "cannot be undone ask you to confirm.",
            examples=CUSTOMER_EXAMPLES,
            approval_title="Please confirm",
            default_reason="declined by the customer",
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m graphs.support_agent",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--model",
        default=os.environ.get("PIGGY_AGENT_MODEL") or None,
        help="a chat model as provider:model, e.g. openai:gpt-4.1-mini (default: PIGGY_AGENT_MODEL, else the offline "
        "router, no LLM)",
    )
    parser.add_argument("--base-url", help="Piggy API base URL (default: PIGGY_BASE_URL or the embedded sandbox)")
    parser.add_argument(
        "--api-key-file",
        type=Path,
        metavar="FILE",
        help="read the Piggy API key from FILE (default: PIGGY_API_KEY; with neither, the embedded sandbox)",
    )
    parser.add_argument("--api-key", help=argparse.SUPPRESS)  # deprecated: visible in the process list
    parser.add_argument("--db", default="memory", help="checkpointer: memory, sqlite:///file.db or postgresql://...")
    parser.add_argument("--thread", default=None, help="conversation id, to continue a saved conversation")
    parser.add_argument(
        "--as-contact", metavar="EMAIL", help="customer self-service: act only on this customer's account"
    )
    parser.add_argument("--jsonl", action="store_true", help="print one JSON event per line (for scripts)")
    return parser.parse_args(argv)


class Output:
    """Where events go: rich for people, JSON lines for scripts."""

    def __init__(self, jsonl: bool, stream: TextIO, role: Role | None = None, *, force_terminal: bool | None = None):
        self.jsonl = jsonl
        self.stream = stream
        self.role = role or Role.staff()
        self.console = Console(file=stream, highlight=False, force_terminal=force_terminal)

    def event(self, kind: str, **data: Any) -> None:
        if self.jsonl:
            self.stream.write(json.dumps({"event": kind, **data}, ensure_ascii=False, default=str) + "\n")
            self.stream.flush()
            return
        if kind == "user":
            self.console.print(f"[bold cyan]{escape(self.role.label)}>[/] {escape(data['text'])}")
        elif kind == "assistant":
            self.console.print(f"[bold green]agent>[/] {escape(data['text'])}")
        elif kind == "tool_call":
            self.console.print(f"  [dim]-> {escape(data['name'])}({escape(_dumps(data['args']))})[/]")
        elif kind == "tool_result":
            style = "red" if data["status"] == "error" else "dim"
            self.console.print(f"  [{style}]<- {escape(str(data['name']))}: {escape(str(data['content'])[:200])}[/]")
        elif kind == "interrupt":
            for request in data["action_requests"]:
                body = f"{escape(request['description'])}\n\n[dim]{escape(json.dumps(request['args'], indent=1))}[/]"
                title = f"{self.role.approval_title}: {escape(request['name'])}"
                self.console.print(Panel(body, title=title, border_style="yellow"))
        elif kind == "decision":
            self.console.print(f"[yellow]decision:[/] {escape(_dumps(data['decisions']))}")
        elif kind == "alert":
            happened = data.get("happened")
            found = "it happened" if happened is True else "it did not happen" if happened is False else "check by hand"
            body = f"{escape(str(data.get('text')))}\n\n[dim]{escape(_dumps(data.get('args')))}[/]"
            title = f"Outcome unknown: {escape(str(data.get('tool')))} ({found})"
            self.console.print(Panel(body, title=title, border_style="red"))
        elif kind == "help":
            self.console.print(escape(data["text"]), style="dim")
        elif kind in ("info", "error"):
            style = "red" if kind == "error" else "yellow"
            self.console.print(f"[{style}]{kind}:[/] {escape(str(data.get('text')))}")

    def working(self, text: str) -> AbstractContextManager[Any]:
        """A spinner while the agent or a slow start works (people only: JSON lines stay clean)."""
        if self.jsonl or not self.console.is_terminal:
            return nullcontext()
        return self.console.status(text)

    def notice(self, text: str) -> None:
        """A last word to a person: on the console, or on stderr when stdout carries JSON lines."""
        if self.jsonl:
            print(text, file=sys.stderr, flush=True)
        else:
            self.console.print(f"[yellow]{escape(text)}[/]")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class ChatSession:
    """Drives one conversation thread: messages in, events out, approvals answered."""

    def __init__(
        self,
        graph: Any,
        thread: str,
        out: Output,
        *,
        toolkit: PiggyToolkit | None = None,
        db: str = "memory",
    ) -> None:
        self.graph = graph
        self.thread = thread
        self.config = {"configurable": {"thread_id": thread}}
        self.out = out
        self.toolkit = toolkit
        self.db = db
        self.seen = len(self._messages())
        self.alerted: set[str] = set()

    def _messages(self) -> list[AnyMessage]:
        values = self.graph.get_state(self.config).values
        return list(values.get("messages", [])) if values else []

    def _review(self) -> tuple[str, list[dict[str, Any]]] | None:
        """The id and action requests of the interrupt waiting for a decision, if any."""
        state = self.graph.get_state(self.config)
        for intr in state.interrupts:
            if isinstance(intr.value, dict) and "action_requests" in intr.value:
                return intr.id, list(intr.value["action_requests"])
        return None

    def pending(self) -> list[dict[str, Any]]:
        """The action requests of the interrupt waiting for a decision, if any."""
        review = self._review()
        return review[1] if review else []

    def show_pending(self) -> bool:
        """Show the approval a resumed thread is waiting for (every mode); True when there is one."""
        requests = self.pending()
        if requests:
            self.out.event("interrupt", action_requests=requests)
        return bool(requests)

    def send(self, text: str, *, echo: bool = True) -> None:
        if echo:  # a person at a terminal already sees the line they typed
            self.out.event("user", text=text)
        self._run({"messages": [HumanMessage(text)]})

    def decide(self, decisions: list[dict[str, Any]]) -> None:
        review = self._review()
        if review is None:
            self.out.event("info", text="No approval is pending; nothing was done.")
            return
        self.out.event("decision", decisions=decisions)
        # Addressed to the interrupt by its id: the decisions answer this review and no later one.
        self._run(Command(resume={review[0]: {"decisions": decisions}}))

    def _run(self, payload: Any) -> None:
        with self.out.working("agent working..."):
            for _ in self.graph.stream(payload, self.config, stream_mode="updates"):
                self._emit_new()
        self._emit_new()
        self._emit_alerts()
        requests = self.pending()
        if requests:
            self.out.event("interrupt", action_requests=requests)

    def _emit_alerts(self) -> None:
        """Calls whose outcome is unknown after a crash or cancel (the ledger's alerts), each shown to staff once."""
        values = self.graph.get_state(self.config).values or {}
        for call_id, alert in (values.get("ledger_alerts") or {}).items():
            if call_id not in self.alerted:
                self.alerted.add(call_id)
                self.out.event("alert", **alert)

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

    def check_edit(self, name: str, args: Any) -> str | None:
        """Why edited arguments cannot be used (not an object, or invalid for the tool), or None when they can."""
        if not isinstance(args, dict):
            return "the arguments must be a JSON object"
        tool = next((t for t in self.toolkit.get_tools() if t.name == name), None) if self.toolkit else None
        if tool is None:
            return None  # the approval node validates again in any case
        schema: Any = tool.get_input_schema()
        try:
            schema.model_validate(args)
        except ValidationError as exc:
            return "; ".join(".".join(map(str, e["loc"])) + ": " + e["msg"] for e in exc.errors())
        return None

    def command(self, line: str) -> bool:
        """Handle one /command (never sent to the agent); False when it asks to leave."""
        word = line.strip().split(maxsplit=1)[0]
        if word in ("/quit", "/exit"):
            return False
        if word == "/help":
            self.out.event("help", text=COMMANDS)
        elif word == "/pending":
            if not self.show_pending():
                self.out.event("info", text="No approval is pending.")
        elif word in ("/approve", "/reject", "/edit"):
            requests = self.pending()
            if not requests:
                self.out.event("info", text="No approval is pending; nothing was done.")
                return True
            try:
                decisions = parse_command(line, requests)
                for request, decision in zip(requests, decisions or [], strict=True):
                    if decision["type"] == "edit":
                        problem = self.check_edit(request["name"], decision["edited_action"]["args"])
                        if problem:
                            raise ValueError(problem)
            except ValueError as exc:
                self.out.event(
                    "error",
                    text=f"could not read {line!r}: {exc}. The approval is still pending: send /approve, "
                    "/reject <reason> or /edit <json> again.",
                )
                return True
            if decisions is not None:
                self.decide(decisions)
        else:
            self.out.event("error", text=f"unknown command {word!r}; /help lists the commands")
        return True

    def leave(self, why: str = "") -> None:
        """Say what happens to an undecided approval when the person or the input goes away."""
        requests = self.pending()
        if not requests:
            if not self.out.jsonl:
                self.out.notice(f"{why}Bye.".strip())
            return
        names = ", ".join(r["name"] for r in requests)
        if self.db in ("", "memory", ":memory:"):
            after = "This conversation lives in memory only, so the request is discarded."
        else:
            after = f"It stays pending: resume with --db {self.db} --thread {self.thread}."
        self.out.notice(f"{why}Left {len(requests)} approval(s) undecided ({names}); nothing was run. {after}")


def parse_command(line: str, requests: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """``/approve``, ``/reject <reason>``, ``/edit <json>`` -> one decision per pending request, or None."""
    word, _, rest = line.strip().partition(" ")
    if word == "/approve":
        return [{"type": "approve"} for _ in requests]
    if word == "/reject":
        return [{"type": "reject", "message": rest.strip() or "rejected"} for _ in requests]
    if word == "/edit":
        if not rest.strip():
            raise ValueError('/edit needs the new arguments as JSON, e.g. /edit {"type": "GDPR"}')
        edited = json.loads(rest)
        per_request = edited if isinstance(edited, list) else [edited]
        if len(per_request) != len(requests):
            raise ValueError(f"/edit needs {len(requests)} argument object(s), got {len(per_request)}")
        if not all(isinstance(a, dict) for a in per_request):
            raise ValueError("each edit must be a JSON object of arguments")
        return [
            {"type": "edit", "edited_action": {"name": r["name"], "args": a}}
            for r, a in zip(requests, per_request, strict=True)
        ]
    return None


def run_script(session: ChatSession, lines: Iterator[str]) -> None:
    """Lines from a pipe: messages, and /commands for approvals; says so when input ends with one undecided."""
    session.show_pending()
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("/"):
            if not session.command(line):
                break
            continue
        requests = session.pending()
        if requests:
            session.out.event("info", text="A new message while an approval is pending: the action is rejected.")
            session.decide([{"type": "reject", "message": "the customer moved on"} for _ in requests])
        session.send(line)
    session.leave("Input ended. ")


def review(session: ChatSession, requests: list[dict[str, Any]], ask: Ask) -> list[dict[str, Any]]:
    """One decision per pending request, asked until each answer is usable."""
    console, role = session.out.console, session.out.role
    decisions: list[dict[str, Any]] = []
    for request in requests:
        while True:
            answer = ask(f"[bold yellow]{escape(request['name'])}[/]: (a)pprove, (e)dit or (r)eject? ").strip()
            first, _, rest = answer.partition(" ")  # "/reject <reason>" and "/edit <json>" work here too
            word, rest = first.lower().lstrip("/"), rest.strip()
            if word in ("a", "approve", "y", "yes"):
                decisions.append({"type": "approve"})
                break
            if word in ("r", "reject", "n", "no"):
                reason = rest or ask(escape(f"reason [{role.default_reason}]: ")).strip() or role.default_reason
                decisions.append({"type": "reject", "message": reason})
                break
            if word in ("e", "edit"):
                args = _ask_edit(session, request, ask, rest)
                if args is None:
                    continue
                decisions.append({"type": "edit", "edited_action": {"name": request["name"], "args": args}})
                break
            if word in ("quit", "exit"):
                raise EOFError
            if word in ("help", "?", "h"):
                console.print(
                    "a: run it as shown; e: change its arguments (JSON); r: refuse it (the agent is told why); "
                    "Ctrl-D: leave it undecided.",
                    style="dim",
                )
                continue
            console.print("[red]Please answer a, e or r.[/]")
    return decisions


def _ask_edit(session: ChatSession, request: dict[str, Any], ask: Ask, typed: str = "") -> dict[str, Any] | None:
    """New arguments for one request, asked again until they are a valid object for the tool; None goes back."""
    current = _dumps(request["args"])
    session.out.console.print(f"[dim]current arguments: {escape(current)}[/]")
    while True:
        raw, typed = typed or ask("new arguments as JSON (empty line: back to the choice): ").strip(), ""
        if not raw:
            return None
        try:
            args = json.loads(raw)
        except ValueError as exc:
            session.out.console.print(f"[red]not valid JSON ({escape(str(exc))}); try again[/]")
            continue
        problem = session.check_edit(request["name"], args)
        if problem:
            session.out.console.print(f"[red]cannot use these arguments ({escape(problem)}); try again[/]")
            continue
        return dict(args)


def run_interactive(session: ChatSession, ask: Ask | None = None) -> None:
    """The chat for a person: a pending approval is always asked first, then the next request."""
    console, role = session.out.console, session.out.role
    ask = ask or console.input
    console.print(f"[bold]{escape(role.banner)}[/]")
    console.print(HELP_LINE, style="dim")
    console.print("Try: " + " | ".join(role.examples), style="dim")
    session.show_pending()
    why = ""
    try:
        while True:
            requests = session.pending()
            if requests:
                session.decide(review(session, requests, ask))
                continue
            text = ask(f"[bold cyan]{escape(role.label)}>[/] ").strip()
            if not text:
                continue
            if text.lower() in ("quit", "exit"):
                break
            if text.startswith("/"):
                if not session.command(text):
                    break
                continue
            session.send(text, echo=False)
    except EOFError:
        console.print()
    except KeyboardInterrupt:
        console.print()
        why = "Interrupted. "
    session.leave(why)


def _api_key(args: argparse.Namespace, out: Output) -> str | None:
    if args.api_key:
        out.notice("warning: --api-key shows the key in the process list; use PIGGY_API_KEY or --api-key-file.")
        return str(args.api_key)
    if args.api_key_file:
        return Path(args.api_key_file).read_text(encoding="utf-8").strip()
    return os.environ.get("PIGGY_API_KEY") or None


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    *,
    ask: Ask | None = None,
    force_terminal: bool | None = None,
) -> int:
    """Run the console; ``ask`` (a prompt -> line function) forces the interactive mode, for tests and embedding."""
    args = parse_args(argv)
    stdin = stdin or sys.stdin
    role = Role.customer(args.as_contact) if args.as_contact else Role.staff()
    out = Output(args.jsonl, stdout or sys.stdout, role, force_terminal=force_terminal)
    interactive = ask is not None or (stdin.isatty() and not args.jsonl)
    try:
        with ExitStack() as stack:
            api_key = _api_key(args, out)
            base_url = args.base_url or os.environ.get("PIGGY_BASE_URL")
            notes = []
            if not api_key:
                from piggy_agent_tools.sandbox import Sandbox

                with out.working("starting the embedded sandbox..."):
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
            thread = args.thread or uuid.uuid4().hex
            toolkit = PiggyToolkit(client=client, contact_uuid=contact_uuid)
            out.role = Role.of(toolkit.principal, args.as_contact)  # the policy's principal names the role
            out.event("info", text="Using " + ", ".join(notes) + ".", role=out.role.name, thread=thread)
            checkpointer = stack.enter_context(open_checkpointer(args.db))
            ledger = stack.enter_context(open_graph_ledger(args.db))  # the execution ledger, next to the checkpoints
            with out.working("loading the agent..."):
                try:
                    graph = build_graph(toolkit, model=args.model, checkpointer=checkpointer, ledger=ledger)
                except ModelSetupError as exc:
                    out.event("error", text=str(exc))
                    return 2
            session = ChatSession(graph, thread, out, toolkit=toolkit, db=args.db)
            if interactive:
                run_interactive(session, ask)
            else:
                run_script(session, iter(stdin.readline, ""))
    except KeyboardInterrupt:
        out.notice("Interrupted.")
        return 130
    return 0
