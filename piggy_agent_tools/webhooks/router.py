"""``webhook_router``: a FastAPI router that verifies, parses and dispatches Piggy webhook deliveries.

Needs FastAPI (``pip install 'piggy-agent-tools[sandbox]'`` or ``pip install fastapi``).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from piggy_agent_tools.webhooks.events import WebhookEvent, WebhookPayloadError, parse_event
from piggy_agent_tools.webhooks.replay import ReplayGuard, delivery_identity
from piggy_agent_tools.webhooks.signature import SIGNATURE_HEADER, verify_signature

logger = logging.getLogger(__name__)

Handler = Callable[[Any], Any]

# Piggy's events are a few KiB; 1 MiB leaves room for big custom attributes and refuses floods early.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class _BodyTooLarge(Exception):
    pass


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, read chunk by chunk; stops (raising) as soon as it passes ``limit``, so memory stays bounded."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _BodyTooLarge  # refused from the header: not one byte of the body is read
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _BodyTooLarge
    return bytes(body)


def webhook_router(
    secret: str,
    handlers: Mapping[str, Handler],
    *,
    path: str = "/piggy/webhooks",
    default: Handler | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    replay_guard: ReplayGuard | None = None,
) -> APIRouter:
    """A router with one POST route at ``path`` for ``app.include_router(...)``.

    A body over ``max_body_bytes`` answers 413 before it is read (from ``Content-Length``, else while streaming);
    a missing or wrong ``Signature`` answers 401; a body that is not an event (including absurd nesting) 400. The
    event goes to ``handlers[event.type]`` (else ``default``; an event nobody handles is acknowledged). Handlers
    take the event and may be sync (run in a thread) or async. A handler that raises answers 500, so Piggy retries;
    keep handlers quick (queue slow work) because Piggy waits for the answer.

    ``replay_guard`` (``InMemoryReplayGuard`` or ``SQLiteReplayGuard``) runs each signed body's handler once per
    TTL: a replay is acknowledged with ``"status": "duplicate"`` and runs nothing. Handlers must still be idempotent.
    """
    if not secret:
        raise ValueError("webhook_router needs the subscription secret (or the account secret)")
    if max_body_bytes <= 0:
        raise ValueError("max_body_bytes must be a positive number of bytes")
    table = dict(handlers)
    router = APIRouter()

    @router.post(path, include_in_schema=False)
    async def receive_piggy_webhook(request: Request) -> JSONResponse:
        try:
            raw = await _read_capped(request, max_body_bytes)
        except _BodyTooLarge:
            return JSONResponse({"message": f"Body larger than {max_body_bytes} bytes."}, status_code=413)
        if not verify_signature(raw, request.headers.get(SIGNATURE_HEADER), secret):
            return JSONResponse({"message": "Invalid signature."}, status_code=401)
        try:
            event = parse_event(raw)
        except WebhookPayloadError as exc:
            return JSONResponse({"message": str(exc)}, status_code=400)
        handler = table.get(event.type, default)
        if handler is None:
            return JSONResponse({"status": "ignored", "type": event.type})
        key = delivery_identity(raw) if replay_guard is not None else ""
        if replay_guard is not None and not await run_in_threadpool(replay_guard.claim, key):
            return JSONResponse({"status": "duplicate", "type": event.type})
        try:
            await _call(handler, event)
        except Exception:
            logger.exception("webhook handler for %s failed", event.type)
            if replay_guard is not None:
                await run_in_threadpool(replay_guard.release, key)  # so Piggy's retry runs the handler
            return JSONResponse({"message": "Handler failed."}, status_code=500)
        return JSONResponse({"status": "ok", "type": event.type})

    return router


async def _call(handler: Handler, event: WebhookEvent) -> None:
    """Await an async handler; run a sync one in the thread pool (awaiting what it returns, if awaitable)."""
    call_method = getattr(type(handler), "__call__", None)  # noqa: B004 - callable objects with an async __call__
    if inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(call_method):
        await handler(event)
        return
    result = await run_in_threadpool(handler, event)
    if inspect.isawaitable(result):
        await result
