"""A safe Piggy agent in about ten lines with LangChain v1 ``create_agent``: python -m graphs.create_agent_example.

Destructive calls stop for a person; everything else runs. ``--model provider:model`` (or PIGGY_AGENT_MODEL; default
openai:gpt-4.1-mini) chats with a real model, reading your messages from stdin and asking you about every destructive
call; the model's key comes from its usual variable (OPENAI_API_KEY, ...; OPENAI_BASE_URL for a local server). With
no PIGGY_API_KEY it runs against the embedded sandbox. ``--offline`` drives it with a scripted model instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

from langchain.agents import create_agent
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from piggy_agent_tools import PiggyClient, PiggyToolkit
from piggy_agent_tools.middleware import piggy_middleware


def build_agent(toolkit: PiggyToolkit, model: Any = "openai:gpt-4.1-mini") -> Any:
    """The whole recipe: tools from the registry, approvals from their risks, durable state for the pause."""
    return create_agent(
        model,
        tools=toolkit.get_tools(),
        middleware=[piggy_middleware(toolkit)],
        checkpointer=InMemorySaver(),
        system_prompt="You help customers of a loyalty program. Look customers up by email before acting.",
    )


def converse(agent: Any, lines: Iterator[str], ask: Callable[[str], str], say: Callable[[str], None]) -> None:
    """One conversation: each line is a user message; every interrupt asks a person approve / reject / edit."""
    cfg: Any = {"configurable": {"thread_id": "example"}}
    for line in lines:
        if not line.strip():
            continue
        result = agent.invoke({"messages": [("user", line.strip())]}, cfg)
        while result.get("__interrupt__"):
            requests = result["__interrupt__"][0].value["action_requests"]
            decisions = [_decide(request, ask, say) for request in requests]
            result = agent.invoke(Command(resume={"decisions": decisions}), cfg)
        say(f"agent: {result['messages'][-1].content}")


def _decide(request: dict[str, Any], ask: Callable[[str], str], say: Callable[[str], None]) -> dict[str, Any]:
    say(f"review: {request.get('description') or request['name']}\n  {request['name']} {json.dumps(request['args'])}")
    answer = ask("approve, reject, or edit with new JSON arguments [a/r/{...}]: ").strip()
    if answer.lower() in ("a", "approve", "y", "yes"):
        return {"type": "approve"}
    if answer.startswith("{"):
        return {"type": "edit", "edited_action": {"name": request["name"], "args": json.loads(answer)}}
    return {"type": "reject", "message": "declined by the reviewer"}


def main(argv: list[str] | None = None) -> int:
    from graphs.support_agent.graph import ModelSetupError, _chat_model

    parser = argparse.ArgumentParser(prog="python -m graphs.create_agent_example", description=__doc__)
    parser.add_argument("--model", default=os.environ.get("PIGGY_AGENT_MODEL") or "openai:gpt-4.1-mini")
    parser.add_argument("--offline", action="store_true", help="a scripted model instead of a real one")
    args = parser.parse_args(argv)
    if args.offline:
        offline_demo()
        return 0
    try:
        model = _chat_model(args.model)
    except ModelSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with ExitStack() as stack:
        if os.environ.get("PIGGY_API_KEY"):
            client = stack.enter_context(PiggyClient())
        else:
            from piggy_agent_tools.sandbox import Sandbox

            sandbox = stack.enter_context(Sandbox.start(seed="demo"))
            client = stack.enter_context(PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url))
            print(f"Using the embedded sandbox with demo data and {args.model}. Type a message; Ctrl-D ends.")
        agent = build_agent(PiggyToolkit(client=client), model)
        lines = iter(sys.stdin.readline, "")  # messages and review answers, in the order they are asked for

        def ask(question: str) -> str:
            print(question, end="", flush=True)
            return next(lines, "")

        converse(agent, lines, ask, print)
    return 0


def offline_demo() -> None:
    """The same agent driven by a scripted model: a lookup, a delete that stops for review, a reject."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from piggy_agent_tools.sandbox import Sandbox

    class Scripted(GenericFakeChatModel):
        def bind_tools(self, tools: object, **kwargs: object) -> Scripted:  # type: ignore[override]
            return self

    with Sandbox.start(seed="demo") as sb:
        toolkit = PiggyToolkit(client=PiggyClient(api_key=sb.api_key, base_url=sb.base_url))
        replies = iter(
            [
                AIMessage(
                    "", tool_calls=[{"name": "get_contact", "args": {"email": "tom.berg@example.com"}, "id": "1"}]
                ),
                AIMessage(
                    "",
                    tool_calls=[
                        {
                            "name": "delete_contact",
                            "args": {"contact_uuid": "1cf32132-f24d-5815-b297-7be68545c5d5"},
                            "id": "2",
                        }
                    ],
                ),
                AIMessage("The deletion was declined, so Tom's account is unchanged."),
            ]
        )
        agent = build_agent(toolkit, Scripted(messages=replies))
        cfg = {"configurable": {"thread_id": "demo"}}
        result = agent.invoke({"messages": [("user", "Delete Tom's account")]}, cfg)
        print("interrupt:", result["__interrupt__"][0].value["action_requests"][0]["description"])
        done = agent.invoke(Command(resume={"decisions": [{"type": "reject", "message": "not verified"}]}), cfg)
        print("agent:", done["messages"][-1].content)


if __name__ == "__main__":
    sys.exit(main())
