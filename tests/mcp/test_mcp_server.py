"""The MCP server, driven by the official MCP client: over stdio (a subprocess) and streamable HTTP.

Names, schemas and annotations are checked against the registry; calls are checked against the sandbox's state.
"""

from __future__ import annotations

import json

from _mcp_process import HttpServer, stdio_params
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp import ClientSession
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client

from piggy_agent_tools import PiggyClient, __version__
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit

_params = stdio_params


async def test_stdio_lists_every_registry_tool_with_schema_and_annotations(
    sandbox: Sandbox, client: PiggyClient
) -> None:
    toolkit = PiggyToolkit(client=client)
    async with stdio_client(_params(sandbox)) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        listed = {t.name: t for t in (await session.list_tools()).tools}
    assert set(listed) == {s.name for s in toolkit.specs}
    for spec in toolkit.specs:
        tool = listed[spec.name]
        assert tool.description == spec.description
        assert tool.annotations is not None
        assert tool.annotations.readOnlyHint == spec.hints["readOnlyHint"]
        assert tool.annotations.destructiveHint == spec.hints["destructiveHint"]
        assert tool.annotations.idempotentHint == spec.hints["idempotentHint"]
        assert tool.annotations.openWorldHint is True and tool.annotations.title == spec.title
        lc = next(t for t in toolkit.get_tools() if t.name == spec.name)
        assert set(tool.inputSchema["properties"]) == set(lc.args)


async def test_stdio_calls_a_read_and_a_write_and_reports_bad_arguments(
    sandbox: Sandbox, client: PiggyClient, new_email: str
) -> None:
    async with stdio_client(_params(sandbox)) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        got = await session.call_tool("get_contact", {"email": "jane.doe@example.com"})
        assert not got.isError and got.structuredContent and got.structuredContent["uuid"] == ids.JANE
        made = await session.call_tool("create_contact", {"email": new_email})
        assert not made.isError
        assert client.contacts.find_by_email(new_email).uuid == json.loads(made.content[0].text)["uuid"]
        bad = await session.call_tool("get_contact", {"contact_uuid": "../../shops"})
        assert bad.isError and "contact_uuid" in bad.content[0].text
        unknown = await session.call_tool("drop_database", {})
        assert unknown.isError
        still = await session.call_tool("get_contact", {"contact_uuid": ids.TOM})  # the server survived
        assert not still.isError


async def test_read_only_and_scoped_options_shape_the_tool_list(sandbox: Sandbox) -> None:
    params = _params(sandbox, "--read-only", "--as-contact", "tom.berg@example.com")
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        tools = (await session.list_tools()).tools
        assert tools and all(t.annotations and t.annotations.readOnlyHint for t in tools)
        assert all("contact_uuid" not in t.inputSchema["properties"] for t in tools)
        me = await session.call_tool("get_contact", {})
        assert me.structuredContent and me.structuredContent["uuid"] == ids.TOM


async def test_langchain_mcp_adapters_turn_them_back_into_working_tools(sandbox: Sandbox) -> None:
    async with (
        stdio_client(_params(sandbox, "--include", "get_contact")) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = await load_mcp_tools(session)
        assert [t.name for t in tools] == ["get_contact"]
        result = await tools[0].ainvoke({"email": "jane.doe@example.com"})
        assert ids.JANE in str(result)


async def test_streamable_http_round_trip(http_mcp: HttpServer, client: PiggyClient, new_email: str) -> None:
    async with (
        streamablehttp_client(http_mcp.url, headers=http_mcp.auth) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        init = await session.initialize()
        assert init.serverInfo.name == "piggy-agent-tools" and init.serverInfo.version == __version__
        names = {t.name for t in (await session.list_tools()).tools}
        assert {"get_contact", "create_contact"} <= names
        made = await session.call_tool("create_contact", {"email": new_email})
        assert not made.isError
        assert client.contacts.find_by_email(new_email).email == new_email
