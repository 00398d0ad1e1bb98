"""The agents through a real provider client: ``init_chat_model("openai:…", base_url=…)`` (the ``openai`` SDK and
``langchain-openai``) against the scripted OpenAI-compatible server, which checks every request as OpenAI would.

Approve, edit and reject each run end to end against the real sandbox; the server's refusal of a malformed history
is proved by sending one. No mock transport anywhere: real HTTP on 127.0.0.1 both to the model and to Piggy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import pytest
from langchain.chat_models import init_chat_model
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import StructuredTool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from pydantic import BaseModel

from graphs.create_agent_example import build_agent
from graphs.scripted_openai import Reply, Script, ScriptedOpenAI, check_request
from graphs.support_agent.graph import build_graph
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import NotFoundError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.toolkit import PiggyToolkit

JANE = "jane.doe@example.com"


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[ScriptedOpenAI] = []

    def start(*replies: Reply) -> tuple[ScriptedOpenAI, Any]:
        server = ScriptedOpenAI(Script(list(replies))).start()
        servers.append(server)
        return server, init_chat_model("openai:scripted", base_url=server.base_url, api_key="x", max_retries=0)

    yield start
    for server in servers:
        server.stop()


def _exists(client: PiggyClient, uuid: str) -> bool:
    try:
        client.contacts.get(uuid)
    except NotFoundError:
        return False
    return True


def _deletes(sandbox: Sandbox, *uuids: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit("contacts.delete") if r["args"].get("contact_uuid") in uuids]


def _decide(graph: Any, cfg: dict[str, Any], decisions: list[dict[str, Any]]) -> Command[Any]:
    """Resume the pending review by its interrupt id (decisions apply to that review only)."""
    return Command(resume={graph.get_state(cfg).interrupts[0].id: {"decisions": decisions}})


def _answered_in_order(request: dict[str, Any]) -> list[str]:
    """The tool messages of the last request, as (name-less) ids: what the provider received."""
    return [m["tool_call_id"] for m in request["messages"] if m["role"] == "tool"]


def test_support_agent_parallel_calls_approve_and_reject_through_the_openai_client(
    serve: Any, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    a, b = client.contacts.create("a-" + new_email).uuid, client.contacts.create("b-" + new_email).uuid
    server, model = serve(
        "delete_account",
        [
            ("get_contact", {"email": JANE}),
            ("delete_contact", {"contact_uuid": a}),
            ("delete_contact", {"contact_uuid": b}),
        ],
        "One account was deleted; the other deletion was declined.",
    )
    graph = build_graph(PiggyToolkit(client=client), model=model, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "openai-parallel"}}
    graph.invoke({"messages": [("user", "Delete both test accounts")]}, cfg)
    review = graph.get_state(cfg).interrupts[0].value["action_requests"]
    assert [r["name"] for r in review] == ["delete_contact", "delete_contact"]
    assert not _deletes(sandbox, a, b), "nothing destructive before the decision"

    graph.invoke(_decide(graph, cfg, [{"type": "approve"}, {"type": "reject", "message": "no"}]), cfg)
    assert not _exists(client, a) and _exists(client, b)
    final = graph.get_state(cfg).values["messages"][-1]
    assert isinstance(final, AIMessage) and "declined" in str(final.content)
    assert server.refused == [] and len(server.requests) == 3
    last = server.requests[-1]
    calls = [c["id"] for m in last["messages"] if m.get("tool_calls") for c in m["tool_calls"]]
    assert _answered_in_order(last) == calls  # three calls, three answers, in order, one of them a refusal
    assert [t["function"]["name"] for t in last["tools"]][:2] and "delete_contact" in {
        t["function"]["name"] for t in last["tools"]
    }


def test_support_agent_edit_runs_the_edited_arguments_through_the_openai_client(
    serve: Any, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    a = client.contacts.create(new_email).uuid
    server, model = serve("delete_account", [("delete_contact", {"contact_uuid": a})], "Deleted, as requested.")
    graph = build_graph(PiggyToolkit(client=client), model=model, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "openai-edit"}}
    graph.invoke({"messages": [("user", f"Delete {new_email}")]}, cfg)
    edit = {"type": "edit", "edited_action": {"name": "delete_contact", "args": {"contact_uuid": a, "type": "GDPR"}}}
    graph.invoke(_decide(graph, cfg, [edit]), cfg)
    rows = _deletes(sandbox, a)
    assert len(rows) == 1 and rows[0]["args"]["type"] == "GDPR"
    assert server.refused == [] and len(server.requests) == 3


def test_create_agent_example_with_a_real_model_client_approve_edit_reject(
    serve: Any, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    a, b = client.contacts.create("a-" + new_email).uuid, client.contacts.create("b-" + new_email).uuid
    server, model = serve(
        [("get_contact", {"email": JANE}), ("delete_contact", {"contact_uuid": a})],
        "Deleted the first account.",
        [("delete_contact", {"contact_uuid": b})],
        "The deletion was declined, so the account is unchanged.",
    )
    agent: Any = build_agent(PiggyToolkit(client=client), model)
    cfg = {"configurable": {"thread_id": "create-agent"}}
    first = agent.invoke({"messages": [("user", "Delete account a")]}, cfg)
    assert [r["name"] for r in first["__interrupt__"][0].value["action_requests"]] == ["delete_contact"]
    edit = {"type": "edit", "edited_action": {"name": "delete_contact", "args": {"contact_uuid": a, "type": "GDPR"}}}
    agent.invoke(Command(resume={"decisions": [edit]}), cfg)
    assert [r["args"]["type"] for r in _deletes(sandbox, a)] == ["GDPR"]

    agent.invoke({"messages": [("user", "And account b")]}, cfg)
    done = agent.invoke(Command(resume={"decisions": [{"type": "reject", "message": "not verified"}]}), cfg)
    assert _exists(client, b) and "declined" in done["messages"][-1].content
    assert server.refused == [] and len(server.requests) == 4
    assert all(m.get("tool_call_id") for r in server.requests for m in r["messages"] if m["role"] == "tool")


def test_create_agent_approve_through_the_openai_client(
    serve: Any, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    a = client.contacts.create(new_email).uuid
    server, model = serve([("delete_contact", {"contact_uuid": a})], "Deleted.")
    agent: Any = build_agent(PiggyToolkit(client=client), model)
    cfg = {"configurable": {"thread_id": "create-agent-approve"}}
    agent.invoke({"messages": [("user", "Delete it")]}, cfg)
    agent.invoke(Command(resume={"decisions": [{"type": "approve"}]}), cfg)
    assert not _exists(client, a) and server.refused == []


def _history(*tail: dict[str, Any]) -> dict[str, Any]:
    call = {"id": "call_1", "type": "function", "function": {"name": "get_contact", "arguments": "{}"}}
    other = {"id": "call_2", "type": "function", "function": {"name": "get_contact", "arguments": "{}"}}
    return {
        "model": "scripted",
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": None, "tool_calls": [call, other]},
            *tail,
        ],
    }


def test_the_server_refuses_a_history_with_an_unanswered_tool_call_like_openai_does(serve: Any) -> None:
    server, _ = serve("never sent")
    sdk = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    unanswered = _history({"role": "tool", "tool_call_id": "call_1", "content": "ok"}, {"role": "user", "content": "?"})
    with pytest.raises(openai.BadRequestError, match="did not have response messages: call_2"):
        sdk.chat.completions.create(**unanswered)
    out_of_order = _history(
        {"role": "tool", "tool_call_id": "call_2", "content": "ok"},
        {"role": "tool", "tool_call_id": "call_1", "content": "ok"},
    )
    with pytest.raises(openai.BadRequestError, match="in order"):
        sdk.chat.completions.create(**out_of_order)
    twice = _history(*[{"role": "tool", "tool_call_id": i, "content": "ok"} for i in ("call_1", "call_2", "call_2")])
    with pytest.raises(openai.BadRequestError, match="must be a response to a preceding message"):
        sdk.chat.completions.create(**twice)
    assert len(server.refused) == 3 and server.requests == []


def test_the_server_refuses_a_malformed_history_sent_through_langchain(serve: Any) -> None:
    """What the interactive CLI once left behind: an AI tool call with no tool message, then the next question."""
    server, model = serve("never sent")
    call = {"name": "get_contact", "args": {"email": JANE}, "id": "call_x"}
    with pytest.raises(openai.BadRequestError):
        model.invoke([("user", "find Jane"), AIMessage("", tool_calls=[call]), ("user", "hello?")])
    assert server.refused and server.requests == []
    answered = [("user", "find Jane"), AIMessage("", tool_calls=[call]), ToolMessage("{}", tool_call_id="call_x")]
    check_request({"messages": [_as_openai(m) for m in answered]})  # the well-formed one passes the same check


def _as_openai(message: Any) -> dict[str, Any]:
    from langchain_openai.chat_models.base import _convert_message_to_dict

    if isinstance(message, tuple):
        return {"role": message[0], "content": message[1]}
    return _convert_message_to_dict(message)


def test_the_server_refuses_a_strict_tool_schema_openai_would_refuse(serve: Any) -> None:
    class Args(BaseModel):
        email: str
        limit: int = 20

    server, _ = serve("never sent")
    tool = StructuredTool(name="lookup", description="d", args_schema=Args, func=lambda **kwargs: "")
    from langchain_core.utils.function_calling import convert_to_openai_tool

    loose = convert_to_openai_tool(tool)
    loose["function"]["strict"] = True  # strict, but 'limit' not required and the object left open
    sdk = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError, match="additionalProperties"):
        sdk.chat.completions.create(model="scripted", messages=[{"role": "user", "content": "x"}], tools=[loose])
    good = convert_to_openai_tool(tool, strict=True)
    # The same rules accept what langchain-openai sends in strict mode.
    check_request({"messages": [{"role": "user", "content": "x"}], "tools": [good]})


def test_every_tool_schema_the_toolkit_sends_passes_the_server_checks_in_strict_mode(client: PiggyClient) -> None:
    from langchain_openai import ChatOpenAI

    tools = PiggyToolkit(client=client).get_tools()
    bound: Any = ChatOpenAI(model="scripted", api_key="x").bind_tools(tools, strict=True)
    check_request({"messages": [{"role": "user", "content": "x"}], "tools": bound.kwargs["tools"]})


def test_support_agent_streams_through_the_openai_client(serve: Any, client: PiggyClient) -> None:
    """``stream_mode="messages"`` makes langchain-openai stream (server-sent events), the way a UI shows tokens."""
    server, model = serve("balance", [("get_contact", {"email": JANE})], "Jane has credits.")
    graph = build_graph(PiggyToolkit(client=client), model=model, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "openai-stream"}}
    chunks = list(graph.stream({"messages": [("user", f"Credits of {JANE}?")]}, cfg, stream_mode="messages"))
    assert any(getattr(chunk, "tool_call_chunks", None) for chunk, _ in chunks)
    assert graph.get_state(cfg).values["messages"][-1].content == "Jane has credits."
    assert all(r.get("stream") for r in server.requests) and server.refused == []
