"""An MCP server over a ``PiggyToolkit``: every registry tool, its JSON schema, risk annotations and errors.

Tool calls go through the same LangChain tools as everywhere else, so validation, error messages and customer
scoping are identical. A failed call is an MCP tool error (``isError``) with the actionable message; the server
itself never crashes on bad input.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import mcp.types as types
from langchain_core.messages import ToolMessage
from mcp.server.lowlevel import Server

from piggy_agent_tools.toolkit import PiggyToolkit

SERVER_NAME = "piggy-agent-tools"


def mcp_tools(toolkit: PiggyToolkit) -> list[types.Tool]:
    """The MCP tool list derived from the registry: name, title, description, schema and annotations."""
    out = []
    for spec in toolkit.specs:
        tool = next(t for t in toolkit.get_tools() if t.name == spec.name)
        schema = tool.tool_call_schema.model_json_schema()  # type: ignore[union-attr]
        schema.pop("title", None)
        schema.setdefault("properties", {})
        hints = spec.hints
        out.append(
            types.Tool(
                name=spec.name,
                title=spec.title,
                description=spec.description,
                inputSchema=schema,
                annotations=types.ToolAnnotations(
                    title=hints["title"],
                    readOnlyHint=hints["readOnlyHint"],
                    destructiveHint=hints["destructiveHint"],
                    idempotentHint=hints["idempotentHint"],
                    openWorldHint=hints["openWorldHint"],
                ),
                meta={"piggy_risk": spec.max_risk.value, "piggy_group": spec.group},
            )
        )
    return out


def build_server(toolkit: PiggyToolkit) -> Server[Any, Any]:
    """A low-level MCP server whose tools are the toolkit's tools."""
    server: Server[Any, Any] = Server(SERVER_NAME)
    listed = mcp_tools(toolkit)
    tools = {t.name: t for t in toolkit.get_tools()}

    @server.list_tools()  # type: ignore[no-untyped-call, untyped-decorator]
    async def list_tools() -> list[types.Tool]:
        return listed

    @server.call_tool(validate_input=False)  # type: ignore[untyped-decorator]
    async def call_tool(name: str, arguments: dict[str, Any] | None) -> types.CallToolResult:
        tool = tools.get(name)
        if tool is None:
            return _error(f"Unknown tool {name!r}. Call tools/list for the available tools.")
        call = {"type": "tool_call", "id": f"mcp_{uuid.uuid4().hex[:12]}", "name": name, "args": arguments or {}}
        try:
            message = await tool.ainvoke(call)
        except Exception as exc:  # a bug must not take the server down; the client sees a tool error
            return _error(f"Error in {name}: {type(exc).__name__}. The call was not completed.")
        assert isinstance(message, ToolMessage)
        text = str(message.content)
        if message.status == "error":
            return _error(text)
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)],
            structuredContent=_structured(text),
            isError=False,
        )

    return server


def _structured(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"result": text}
    return value if isinstance(value, dict) else {"result": value}


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], isError=True)
