"""``mcp --sandbox-db FILE``: the embedded sandbox keeps its state in a SQLite file, so MCP hosts that start a new
server per call (langchain-mcp-adapters over stdio) see their earlier writes. Plain ``--sandbox`` does not."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from _mcp_process import COMMAND, ROOT
from langchain_mcp_adapters.client import MultiServerMCPClient
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def _adapter_client(*extra: str) -> MultiServerMCPClient:
    """langchain-mcp-adapters with a stdio connection: every tool call starts a fresh server process."""
    args = [*COMMAND[1:], *extra]
    server = {"command": COMMAND[0], "args": args, "transport": "stdio", "cwd": str(ROOT)}
    return MultiServerMCPClient({"piggy": server})  # type: ignore[dict-item]


async def _create_then_find(*extra: str) -> str:
    email = f"persist-{uuid.uuid4().hex[:10]}@example.com"
    tools = {t.name: t for t in await _adapter_client(*extra, "--include", "create_contact,get_contact").get_tools()}
    await tools["create_contact"].ainvoke({"email": email})
    return str(await tools["get_contact"].ainvoke({"email": email}))


async def test_a_write_in_one_server_process_is_seen_by_the_next(tmp_path: Path) -> None:
    """Two server processes one after the other on the same --sandbox-db file (the official client over stdio)."""
    email = f"persist-{uuid.uuid4().hex[:10]}@example.com"
    db = str(tmp_path / "piggy.sqlite")
    params = StdioServerParameters(command=COMMAND[0], args=[*COMMAND[1:], "--sandbox-db", db], cwd=str(ROOT))
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        made = await session.call_tool("create_contact", {"email": email})
        assert not made.isError, made.content
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        found = await session.call_tool("get_contact", {"email": email})
    assert not found.isError and found.structuredContent and found.structuredContent["email"] == email


@pytest.mark.slow  # three server processes (one per adapter call)
async def test_sandbox_db_keeps_state_between_server_processes(tmp_path: Path) -> None:
    found = await _create_then_find("--sandbox-db", str(tmp_path / "piggy.sqlite"))
    assert "persist-" in found and "uuid" in found


@pytest.mark.slow  # three server processes (one per adapter call)
async def test_plain_sandbox_resets_per_process_as_its_help_says() -> None:
    found = await _create_then_find("--sandbox")
    assert "uuid" not in found and ("No contact" in found or "not found" in found.lower())
