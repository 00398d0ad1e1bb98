"""LangChain v1 ``create_agent`` with the approval middleware, driven by a scripted model against the sandbox.

Reject leaves the contact untouched, approve deletes it, edit runs the edited arguments; reads and plain writes
run without a person.
"""

from __future__ import annotations

from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from piggy_agent_tools import PiggyClient, PiggyToolkit
from piggy_agent_tools.errors import NotFoundError
from piggy_agent_tools.middleware import piggy_middleware
from piggy_agent_tools.sandbox import Sandbox
from tests.graph.fakes import calls, script


def _agent(toolkit: PiggyToolkit, *replies: Any, middleware: Any = None) -> Any:
    return create_agent(
        script(*replies),
        tools=toolkit.get_tools(),
        middleware=[middleware or HumanInTheLoopMiddleware(interrupt_on=toolkit.interrupt_on())],
        checkpointer=InMemorySaver(),
    )


def _exists(client: PiggyClient, uuid: str) -> bool:
    try:
        client.contacts.get(uuid)
    except NotFoundError:
        return False
    return True


def _deletes(sandbox: Sandbox, uuid: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit("contacts.delete") if r["args"].get("contact_uuid") == uuid]


def test_reject_leaves_the_contact_untouched(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    uuid = client.contacts.create(new_email).uuid
    agent = _agent(toolkit, calls(("delete_contact", {"contact_uuid": uuid})), "Not deleted.")
    cfg = {"configurable": {"thread_id": "reject"}}
    first = agent.invoke({"messages": [("user", "delete")]}, cfg)
    assert first["__interrupt__"][0].value["action_requests"][0]["name"] == "delete_contact"
    done = agent.invoke(Command(resume={"decisions": [{"type": "reject", "message": "no"}]}), cfg)
    assert _exists(client, uuid) and not _deletes(sandbox, uuid)
    assert any(isinstance(m, ToolMessage) and m.status == "error" for m in done["messages"])


def test_approve_deletes_the_contact(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    uuid = client.contacts.create(new_email).uuid
    agent = _agent(toolkit, calls(("delete_contact", {"contact_uuid": uuid})), "Deleted.")
    cfg = {"configurable": {"thread_id": "approve"}}
    agent.invoke({"messages": [("user", "delete")]}, cfg)
    agent.invoke(Command(resume={"decisions": [{"type": "approve"}]}), cfg)
    assert not _exists(client, uuid) and len(_deletes(sandbox, uuid)) == 1


def test_edit_runs_the_edited_arguments(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    uuid = client.contacts.create(new_email).uuid
    agent = _agent(toolkit, calls(("delete_contact", {"contact_uuid": uuid})), "Deleted under GDPR.")
    cfg = {"configurable": {"thread_id": "edit"}}
    agent.invoke({"messages": [("user", "delete")]}, cfg)
    edit = {"type": "edit", "edited_action": {"name": "delete_contact", "args": {"contact_uuid": uuid, "type": "GDPR"}}}
    agent.invoke(Command(resume={"decisions": [edit]}), cfg)
    rows = _deletes(sandbox, uuid)
    assert len(rows) == 1 and rows[0]["args"]["type"] == "GDPR"


def test_reads_and_plain_writes_do_not_interrupt(toolkit: PiggyToolkit, new_email: str) -> None:
    agent = _agent(
        toolkit,
        calls(("get_contact", {"email": "jane.doe@example.com"}), ("create_contact", {"email": new_email})),
        "Done.",
        middleware=piggy_middleware(toolkit),
    )
    out = agent.invoke({"messages": [("user", "look up and create")]}, {"configurable": {"thread_id": "reads"}})
    assert "__interrupt__" not in out
    assert [m.status for m in out["messages"] if isinstance(m, ToolMessage)] == ["success", "success"]


def test_piggy_middleware_describes_the_action_in_words(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    uuid = client.contacts.create(new_email).uuid
    agent = _agent(
        toolkit,
        calls(("delete_contact", {"contact_uuid": uuid, "type": "GDPR"})),
        "ok",
        middleware=piggy_middleware(toolkit),
    )
    out = agent.invoke({"messages": [("user", "delete")]}, {"configurable": {"thread_id": "describe"}})
    description = out["__interrupt__"][0].value["action_requests"][0]["description"]
    assert description == f"Delete contact {new_email} (GDPR: personal data erased). Cannot be undone."
