"""A scripted Anthropic messages-API server on 127.0.0.1 (``POST /v1/messages``), checking requests as Anthropic does.

The twin of ``scripted_openai``: the same ``Script`` brains, Anthropic's wire format, so an agent runs through the
real ``anthropic`` SDK and ``langchain-anthropic``. It refuses, with Anthropic's 400 error shape, a ``tool_use``
without a ``tool_result`` in the very next user message, a ``tool_result`` answering nothing, and a tool whose
``input_schema`` is not an object schema.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from graphs.scripted_openai import _NAME, Brain, LocalServer, RequestRefused, count_tokens


def check_messages_request(body: dict[str, Any]) -> None:
    """Raise ``RequestRefused`` for what Anthropic's messages API refuses."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or messages[0].get("role") != "user":
        raise RequestRefused("messages: the first message must use the 'user' role")
    if not body.get("max_tokens"):
        raise RequestRefused("max_tokens: Field required")
    pending: list[str] = []  # tool_use ids of the previous assistant turn
    for i, message in enumerate(messages):
        role, blocks = message.get("role"), _blocks(message.get("content"))
        if role not in ("user", "assistant"):
            raise RequestRefused(f"messages.{i}.role: Input should be 'user' or 'assistant'")
        results = [b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"]
        if role == "user":
            missing = [p for p in pending if p not in results]
            if missing:
                raise RequestRefused(
                    f"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after: "
                    + ", ".join(missing)
                )
            if len(set(results)) != len(results) or set(results) - set(pending):
                raise RequestRefused(f"messages.{i}.content: unexpected `tool_use_id` found in `tool_result` blocks")
            pending = []
        else:
            if pending:
                raise RequestRefused(
                    f"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after: "
                    + ", ".join(pending)
                )
            if results:
                raise RequestRefused(f"messages.{i}: tool_result blocks belong in a user message")
            pending = [b["id"] for b in blocks if b.get("type") == "tool_use"]
    if pending:
        raise RequestRefused(f"`tool_use` ids were found without `tool_result` blocks immediately after: {pending}")
    for i, tool in enumerate(body.get("tools") or []):
        schema = tool.get("input_schema") or {}
        if not _NAME.match(str(tool.get("name", ""))) or schema.get("type") != "object":
            raise RequestRefused(f"tools.{i}: a name matching ^[a-zA-Z0-9_-]{{1,64}}$ and an object input_schema")
        if {"oneOf", "anyOf", "allOf"} & set(schema):
            raise RequestRefused(f"tools.{i}.input_schema: does not support oneOf, allOf, or anyOf at the top level")


def _blocks(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [b for b in content or [] if isinstance(b, dict)]


@dataclass
class ScriptedAnthropic(LocalServer):
    """The server. ``requests`` keeps every request body it answered; ``refused`` every refusal message."""

    brain: Brain
    requests: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    port: int = 0
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/messages")
        async def messages(request: Request) -> JSONResponse:
            body = await request.json()
            try:
                check_messages_request(body)
                reply = self.brain(body)
            except RequestRefused as exc:
                self.refused.append(str(exc))
                error = {"type": "invalid_request_error", "message": str(exc)}
                return JSONResponse({"type": "error", "error": error}, status_code=400)
            self.requests.append(body)
            if isinstance(reply, str):
                content: list[dict[str, Any]] = [{"type": "text", "text": reply}]
            else:
                content = [
                    {"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:20]}", "name": n, "input": a}
                    for n, a in reply
                ]
            prompt = count_tokens(body["messages"]) + count_tokens(body.get("tools") or [])
            return JSONResponse(
                {
                    "id": f"msg_{uuid.uuid4().hex[:20]}",
                    "type": "message",
                    "role": "assistant",
                    "model": body.get("model", "scripted"),
                    "content": content,
                    "stop_reason": "end_turn" if isinstance(reply, str) else "tool_use",
                    "stop_sequence": None,
                    "usage": {"input_tokens": prompt, "output_tokens": count_tokens(content)},
                }
            )

        return app


__all__ = ["ScriptedAnthropic", "check_messages_request"]
