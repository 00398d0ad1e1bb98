"""The support agent and create_agent through Anthropic's messages API: ``init_chat_model("anthropic:…",
base_url=…)`` (the real ``anthropic`` SDK and ``langchain-anthropic``) against the scripted Anthropic server, with
parallel calls, approve, reject and edit, against the real sandbox; and the server's refusal of an unanswered
``tool_use``, proved by sending one.
"""

from __future__ import annotations

from typing import Any

import anthropic
import pytest
from langchain.chat_models import init_chat_model
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graphs.scripted_anthropic import ScriptedAnthropic
from graphs.scripted_openai import Script
from graphs.support_agent.graph import build_graph
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import NotFoundError
from piggy_agent_tools.toolkit import PiggyToolkit


def _exists(client: PiggyClient, uuid: str) -> bool:
    try:
        client.contacts.get(uuid)
    except NotFoundError:
        return False
    return True


def test_support_agent_parallel_calls_approve_and_reject_through_the_anthropic_client(
    client: PiggyClient, new_email: str
) -> None:
    a, b = client.contacts.create("a-" + new_email).uuid, client.contacts.create("b-" + new_email).uuid
    script = Script(
        [
            "delete_account",
            [
                ("get_contact", {"email": "jane.doe@example.com"}),
                ("delete_contact", {"contact_uuid": a}),
                ("delete_contact", {"contact_uuid": b}),
            ],
            "One account was deleted; the other deletion was declined.",
        ]
    )
    with ScriptedAnthropic(script) as server:
        model = init_chat_model("anthropic:claude-scripted", base_url=server.base_url, api_key="x", max_retries=0)
        graph = build_graph(PiggyToolkit(client=client), model=model, checkpointer=InMemorySaver())
        cfg: Any = {"configurable": {"thread_id": "anthropic-parallel"}}
        graph.invoke({"messages": [("user", "Delete both test accounts")]}, cfg)
        pending = graph.get_state(cfg).interrupts[0]
        assert [r["name"] for r in pending.value["action_requests"]] == ["delete_contact", "delete_contact"]
        decisions = [{"type": "approve"}, {"type": "reject", "message": "no"}]
        graph.invoke(Command(resume={pending.id: {"decisions": decisions}}), cfg)
    assert not _exists(client, a) and _exists(client, b)
    final = graph.get_state(cfg).values["messages"][-1]
    assert isinstance(final, AIMessage) and "declined" in str(final.content)
    assert server.refused == [] and len(server.requests) == 3
    results = [blk for m in server.requests[-1]["messages"] for blk in m["content"] if isinstance(blk, dict)]
    assert sum(blk.get("type") == "tool_result" for blk in results) == 3


def test_the_anthropic_server_refuses_a_tool_use_without_its_result() -> None:
    with ScriptedAnthropic(Script(["never sent"])) as server:
        sdk = anthropic.Anthropic(base_url=server.base_url, api_key="x", max_retries=0)
        use = {"type": "tool_use", "id": "toolu_1", "name": "get_contact", "input": {}}
        history = [
            {"role": "user", "content": "find Jane"},
            {"role": "assistant", "content": [use]},
            {"role": "user", "content": "hello?"},
        ]
        with pytest.raises(anthropic.BadRequestError, match="without `tool_result` blocks immediately after"):
            sdk.messages.create(model="scripted", max_tokens=100, messages=history)  # type: ignore[arg-type]
        answered = [*history[:2], {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1"}]}]
        reply = sdk.messages.create(model="scripted", max_tokens=100, messages=answered)  # type: ignore[arg-type]
        assert reply.content[0].text == "never sent"  # type: ignore[union-attr]
        assert len(server.refused) == 1


def test_create_agent_edit_through_the_anthropic_client(client: PiggyClient, sandbox: Any, new_email: str) -> None:
    from graphs.create_agent_example import build_agent

    a = client.contacts.create(new_email).uuid
    with ScriptedAnthropic(Script([[("delete_contact", {"contact_uuid": a})], "Deleted under GDPR."])) as server:
        model = init_chat_model("anthropic:claude-scripted", base_url=server.base_url, api_key="x", max_retries=0)
        agent: Any = build_agent(PiggyToolkit(client=client), model)
        cfg: Any = {"configurable": {"thread_id": "anthropic-edit"}}
        agent.invoke({"messages": [("user", f"Erase {new_email}")]}, cfg)
        gdpr = {"name": "delete_contact", "args": {"contact_uuid": a, "type": "GDPR"}}
        edit = {"type": "edit", "edited_action": gdpr}
        done = agent.invoke(Command(resume={"decisions": [edit]}), cfg)
    rows = [r for r in sandbox.audit("contacts.delete") if r["args"].get("contact_uuid") == a]
    assert [r["args"]["type"] for r in rows] == ["GDPR"] and done["messages"][-1].content == "Deleted under GDPR."
    assert server.refused == [] and len(server.requests) == 2
