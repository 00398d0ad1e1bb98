"""An MCP server over a ``PiggyToolkit``: every registry tool, its JSON schema, risk annotations and errors.

Tool calls go through the same LangChain tools as everywhere else, so validation, error messages and customer
scoping are identical. A failed call is an MCP tool error (``isError``) with the actionable message; the server
itself never crashes on bad input.

A call the approval policy says needs a person (``PiggyToolkit.decide``) is confirmed in band: the server asks the
person through the host with MCP elicitation (``elicitation/create``), showing the approval node's description, and
runs the call only on an explicit accept. A host without elicitation gets an ``isError`` refusal saying why, unless
the operator opted in with ``allow_unconfirmed`` (the host's own approval UI is then the only check).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import anyio.to_thread
import mcp.types as types
from langchain_core.messages import ToolMessage
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import McpError

from piggy_agent_tools import __version__
from piggy_agent_tools.policy import Verdict
from piggy_agent_tools.toolkit import PiggyToolkit

SERVER_NAME = "piggy-agent-tools"
SERVER_VERSION = __version__

# What the host shows the person: one required yes/no field, so "accept" without a ticked box is not a yes.
APPROVAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "approve": {
            "type": "boolean",
            "title": "Approve",
            "description": "Tick to run this action now; leave unticked or decline to do nothing.",
        }
    },
    "required": ["approve"],
}
_ELICITATION = types.ClientCapabilities(elicitation=types.ElicitationCapability())


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


def build_server(toolkit: PiggyToolkit, *, allow_unconfirmed: bool = False) -> Server[Any, Any]:
    """A low-level MCP server whose tools are the toolkit's tools, reporting our name and version.

    ``allow_unconfirmed=True`` runs calls that need a person's decision even when the host cannot ask (no
    elicitation support); by default they are refused. A host that can ask is always asked.
    """
    server: Server[Any, Any] = Server(SERVER_NAME, version=SERVER_VERSION)
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
        refusal = await _confirm(server, toolkit, call, allow_unconfirmed)
        if refusal is not None:
            return _error(refusal)
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


async def _confirm(
    server: Server[Any, Any], toolkit: PiggyToolkit, call: dict[str, Any], allow_unconfirmed: bool
) -> str | None:
    """None when the call may run; otherwise the refusal the host (and its model) is shown. Nothing runs before this.

    The policy and the description may look things up in Piggy with the sync client, so they run in a thread.
    """
    decision = await anyio.to_thread.run_sync(toolkit.decide, call)
    if decision.verdict is Verdict.RUN:
        return None
    if decision.verdict is Verdict.REFUSE:
        return f"Refused: {decision.reason}. Nothing was done."
    from piggy_agent_tools.hitl.describe import describe_call  # the approval node's wording, loaded on first use

    description = await anyio.to_thread.run_sync(describe_call, toolkit, call)
    context = server.request_context
    if not context.session.check_client_capability(_ELICITATION):
        if allow_unconfirmed:
            return None
        return (
            f"Not run: {description} The approval policy says: {decision.reason}. This MCP host cannot ask the "
            "person (it does not support elicitation). Nothing was done. Use a host that supports elicitation, "
            "or the server's operator can start it with --allow-unconfirmed."
        )
    try:
        result = await context.session.elicit_form(
            message=f"{description}\n\nApprove this action? (Why you are asked: {decision.reason}.)",
            requestedSchema=APPROVAL_SCHEMA,  # type: ignore[arg-type]
            related_request_id=context.request_id,
        )
    except McpError as exc:  # the host advertised elicitation but could not ask: no answer is not a yes
        return f"Not run: the host could not ask the person ({exc.error.message}). {description} Nothing was done."
    if result.action == "accept" and (result.content or {}).get("approve") is True:
        return None
    how = {"accept": "did not tick Approve", "decline": "declined", "cancel": "cancelled"}[result.action]
    return f"Not run: the person {how} when asked to approve: {description} Nothing was done."


def _structured(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"result": text}
    return value if isinstance(value, dict) else {"result": value}


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], isError=True)
