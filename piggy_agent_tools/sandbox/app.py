"""The sandbox's FastAPI app: Piggy's paths, auth, headers, errors; plus sandbox-only admin routes.

Piggy paths live under ``/api/v3/oauth/clients`` and ``/oauth/token``. Admin routes live under ``/_sandbox``,
outside Piggy's paths, and need the same bearer key.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from piggy_agent_tools.sandbox.delivery import install_webhook_delivery
from piggy_agent_tools.sandbox.envelope import HEADERS, ok
from piggy_agent_tools.sandbox.errors import SandboxError, fail
from piggy_agent_tools.sandbox.openapi import install_openapi
from piggy_agent_tools.sandbox.params import read_params
from piggy_agent_tools.sandbox.portal_admin import install_portal_admin
from piggy_agent_tools.sandbox.routes import ROUTERS
from piggy_agent_tools.sandbox.store import Store

API_PREFIX = "/api/v3/oauth/clients"


class RateLimiter:
    """Per-minute request counter, reported as Piggy's ``X-RateLimit-*`` headers; 429 once exhausted.

    Piggy records ``X-RateLimit-Limit: 5000``; the window and the 429 answer are inferred (README §8).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._window = 0
        self._used = 0
        self._lock = threading.Lock()

    def take(self) -> tuple[bool, int, int]:
        """Count one request; return (allowed, remaining, seconds until the window resets)."""
        now = time.time()
        window = int(now // 60)
        with self._lock:
            if window != self._window:
                self._window, self._used = window, 0
            self._used += 1
            remaining = max(0, self.limit - self._used)
            return self._used <= self.limit, remaining, 60 - int(now % 60)


def _auth(request: Request) -> None:
    """Require ``Authorization: Bearer <key or issued token>`` (401 body inferred, README §4)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    state = request.app.state
    if scheme.lower() != "bearer" or not token:
        raise fail(7011, "Unauthenticated.", status=401)
    if not (secrets.compare_digest(token, state.api_key) or token in state.tokens):
        raise fail(7011, "Unauthenticated.", status=401)


def create_app(
    store: Store,
    api_key: str,
    *,
    client_id: str = "1",
    client_secret: str | None = None,
    rate_limit: int = 5000,
) -> FastAPI:
    """Build the app over a store. ``api_key`` is accepted as a personal access token."""
    app = FastAPI(
        title="Piggy sandbox (piggy-agent-tools)",
        version="3",
        docs_url="/_sandbox/docs",
        redoc_url=None,
        openapi_url="/_sandbox/openapi.json",
    )
    app.state.store = store
    app.state.api_key = api_key
    app.state.client_id = client_id
    app.state.client_secret = client_secret or f"secret-{api_key}"
    app.state.tokens = set()
    app.state.limiter = RateLimiter(rate_limit)
    app.state.reset_hooks = []
    app.state.stop_hooks = []

    @app.middleware("http")
    async def piggy_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        allowed, remaining, reset = app.state.limiter.take()
        if not allowed:
            # Inferred: Laravel throttling answers 429 with Retry-After (README §8).
            response: Response = JSONResponse(
                {"message": "Too Many Attempts.", "code": 429, "status_code": 429},
                status_code=429,
                headers={"Retry-After": str(reset)},
            )
        else:
            response = await call_next(request)
        response.headers.update(HEADERS)
        response.headers["X-RateLimit-Limit"] = str(app.state.limiter.limit)
        response.headers["X-RateLimit-Remaining"] = str(remaining)
        return response

    @app.exception_handler(SandboxError)
    async def piggy_error(_: Request, exc: SandboxError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"][1:]) or "body"
            errors.setdefault(field, []).append(str(err.get("msg")))
        return JSONResponse(SandboxError(1003, errors=errors).body(), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Inferred: unknown routes and methods keep Piggy's error shape (README §7).
        message = "Not found." if exc.status_code == 404 else str(exc.detail)
        return JSONResponse(
            {"message": message, "code": exc.status_code, "status_code": exc.status_code},
            status_code=exc.status_code,
        )

    @app.exception_handler(Exception)
    async def internal_error(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(SandboxError(1000, status=500).body(), status_code=500)

    @app.post("/oauth/token", include_in_schema=True)
    async def token(params: dict[str, Any] = Depends(read_params)) -> JSONResponse:
        """OAuth client credentials: ``{token_type, expires_in, access_token}`` (no envelope, per the SDK)."""
        if params.get("grant_type") != "client_credentials":
            raise fail(1003, errors={"grant_type": ["The grant type must be client_credentials."]})
        if str(params.get("client_id")) != app.state.client_id or not secrets.compare_digest(
            str(params.get("client_secret", "")), app.state.client_secret
        ):
            raise fail(7011, "Client authentication failed.", status=401)
        issued = "tok_" + secrets.token_urlsafe(24)
        app.state.tokens.add(issued)
        return JSONResponse({"token_type": "Bearer", "expires_in": 3600, "access_token": issued})

    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(_auth)])

    @api.get("")
    def health() -> JSONResponse:
        """Health check; the real body is not recorded (README §3), so an empty envelope is inferred."""
        return ok([])

    for router in ROUTERS:
        api.include_router(router)
    app.include_router(api)
    install_openapi(app, ROUTERS, API_PREFIX)

    admin = APIRouter(prefix="/_sandbox", dependencies=[Depends(_auth)], include_in_schema=False)

    @admin.get("/audit")
    def audit(operation: str | None = None) -> JSONResponse:
        """Every write the sandbox performed: operation, arguments, method, path, time."""
        return JSONResponse({"data": store.audit_rows(operation)})

    for hook in _admin_extensions:
        hook(admin, app)
    app.include_router(admin)
    return app


AdminExtension = Callable[[APIRouter, FastAPI], None]
_admin_extensions: list[AdminExtension] = []


def register_admin_extension(hook: AdminExtension) -> None:
    """Let a sandbox module (webhook delivery, say) add its own ``/_sandbox`` routes."""
    _admin_extensions.append(hook)


register_admin_extension(install_webhook_delivery)
register_admin_extension(install_portal_admin)
