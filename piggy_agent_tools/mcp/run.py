"""Run the MCP server on stdio (default) or streamable HTTP, safe by default.

Over HTTP: the SDK's DNS-rebinding protection (allowed ``Host`` and ``Origin`` values), a required bearer token
(``PIGGY_MCP_TOKEN``, or a random one printed once at start), no non-loopback bind without an operator-chosen
token, ``/mcp`` and ``/mcp/`` both served (no redirect), and a "listening at <url>" line once the socket is bound.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import json
import socket
import sys
from collections.abc import AsyncIterator, Iterable
from typing import Any, TextIO

import anyio
from mcp.server.lowlevel import Server
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_ENV = "PIGGY_MCP_TOKEN"
MCP_PATH = "/mcp"


async def serve_stdio(server: Server[Any, Any]) -> None:
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def run_stdio(server: Server[Any, Any]) -> None:
    anyio.run(serve_stdio, server)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1): only this machine can connect."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    """True for "every interface" binds (0.0.0.0, ::): no single name to allow, the operator lists them."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _authority(host: str) -> str:
    """``host`` as it appears in a URL or ``Host`` header (IPv6 in brackets)."""
    bare = host.strip("[]")
    return f"[{bare}]" if ":" in bare else bare


def security_settings(
    host: str, allowed_hosts: Iterable[str] = (), allowed_origins: Iterable[str] = ()
) -> TransportSecuritySettings:
    """DNS-rebinding protection: only loopback names, the bound address and the operator's extra names pass.

    A page in a browser that rebinds its own name to 127.0.0.1 still sends its own ``Host`` and ``Origin``, so it
    is refused (421 and 403) before anything runs.
    """
    names = ["127.0.0.1", "localhost", "[::1]"]
    if not _is_wildcard(host) and _authority(host) not in names:
        names.append(_authority(host))
    hosts = [h for n in names for h in (n, f"{n}:*")]
    origins = [f"{scheme}://{h}" for scheme in ("http", "https") for h in hosts]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[*hosts, *allowed_hosts],
        allowed_origins=[*origins, *allowed_origins],
    )


class BearerTokenMiddleware:
    """Refuse every HTTP request whose ``Authorization`` is not ``Bearer <token>`` (401, compared in constant time)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        if not token:
            raise ValueError("the MCP HTTP server needs a non-empty bearer token")
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                body = json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "id": None,
                        "error": {"code": -32001, "message": "Unauthorized: send 'Authorization: Bearer <token>'."},
                    }
                ).encode()
                headers = [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b'Bearer realm="piggy-agent-tools"'),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send({"type": "http.response.start", "status": 401, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class _Endpoint:
    """An ASGI callable Starlette mounts as-is (a bound method would be wrapped as a request handler)."""

    def __init__(self, handle: ASGIApp) -> None:
        self.handle = handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.handle(scope, receive, send)


def http_app(
    server: Server[Any, Any],
    *,
    token: str,
    host: str = "127.0.0.1",
    allowed_hosts: Iterable[str] = (),
    allowed_origins: Iterable[str] = (),
) -> ASGIApp:
    """The ASGI app: bearer token, then the SDK's streamable-HTTP transport with DNS-rebinding protection.

    Sessions are stateful (``Mcp-Session-Id``) because elicitation needs the host's answer to reach the session
    that asked.
    """
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from starlette.routing import Route

    manager = StreamableHTTPSessionManager(
        app=server, stateless=False, security_settings=security_settings(host, allowed_hosts, allowed_origins)
    )

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with manager.run():
            yield

    endpoint = _Endpoint(manager.handle_request)
    app = Starlette(routes=[Route(MCP_PATH, endpoint), Route(f"{MCP_PATH}/", endpoint)], lifespan=lifespan)
    return BearerTokenMiddleware(app, token)


def serve_http(
    server: Server[Any, Any],
    host: str,
    port: int,
    *,
    token: str,
    allowed_hosts: Iterable[str] = (),
    allowed_origins: Iterable[str] = (),
    out: TextIO = sys.stderr,
) -> None:
    """Bind first (so port 0 works and a busy port fails before anything is printed), say where, then serve."""
    import uvicorn

    app = http_app(server, token=token, host=host, allowed_hosts=allowed_hosts, allowed_origins=allowed_origins)
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)  # connections queue from here on, so a client that read the line below can connect
    except OSError:
        sock.close()
        raise
    bound_port = sock.getsockname()[1]
    print(f"piggy-agent-tools mcp: listening at http://{_authority(host)}:{bound_port}{MCP_PATH}", file=out)
    out.flush()
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
