"""No error path ever leaks the API key, the OAuth client secret or an issued access token: not in exception
messages, str, repr or tracebacks, not in the client's or the credentials' repr, and not in any log record.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.errors import PiggyError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.server import free_port
from tests.client._faults import (
    AFTER_SEND_READ_ERROR,
    FORWARD,
    READ_TIMEOUT,
    Action,
    AsyncFaultTransport,
    FaultTransport,
    canned,
)

CANARY = "sk_live_SECRET_CANARY_1234567890"
WRONG_CANARY = "sk_live_SECRET_CANARY_WRONG_0987654321"
GET_JANE = RequestSpec("GET", f"/contacts/{ids.JANE}")
TOP_UP = RequestSpec(
    "POST",
    "/prepaid-transactions",
    body={"contact_uuid": ids.JANE, "shop_uuid": ids.SHOP_AMSTERDAM, "amount_in_cents": 100},
    moves_value=True,
)


@pytest.fixture(scope="module")
def canary_sandbox() -> Iterator[Sandbox]:
    """A sandbox whose API key is the canary, so every authorised request carries it."""
    with Sandbox.start(seed="demo", api_key=CANARY, rate_limit=1_000_000) as sb:
        yield sb


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture every logger at DEBUG, httpx and httpcore included."""
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "piggy_agent_tools", "uvicorn", "uvicorn.error", "uvicorn.access"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _texts_of(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), "".join(traceback.format_exception(exc)), repr(exc.args), repr(vars(exc))]
    if exc.__cause__ is not None:
        texts += _texts_of(exc.__cause__)
    return texts


def _assert_nothing_leaks(secrets: list[str], caplog: pytest.LogCaptureFixture | None, *objects: Any) -> None:
    texts = [caplog.text] if caplog else []
    for record in caplog.records if caplog else []:
        texts += [record.getMessage(), repr(record.args), str(record.exc_text or ""), repr(record.__dict__)]
    for obj in objects:
        texts += _texts_of(obj) if isinstance(obj, BaseException) else [str(obj), repr(obj)]
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"secret leaked into: {text[:200]!r}"


def _client(sandbox: Sandbox, actions: list[Action] | None = None, **kwargs: Any) -> PiggyClient:
    http = httpx.Client(transport=FaultTransport(actions or []))
    client = PiggyClient(base_url=sandbox.base_url, max_retries=0, http_client=http, **{"api_key": CANARY, **kwargs})
    client._sleep = lambda _s: None
    return client


def _raised(call: Callable[[], Any]) -> BaseException:
    with pytest.raises(PiggyError) as info:
        call()
    return info.value


ERROR_PATHS: dict[str, tuple[list[Action], RequestSpec]] = {
    "404-unknown-contact": ([], RequestSpec("GET", f"/contacts/{uuid.uuid4()}")),
    "404-unknown-path": ([], RequestSpec("GET", "/no-such-area")),
    "1003-invalid-input": ([], RequestSpec("POST", "/contacts", body={"email": "not-an-email"})),
    "429-rate-limited": ([canned(429, headers={"Retry-After": "3"})], GET_JANE),
    "503-maintenance": ([canned(503)], GET_JANE),
    "timeout": ([READ_TIMEOUT], GET_JANE),
    "500-html": ([canned(500, text="<html>oops</html>")], GET_JANE),
    "outcome-unknown": ([AFTER_SEND_READ_ERROR], TOP_UP),
}


@pytest.mark.parametrize("path", sorted(ERROR_PATHS))
def test_api_key_never_appears_on_an_error_path(
    canary_sandbox: Sandbox, logs: pytest.LogCaptureFixture, path: str
) -> None:
    """The 429, 503, timeout, 500 and after-send faults are injected; the others are real sandbox answers."""
    actions, spec = ERROR_PATHS[path]
    client = _client(canary_sandbox, actions)
    exc = _raised(lambda: client.request(spec))
    assert any(r.name.startswith("piggy_agent_tools") for r in logs.records)  # the capture is live
    _assert_nothing_leaks([CANARY], logs, exc, client, client._credentials)


async def test_api_key_never_appears_on_an_async_error_path(
    canary_sandbox: Sandbox, logs: pytest.LogCaptureFixture
) -> None:
    """Injected: the after-send reset (OutcomeUnknownError), then a real 404, on the async client."""
    http = httpx.AsyncClient(transport=AsyncFaultTransport([AFTER_SEND_READ_ERROR]))
    async with AsyncPiggyClient(api_key=CANARY, base_url=canary_sandbox.base_url, max_retries=0, http_client=http) as c:
        with pytest.raises(PiggyError) as first:
            await c.request(TOP_UP)
        with pytest.raises(PiggyError) as second:
            await c.request(RequestSpec("GET", f"/contacts/{uuid.uuid4()}"))
        _assert_nothing_leaks([CANARY], logs, first.value, second.value, c, c._credentials)


def test_wrong_api_key_401_does_not_echo_the_key(canary_sandbox: Sandbox, logs: pytest.LogCaptureFixture) -> None:
    client = _client(canary_sandbox, api_key=WRONG_CANARY)
    exc = _raised(lambda: client.request(GET_JANE))
    assert getattr(exc, "status_code", None) == 401
    _assert_nothing_leaks([WRONG_CANARY, CANARY], logs, exc, client, client._credentials)


def test_connection_refused_on_a_closed_port_does_not_leak_the_key(logs: pytest.LogCaptureFixture) -> None:
    with PiggyClient(api_key=CANARY, base_url=f"http://127.0.0.1:{free_port()}", max_retries=1) as client:
        client._sleep = lambda _s: None
        exc = _raised(lambda: client.request(GET_JANE))
    _assert_nothing_leaks([CANARY], logs, exc, client, client._credentials)


def test_bad_base_url_error_does_not_leak_the_key(logs: pytest.LogCaptureFixture) -> None:
    exc = _raised(lambda: PiggyClient(api_key=CANARY, base_url="ftp://piggy.example"))
    _assert_nothing_leaks([CANARY], logs, exc)


def test_client_and_credentials_repr_hide_the_key() -> None:
    with PiggyClient(api_key=CANARY, base_url="http://127.0.0.1:1") as client:
        _assert_nothing_leaks([CANARY], None, client, client._credentials, vars(client._credentials))


def test_oauth_secret_and_access_token_never_appear(canary_sandbox: Sandbox, logs: pytest.LogCaptureFixture) -> None:
    """Real token fetch and 404; the 429 and after-send reset are injected on the OAuth client."""
    client = _client(
        canary_sandbox,
        [FORWARD, canned(429, headers={"Retry-After": "1"})],
        api_key=None,
        client_id=canary_sandbox.client_id,
        client_secret=canary_sandbox.client_secret,
    )
    errors = [_raised(lambda: client.request(GET_JANE))]  # the token is fetched, then the 429 is injected
    token = client._credentials.access_token
    assert token is not None
    errors.append(_raised(lambda: client.request(RequestSpec("GET", f"/contacts/{uuid.uuid4()}"))))
    client._http._transport.actions.append(AFTER_SEND_READ_ERROR)  # type: ignore[attr-defined]
    errors.append(_raised(lambda: client.request(TOP_UP)))
    secrets = [canary_sandbox.client_secret, token.get_secret_value()]
    _assert_nothing_leaks(secrets, logs, *errors, client, client._credentials)


def test_bad_oauth_secret_error_does_not_echo_the_secret(
    canary_sandbox: Sandbox, logs: pytest.LogCaptureFixture
) -> None:
    bad = "cs_SECRET_CANARY_bad_client_secret_42"
    client = _client(canary_sandbox, api_key=None, client_id=canary_sandbox.client_id, client_secret=bad)
    exc = _raised(lambda: client.request(GET_JANE))
    assert type(exc).__name__ == "AuthenticationError"
    _assert_nothing_leaks([bad], logs, exc, client, client._credentials)
