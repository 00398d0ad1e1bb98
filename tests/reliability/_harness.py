"""The reliability harness: an httpx transport that counts and checks every request, and the checks one tool answer
must pass (a ToolMessage, never a traceback or a 5xx; a refusal names the field and sends nothing)."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from piggy_agent_tools.tools._errors import _NEXT_STEP

NEXT_STEPS = tuple(step for _kind, step in _NEXT_STEP)
REFUSED = "invalid arguments"


@dataclass
class Seen:
    """What went over the wire."""

    requests: list[httpx.Request] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    dirty_paths: list[str] = field(default_factory=list)

    def note(self, request: httpx.Request, response: httpx.Response) -> None:
        self.requests.append(request)
        if response.status_code >= 500:
            self.server_errors.append(f"{request.method} {request.url.path} -> {response.status_code}")
        raw = request.url.raw_path.decode("ascii", "replace").split("?", 1)[0]
        if any(unquote(seg) in (".", "..") for seg in raw.split("/")) or request.url.fragment:
            self.dirty_paths.append(raw)


class CountingTransport(httpx.BaseTransport):
    """Passes requests through to a real transport and records them (and any 5xx) in ``seen``."""

    def __init__(self, inner: httpx.BaseTransport, seen: Seen) -> None:
        self.inner, self.seen = inner, seen

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        self.seen.note(request, response)
        return response

    def close(self) -> None:
        self.inner.close()


class AsyncCountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, seen: Seen) -> None:
        self.inner, self.seen = inner, seen

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.seen.note(request, response)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def tool_call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_call", "id": f"call_{uuid.uuid4().hex[:12]}", "name": name, "args": args}


def names_field(text: str, name: str) -> bool:
    """The refusal names ``name`` as an argument (``name must...``, ``name.0.x ...``, ``name is required``)."""
    return re.search(rf"(^|[\s;:(,]){re.escape(name)}([\s.:,)]|$)", text) is not None


@dataclass
class Verdict:
    message: ToolMessage
    sent: int
    refused: bool


def check_answer(tool: BaseTool, args: dict[str, Any], message: Any, sent: int, fields: set[str]) -> Verdict:
    """The checks every answer passes, whatever the input. ``fields``: the names a refusal may name."""
    assert isinstance(message, ToolMessage), f"{tool.name} returned {type(message).__name__}, not a ToolMessage"
    text = str(message.content)
    assert "Traceback" not in text, text[:2000]
    if message.status != "error":
        json.loads(text)  # compact JSON content
        return Verdict(message, sent, refused=False)
    assert text.startswith(f"Error in {tool.name}: "), text[:500]
    assert "ServerError" not in text, f"a 5xx-derived error for {args!r}: {text[:500]}"
    refused = REFUSED in text and "nothing was sent" in text
    if refused:
        assert sent == 0, f"{tool.name} refused {args!r} but sent {sent} request(s)"
        assert any(names_field(text, f) for f in fields), f"the refusal names no argument: {text[:500]}"
    else:
        assert text.rstrip().endswith(NEXT_STEPS), f"not actionable (no next step): {text[:500]}"
    return Verdict(message, sent, refused)


def print_summary(request: Any, lines: list[str]) -> None:
    """Print the figures even under output capture (they are what the reliability report publishes)."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    if capture is None:
        for line in ["", *lines]:
            reporter.write_line(line)
        return
    with capture.global_and_fixture_disabled():
        for line in ["", *lines]:
            reporter.write_line(line)
