"""A fault-injecting HTTP proxy on 127.0.0.1 in front of the real sandbox: real sockets, real resets and timeouts.

Each request the proxy receives takes the next fault from its script (then the default) and is forwarded, dropped,
held past the client's timeout or answered with a canned response. ``log`` says what happened to every request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit


class Fault(StrEnum):
    """What the proxy does with one request."""

    FORWARD = "forward"  # pass it on, answer with the sandbox's response
    CONNECT_REFUSED = "connect refused"  # nothing listens: not a proxy action, see FaultProxy(listening=False)
    RESET_BEFORE = "reset before response"  # read the request, reset the connection; the sandbox never sees it
    RESET_AFTER = "reset after processing"  # forward, read the sandbox's answer, reset the connection instead
    READ_TIMEOUT = "read timeout"  # forward, read the sandbox's answer, then hold the connection past the timeout
    RATE_LIMIT_RETRY_AFTER = "429 with Retry-After"  # canned 429 before forwarding (Retry-After: 2)
    RATE_LIMIT = "429 without Retry-After"  # canned 429 before forwarding
    SERVER_ERROR = "500"  # canned 500 in Piggy's shape (code 1000); the sandbox never sees it
    MAINTENANCE = "503 maintenance"  # canned 503 maintenance page in Piggy's shape
    MALFORMED_JSON = "malformed JSON"  # forward (processed), then answer 200 with a cut-off JSON body
    HTML_ERROR = "HTML error page"  # a load balancer's 502 HTML page; the sandbox never sees it
    EMPTY_BODY = "empty body"  # forward (processed), then answer 200 with an empty body


RETRY_AFTER_SECONDS = 2
HOLD_SECONDS = 1.5  # how long READ_TIMEOUT holds a connection; clients under test use a shorter read timeout
_CANNED_BODIES: dict[Fault, tuple[int, str, bytes, dict[str, str]]] = {
    Fault.RATE_LIMIT_RETRY_AFTER: (
        429,
        "application/json",
        json.dumps({"message": "Too Many Attempts.", "code": 429, "status_code": 429}).encode(),
        {"Retry-After": str(RETRY_AFTER_SECONDS)},
    ),
    Fault.RATE_LIMIT: (
        429,
        "application/json",
        json.dumps({"message": "Too Many Attempts.", "code": 429, "status_code": 429}).encode(),
        {},
    ),
    Fault.SERVER_ERROR: (
        500,
        "application/json",
        json.dumps({"message": "Interne fout. | Internal error.", "code": 1000, "status_code": 500}).encode(),
        {},
    ),
    Fault.MAINTENANCE: (
        503,
        "application/json",
        json.dumps({"message": "Service Unavailable.", "code": 503, "status_code": 503}).encode(),
        {},
    ),
    Fault.HTML_ERROR: (
        502,
        "text/html",
        b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
        b"<hr><center>nginx</center></body></html>",
        {},
    ),
}
_REASONS = {200: "OK", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Unavailable"}
FORWARDING = {Fault.FORWARD, Fault.RESET_AFTER, Fault.READ_TIMEOUT, Fault.MALFORMED_JSON, Fault.EMPTY_BODY}


@dataclass
class Handled:
    """One request as the proxy saw it: its fault, and whether the sandbox received it."""

    fault: Fault
    method: str
    path: str
    forwarded: bool


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class FaultProxy:
    """``FaultProxy(upstream_url, faults=[...], default=Fault.FORWARD)``; ``base_url`` for the client.

    ``faults`` are used one per request in order, then ``default`` for every later request. With
    ``listening=False`` the port refuses connections until :meth:`listen` is called (connect refused).
    """

    def __init__(
        self,
        upstream_url: str,
        faults: Iterable[Fault] = (),
        *,
        default: Fault = Fault.FORWARD,
        listening: bool = True,
    ) -> None:
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.port = free_port()
        self.faults = list(faults)
        self.default = default
        self.log: list[Handled] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        if listening:
            self.listen()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def forwarded(self) -> int:
        return sum(1 for h in self.log if h.forwarded)

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every request the proxy took has been handled by the sandbox (or dropped)."""
        deadline = time.monotonic() + timeout
        while self._in_flight and time.monotonic() < deadline:
            time.sleep(0.01)

    def listen(self) -> None:
        """Start accepting connections on the reserved port (idempotent)."""
        if self._server is None:
            self._server = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=5)

    def close(self) -> None:
        """Stop listening, cancel connections still held (read-timeout faults) and stop the loop."""
        server, self._server = self._server, None

        async def shutdown() -> None:
            if server is not None:
                server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _next_fault(self) -> Fault:
        with self._lock:
            return self.faults.pop(0) if self.faults else self.default

    async def _start(self) -> asyncio.Server:
        return await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            self._in_flight += 1
            try:
                fault, answer = await self._take(reader)
            finally:
                self._in_flight -= 1  # from here on the sandbox has done all it will do for this request
            if fault in (Fault.RESET_BEFORE, Fault.RESET_AFTER, Fault.CONNECT_REFUSED):
                _reset(writer)
            elif fault is Fault.READ_TIMEOUT:
                await asyncio.sleep(HOLD_SECONDS)
                _reset(writer)
            elif answer:
                writer.write(answer)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _take(self, reader: asyncio.StreamReader) -> tuple[Fault | None, bytes]:
        """Read one request, pick its fault, forward it when the fault says so; return the answer to send."""
        request = await _read_request(reader)
        if request is None:
            return None, b""
        head, body = request
        method, path = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]
        fault = self._next_fault()
        self.log.append(Handled(fault, method, path, fault in FORWARDING))
        if fault in _CANNED_BODIES:
            status, content_type, payload, headers = _CANNED_BODIES[fault]
            return fault, _response(status, content_type, payload, headers)
        if fault not in FORWARDING:
            return fault, b""
        answer = await self._forward(head, body)
        if fault is Fault.MALFORMED_JSON:
            answer = _response(200, "application/json", b'{"data": {"uuid": "', {})
        elif fault is Fault.EMPTY_BODY:
            answer = _response(200, "application/json", b"", {})
        return fault, answer

    async def _forward(self, head: bytes, body: bytes) -> bytes:
        """Send the request to the sandbox on a fresh connection (``Connection: close``) and read its whole answer."""
        lines = [
            line
            for line in head.split(b"\r\n")
            if line and not line.lower().startswith((b"connection:", b"keep-alive"))
        ]
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        upstream_writer.write(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body)
        await upstream_writer.drain()
        answer = await upstream_reader.read()
        upstream_writer.close()
        return answer


async def _read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes] | None:
    """One HTTP/1.1 request: head (without the blank line) and a Content-Length body (the clients send no chunks)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return head[:-4], body


def _response(status: int, content_type: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}", f"Content-Type: {content_type}"]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a crashed server or a dropping proxy does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
