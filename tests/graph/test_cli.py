"""The CLI driven through stdin with --jsonl, as scripts and CI use it (the real module, a real sandbox)."""

from __future__ import annotations

import io
import json
from typing import Any

from graphs.support_agent.cli import main, parse_command
from piggy_agent_tools.sandbox import Sandbox


def _run(sandbox: Sandbox, lines: list[str], *extra: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    code = main(
        ["--jsonl", "--base-url", sandbox.base_url, "--api-key", sandbox.api_key, *extra],
        stdin=io.StringIO("\n".join(lines) + "\n"),
        stdout=out,
    )
    assert code == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_scripted_conversation_emits_user_tool_and_assistant_events(sandbox: Sandbox) -> None:
    events = _run(sandbox, ["how many points does tom.berg@example.com have?"])
    kinds = [e["event"] for e in events]
    assert kinds[:2] == ["info", "user"]
    assert {"tool_call", "tool_result", "assistant"} <= set(kinds)
    call = next(e for e in events if e["event"] == "tool_call")
    assert call["name"] == "get_contact" and call["args"] == {"email": "tom.berg@example.com"}
    assert "Tom Berg has" in next(e for e in events if e["event"] == "assistant")["text"]


def test_approval_lines_answer_the_pending_interrupt(sandbox: Sandbox, client: Any, new_email: str) -> None:
    client.contacts.create(new_email)
    events = _run(
        sandbox,
        [
            f"delete the account of {new_email}",
            "/reject identity not verified",
            f"delete the account of {new_email}",
            "/approve",
            "/approve",
        ],
    )
    interrupts = [e for e in events if e["event"] == "interrupt"]
    assert len(interrupts) == 2
    assert interrupts[0]["action_requests"][0]["description"].startswith(f"Delete contact {new_email}")
    decisions = [e for e in events if e["event"] == "decision"]
    assert [d["decisions"][0]["type"] for d in decisions] == ["reject", "approve"]
    assert any(e["event"] == "info" and "No approval is pending" in e["text"] for e in events)
    deletes = [r for r in sandbox.audit("contacts.delete")]
    assert sum(1 for r in deletes if r["args"]["contact_uuid"] == call_uuid(events)) == 1


def call_uuid(events: list[dict[str, Any]]) -> str:
    return next(e for e in events if e["event"] == "tool_call" and e["name"] == "delete_contact")["args"][
        "contact_uuid"
    ]


def test_as_contact_scopes_the_agent_to_one_customer(sandbox: Sandbox) -> None:
    events = _run(sandbox, ["what is my balance?"], "--as-contact", "tom.berg@example.com")
    assert "customer-scoped as tom.berg@example.com" in events[0]["text"]
    call = next(e for e in events if e["event"] == "tool_call")
    assert call["name"] == "get_contact" and call["args"] == {}
    assert "Tom Berg" in next(e for e in events if e["event"] == "assistant")["text"]


def test_edit_command_builds_one_edit_decision_per_request() -> None:
    requests = [{"name": "delete_contact", "args": {"contact_uuid": "x"}}]
    decisions = parse_command('/edit {"contact_uuid": "x", "type": "GDPR"}', requests)
    assert decisions == [
        {"type": "edit", "edited_action": {"name": "delete_contact", "args": {"contact_uuid": "x", "type": "GDPR"}}}
    ]
    assert parse_command("/reject too risky", requests) == [{"type": "reject", "message": "too risky"}]
    assert parse_command("hello", requests) is None
