"""A safe Piggy agent in about ten lines with LangChain v1 ``create_agent``: python -m graphs.create_agent_example.

Destructive calls stop for a person; everything else runs. Needs a model key for the chosen provider, or pass
``--offline`` to drive it with a scripted model against the embedded sandbox.
"""

from __future__ import annotations

import sys

from langchain.agents import create_agent
from langgraph.checkpoint.memory import InMemorySaver

from piggy_agent_tools import PiggyToolkit
from piggy_agent_tools.middleware import piggy_middleware


def build_agent(toolkit: PiggyToolkit, model: object = "openai:gpt-4.1-mini") -> object:
    """The whole recipe: tools from the registry, approvals from their risks, durable state for the pause."""
    return create_agent(
        model,  # type: ignore[arg-type]
        tools=toolkit.get_tools(),
        middleware=[piggy_middleware(toolkit)],
        checkpointer=InMemorySaver(),
        system_prompt="You help customers of a loyalty program. Look customers up by email before acting.",
    )


if __name__ == "__main__":
    if "--offline" not in sys.argv:
        agent = build_agent(PiggyToolkit())  # PIGGY_API_KEY and the model provider's key from the environment
        print(agent)
        sys.exit(0)
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage
    from langgraph.types import Command

    from piggy_agent_tools import PiggyClient
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
        result = agent.invoke({"messages": [("user", "Delete Tom's account")]}, cfg)  # type: ignore[attr-defined]
        print("interrupt:", result["__interrupt__"][0].value["action_requests"][0]["description"])
        done = agent.invoke(Command(resume={"decisions": [{"type": "reject", "message": "not verified"}]}), cfg)  # type: ignore[attr-defined]
        print("agent:", done["messages"][-1].content)
