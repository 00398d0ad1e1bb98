"""Helpers for tool tests: invoke a tool the way an agent does (a tool call in, a ToolMessage out)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from piggy_agent_tools.toolkit import PiggyToolkit


def tool(toolkit: PiggyToolkit, name: str) -> BaseTool:
    found = {t.name: t for t in toolkit.get_tools()}
    assert name in found, f"{name} not in toolkit: {sorted(found)}"
    return found[name]


def call(toolkit: PiggyToolkit, name: str, /, **args: Any) -> ToolMessage:
    """Invoke synchronously with a tool call; returns the ToolMessage the model would see."""
    message = tool(toolkit, name).invoke({"type": "tool_call", "id": uuid.uuid4().hex, "name": name, "args": args})
    assert isinstance(message, ToolMessage)
    return message


async def acall(toolkit: PiggyToolkit, name: str, /, **args: Any) -> ToolMessage:
    """Invoke asynchronously (real async client underneath)."""
    message = await tool(toolkit, name).ainvoke(
        {"type": "tool_call", "id": uuid.uuid4().hex, "name": name, "args": args}
    )
    assert isinstance(message, ToolMessage)
    return message


def content(message: ToolMessage) -> Any:
    """The compact JSON content as data (fails on an error message)."""
    assert message.status != "error", message.content
    return json.loads(str(message.content))
