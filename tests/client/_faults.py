"""Fault-injecting httpx transports for the client tests: each request follows a scripted action, by default
forwarding to the real sandbox. The faults are injected; the sandbox behind them is real.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.sandbox.seed import ids

FORWARD = "forward"
CONNECT_ERROR = "connect_error"  # refused before anything was sent
READ_TIMEOUT = "read_timeout"  # no answer in time, nothing forwarded
AFTER_SEND_READ_ERROR = "after_send_read_error"  # forwarded and processed, then the connection drops
AFTER_SEND_PROTOCOL_ERROR = "after_send_protocol_error"
AFTER_SEND_TIMEOUT = "after_send_timeout"

Action = str | httpx.Response


def canned(
    status: int, body: Any = None, *, text: str | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A scripted answer (Piggy's error shape by default)."""
    if text is not None:
        return httpx.Response(status, text=text, headers=headers)
    if body is None:
        body = {"message": "Injected.", "code": status, "status_code": status}
    return httpx.Response(status, json=body, headers=headers)


def _fault(action: str, request: httpx.Request) -> Exception:
    if action == CONNECT_ERROR:
        return httpx.ConnectError("injected: connection refused", request=request)
    if action in (READ_TIMEOUT, AFTER_SEND_TIMEOUT):
        return httpx.ReadTimeout("injected: read timeout", request=request)
    if action == AFTER_SEND_PROTOCOL_ERROR:
        return httpx.RemoteProtocolError("injected: server disconnected", request=request)
    return httpx.ReadError("injected: connection reset by peer", request=request)


class FaultTransport(httpx.BaseTransport):
    """Sync transport: pops one action per request; ``sent`` counts what reached the real sandbox."""

    def __init__(self, actions: list[Action], inner: httpx.BaseTransport | None = None) -> None:
        self.actions = list(actions)
        self.inner = inner or httpx.HTTPTransport()
        self.seen: list[httpx.Request] = []
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        action = self.actions.pop(0) if self.actions else FORWARD
        if isinstance(action, httpx.Response):
            return action
        if action in (FORWARD, AFTER_SEND_READ_ERROR, AFTER_SEND_PROTOCOL_ERROR, AFTER_SEND_TIMEOUT):
            response = self.inner.handle_request(request)
            self.sent += 1
            if action == FORWARD:
                return response
            response.read()
            response.close()
        raise _fault(action, request)

    def close(self) -> None:
        self.inner.close()


class AsyncFaultTransport(httpx.AsyncBaseTransport):
    """Async twin of :class:`FaultTransport`."""

    def __init__(self, actions: list[Action], inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.actions = list(actions)
        self.inner = inner or httpx.AsyncHTTPTransport()
        self.seen: list[httpx.Request] = []
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        action = self.actions.pop(0) if self.actions else FORWARD
        if isinstance(action, httpx.Response):
            return action
        if action in (FORWARD, AFTER_SEND_READ_ERROR, AFTER_SEND_PROTOCOL_ERROR, AFTER_SEND_TIMEOUT):
            response = await self.inner.handle_async_request(request)
            self.sent += 1
            if action == FORWARD:
                return response
            await response.aread()
            await response.aclose()
        raise _fault(action, request)

    async def aclose(self) -> None:
        await self.inner.aclose()


# The value-moving POSTs the fault tests use, with the audit operation each records. Credit receptions are the
# brief's example; prepaid top-ups are the same kind of write, so the policy is proven on two endpoints.
VALUE_MOVES: dict[str, tuple[str, Callable[[str], RequestSpec]]] = {
    "credit_receptions": (
        "credit_receptions.create",
        lambda contact: RequestSpec(
            "POST",
            "/credit-receptions",
            body={"contact_uuid": contact, "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 10},
            moves_value=True,
        ),
    ),
    "prepaid_transactions": (
        "prepaid_transactions.create",
        lambda contact: RequestSpec(
            "POST",
            "/prepaid-transactions",
            body={"contact_uuid": contact, "shop_uuid": ids.SHOP_AMSTERDAM, "amount_in_cents": 500},
            moves_value=True,
        ),
    ),
}
