"""A real webhook receiver for the tests: FastAPI with the library's ``webhook_router``, served by uvicorn.

Routes: ``/piggy/webhooks`` (the router; records typed events), ``/flaky`` (the router with a handler that fails
while ``failures_left`` > 0), ``/raw/{status}`` (records headers and raw body, answers ``status``), ``/slow``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response

from piggy_agent_tools.sandbox.server import free_port
from piggy_agent_tools.webhooks import WebhookEvent, webhook_router

SECRET = "whsec-test-receiver"


@dataclass
class RawDelivery:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Collects what the sandbox delivers; ``wait_for`` polls until a matching delivery arrives."""

    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.events: list[tuple[str, WebhookEvent]] = []
        self.raw: list[RawDelivery] = []
        self.failures_left = 0
        self.handler_calls: list[str] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.app = self._build()
        self._server: uvicorn.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _build(self) -> FastAPI:
        app = FastAPI()

        def on_sync(event: WebhookEvent) -> None:
            self._record("/piggy/webhooks", event, "sync")

        async def on_async(event: WebhookEvent) -> None:
            await asyncio.sleep(0)
            self._record("/piggy/webhooks", event, "async")

        def on_default(event: WebhookEvent) -> None:
            self._record("/piggy/webhooks", event, "default")

        def on_flaky(event: WebhookEvent) -> None:
            with self._lock:
                if self.failures_left > 0:
                    self.failures_left -= 1
                    raise RuntimeError("the receiver is having a bad day")
            self._record("/flaky", event, "flaky")

        handlers = {"contact_created": on_sync, "contact_updated": on_async}
        app.include_router(webhook_router(self.secret, handlers, default=on_default))
        app.include_router(webhook_router(self.secret, {}, path="/flaky", default=on_flaky))
        app.include_router(webhook_router(self.secret, {"contact_created": on_sync}, path="/only-contacts"))

        @app.post("/raw/{status}")
        async def raw(status: int, request: Request) -> Response:
            body = await request.body()
            with self._lock:
                self.raw.append(RawDelivery(f"/raw/{status}", dict(request.headers), body))
            return Response(status_code=status)

        @app.post("/slow")
        async def slow() -> Response:
            await asyncio.sleep(1.5)
            return Response(status_code=200)

        return app

    def _record(self, path: str, event: WebhookEvent, handler: str) -> None:
        with self._lock:
            self.events.append((path, event))
            self.handler_calls.append(f"{handler}:{event.type}")

    def wait_for(self, match: Callable[[WebhookEvent], bool], timeout: float = 5.0, path: str | None = None) -> Any:
        """The first recorded event matching ``match`` (and ``path``); AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for where, event in self.events:
                    if (path is None or where == path) and match(event):
                        return event
            time.sleep(0.02)
        raise AssertionError("no matching webhook event arrived")

    def matching(self, match: Callable[[WebhookEvent], bool]) -> list[WebhookEvent]:
        with self._lock:
            return [e for _, e in self.events if match(e)]

    def start(self) -> None:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        threading.Thread(target=self._server.run, name="webhook-receiver", daemon=True).start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the receiver did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
