"""Confirmation inside MCP: a call the policy says needs a person is asked through the host (elicitation/create).

The official ``mcp`` client plays the host: one session whose elicitation callback answers from a script (decline,
cancel, accept without ticking Approve, an error, then accept), one session with no elicitation support; over stdio
and streamable HTTP. What ran is read back from the sandbox's audit log, not from the server's own reply.
"""

from __future__ import annotations

import uuid
from typing import Any

import mcp.types as types
import pytest
from _mcp_process import HttpServer, stdio_params
from mcp import ClientSession
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.context import RequestContext

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox


class ScriptedPerson:
    """An elicitation callback that answers from a script and records every question it was shown."""

    def __init__(self, *answers: types.ElicitResult | types.ErrorData) -> None:
        self.answers = list(answers)
        self.asked: list[types.ElicitRequestParams] = []

    async def __call__(
        self, context: RequestContext[ClientSession, Any], params: types.ElicitRequestParams
    ) -> types.ElicitResult | types.ErrorData:
        self.asked.append(params)
        return self.answers.pop(0)


DECLINE = types.ElicitResult(action="decline")
CANCEL = types.ElicitResult(action="cancel")
UNTICKED = types.ElicitResult(action="accept", content={"approve": False})
ACCEPT = types.ElicitResult(action="accept", content={"approve": True})
BROKEN = types.ErrorData(code=-32603, message="the dialog crashed")  # a host that advertised elicitation, then failed


def _deletes(sandbox: Sandbox, contact_uuid: str) -> int:
    """How many times the sandbox really deleted this contact (its audit log, the ground truth)."""
    rows = sandbox.http().get("/_sandbox/audit", params={"operation": "contacts.delete"}).json()["data"]
    return sum(1 for r in rows if r["args"].get("contact_uuid") == contact_uuid)


async def _exercise_person(
    session: ClientSession, person: ScriptedPerson, sandbox: Sandbox, client: PiggyClient
) -> None:
    """Decline, cancel, an unticked accept and a host error run nothing; an explicit accept runs it exactly once."""
    email = f"mcp-confirm-{uuid.uuid4().hex[:10]}@example.com"
    victim = client.contacts.create(email).uuid
    for expected in ("declined", "cancelled", "did not tick Approve", "could not ask the person"):
        result = await session.call_tool("delete_contact", {"contact_uuid": victim})
        assert result.isError, expected
        assert expected in result.content[0].text and "Nothing was done" in result.content[0].text
        assert _deletes(sandbox, victim) == 0
    done = await session.call_tool("delete_contact", {"contact_uuid": victim})
    assert not done.isError, done.content
    assert _deletes(sandbox, victim) == 1
    assert len(person.asked) == 5 and not person.answers
    shown = person.asked[0]
    assert isinstance(shown, types.ElicitRequestFormParams)
    assert shown.message.startswith(f"Delete contact {email}")  # the approval node's description, resolved
    assert shown.requestedSchema["required"] == ["approve"]


async def _exercise_no_support(session: ClientSession, sandbox: Sandbox, client: PiggyClient, tag: str) -> None:
    """Without elicitation the call is refused with an isError result that says why; reads still run."""
    victim = client.contacts.create(f"mcp-noelicit-{tag}-{uuid.uuid4().hex[:8]}@example.com").uuid
    result = await session.call_tool("delete_contact", {"contact_uuid": victim})
    assert result.isError
    text = result.content[0].text
    assert "does not support elicitation" in text and "--allow-unconfirmed" in text and "Nothing was done" in text
    assert _deletes(sandbox, victim) == 0
    read = await session.call_tool("get_contact", {"contact_uuid": victim})
    assert not read.isError  # only calls that need a person are held back


async def test_stdio_elicitation_accept_runs_once_decline_cancel_none_run_nothing(
    sandbox: Sandbox, client: PiggyClient
) -> None:
    person = ScriptedPerson(DECLINE, CANCEL, UNTICKED, BROKEN, ACCEPT)
    async with (
        stdio_client(stdio_params(sandbox)) as (read, write),
        ClientSession(read, write, elicitation_callback=person) as session,
    ):
        await session.initialize()
        await _exercise_person(session, person, sandbox, client)
    async with stdio_client(stdio_params(sandbox)) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await _exercise_no_support(session, sandbox, client, "stdio")


async def test_http_elicitation_accept_runs_once_decline_cancel_none_run_nothing(
    http_mcp: HttpServer, sandbox: Sandbox, client: PiggyClient
) -> None:
    person = ScriptedPerson(DECLINE, CANCEL, UNTICKED, BROKEN, ACCEPT)
    async with (
        streamablehttp_client(http_mcp.url, headers=http_mcp.auth) as (read, write, _),
        ClientSession(read, write, elicitation_callback=person) as session,
    ):
        await session.initialize()
        await _exercise_person(session, person, sandbox, client)
    async with (
        streamablehttp_client(http_mcp.url, headers=http_mcp.auth) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        await _exercise_no_support(session, sandbox, client, "http")


@pytest.mark.slow  # one more server process; `make reliability` runs it
async def test_operator_opt_in_runs_without_elicitation(sandbox: Sandbox, client: PiggyClient) -> None:
    """``--allow-unconfirmed`` is the explicit escape hatch for hosts that confirm in their own UI."""
    victim = client.contacts.create(f"mcp-optin-{uuid.uuid4().hex[:8]}@example.com").uuid
    async with (
        stdio_client(stdio_params(sandbox, "--allow-unconfirmed", "--include", "delete_contact")) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        result = await session.call_tool("delete_contact", {"contact_uuid": victim})
    assert not result.isError, result.content
    assert _deletes(sandbox, victim) == 1
