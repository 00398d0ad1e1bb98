"""A 503 is retried on a value-moving POST only when it is Piggy's own maintenance error (refused before processing).

The faults are injected by an httpx transport in front of the real sandbox: "a proxy answers 503 after Piggy
processed the request" forwards the request to the sandbox (which performs and audits the write), then replaces the
answer with a proxy's 503. Each test counts what reached the sandbox and the writes in the sandbox's audit.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.client._core import RequestSpec, is_maintenance_body
from piggy_agent_tools.errors import MaintenanceError, OutcomeUnknownError, ServerError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from tests.client._faults import canned

PIGGY_MAINTENANCE = {"message": "Service Unavailable.", "code": 503, "status_code": 503}
# 503 answers that do not come from Piggy: a load balancer's HTML page, an empty body, JSON without Piggy's envelope.
PROXY_503: dict[str, dict[str, Any]] = {
    "nginx-html": {"text": "<html><head><title>503 Service Temporarily Unavailable</title></head></html>"},
    "empty-body": {"text": ""},
    "foreign-json": {"body": {"message": "Service Unavailable"}},
    "envoy-json": {"body": {"error": "upstream connect error", "status": 503}},
    "status-mismatch": {"body": {"message": "Bad gateway.", "code": 1000, "status_code": 502}},
}


def proxy_503(kind: str) -> httpx.Response:
    return canned(503, **PROXY_503[kind])


class ProcessedThen503(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Injected fault: every request is forwarded to the real sandbox (processed, counted in ``sent``), and the
    first ``times`` answers are replaced by ``answer`` (a 503 that arrives after processing)."""

    def __init__(self, answer: httpx.Response, times: int = 1) -> None:
        self.answer, self.times = answer, times
        self.sent = 0
        self._sync = httpx.HTTPTransport()
        self._async = httpx.AsyncHTTPTransport()

    def _replace(self) -> bool:
        self.sent += 1
        if self.sent <= self.times:
            return True
        return False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._sync.handle_request(request)
        response.read()
        return canned_copy(self.answer) if self._replace() else response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._async.handle_async_request(request)
        await response.aread()
        return canned_copy(self.answer) if self._replace() else response


def canned_copy(response: httpx.Response) -> httpx.Response:
    return httpx.Response(response.status_code, content=response.content, headers=response.headers)


class Refused503Once(httpx.BaseTransport):
    """Injected fault: the first request is answered with Piggy's maintenance 503 and never forwarded; the rest go
    to the real sandbox. ``forwarded`` counts what reached it."""

    def __init__(self) -> None:
        self.seen = 0
        self.forwarded = 0
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        if self.seen == 1:
            return canned(503, PIGGY_MAINTENANCE)
        self.forwarded += 1
        return self._inner.handle_request(request)


def _client(sandbox: Sandbox, transport: httpx.BaseTransport) -> PiggyClient:
    client = PiggyClient(
        api_key=sandbox.api_key, base_url=sandbox.base_url, max_retries=2, http_client=httpx.Client(transport=transport)
    )
    client._sleep = lambda _seconds: None
    return client


def _new_contact(sandbox: Sandbox) -> str:
    with PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as plain:
        return plain.contacts.create(f"p503-{uuid.uuid4().hex[:12]}@example.com").uuid


def _awards(sandbox: Sandbox, contact: str) -> int:
    return sum(1 for row in sandbox.audit("credit_receptions.create") if row["args"].get("contact_uuid") == contact)


def _balance(sandbox: Sandbox, contact: str) -> int:
    with PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as plain:
        return plain.contacts.get_credit_balance(contact).balance


@pytest.mark.parametrize("kind", sorted(PROXY_503))
def test_a_proxy_503_after_an_award_raises_outcome_unknown_and_awards_once(sandbox: Sandbox, kind: str) -> None:
    """The issue's case: an award of 50 credits answered by a proxy's 503 after Piggy processed it stayed 50."""
    contact = _new_contact(sandbox)
    before = _balance(sandbox, contact)
    transport = ProcessedThen503(proxy_503(kind), times=3)
    with _client(sandbox, transport) as client, pytest.raises(OutcomeUnknownError) as caught:
        client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=50)
    assert transport.sent == 1
    assert _awards(sandbox, contact) == 1
    assert _balance(sandbox, contact) - before == 50
    assert "HTTP 503" in str(caught.value) and caught.value.how_to_check


async def test_async_client_a_proxy_503_after_an_award_raises_outcome_unknown_and_awards_once(
    sandbox: Sandbox,
) -> None:
    """Injected: the async client under the same proxy 503 after processing."""
    contact = _new_contact(sandbox)
    transport = ProcessedThen503(proxy_503("nginx-html"), times=3)
    client = AsyncPiggyClient(
        api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=httpx.AsyncClient(transport=transport)
    )

    async def no_wait(_seconds: float) -> None:
        return None

    client._sleep = no_wait  # type: ignore[method-assign]
    async with client:
        with pytest.raises(OutcomeUnknownError):
            await client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=50)
    assert transport.sent == 1
    assert _awards(sandbox, contact) == 1


def test_piggys_maintenance_503_on_an_award_is_retried_and_awards_once(sandbox: Sandbox) -> None:
    """Injected: Piggy's own maintenance error, never forwarded (refused before processing), then the sandbox."""
    contact = _new_contact(sandbox)
    before = _balance(sandbox, contact)
    transport = Refused503Once()
    with _client(sandbox, transport) as client:
        client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=50)
    assert (transport.seen, transport.forwarded) == (2, 1)
    assert _awards(sandbox, contact) == 1
    assert _balance(sandbox, contact) - before == 50


def test_a_proxy_503_after_a_plain_post_raises_server_error_without_retry(sandbox: Sandbox) -> None:
    """Injected: a POST that moves no value (create a contact) is not resent either: it may have been processed."""
    email = f"p503-{uuid.uuid4().hex[:12]}@example.com"
    transport = ProcessedThen503(proxy_503("nginx-html"), times=3)
    with _client(sandbox, transport) as client, pytest.raises(ServerError) as caught:
        client.request(RequestSpec("POST", "/contacts", body={"email": email}))
    assert not isinstance(caught.value, MaintenanceError)
    assert transport.sent == 1
    assert len([r for r in sandbox.audit("contacts.create") if r["args"].get("email") == email]) == 1


def test_a_proxy_503_on_a_read_is_retried(sandbox: Sandbox) -> None:
    """Injected: GET is idempotent, so any 503 is retried; the second answer is the sandbox's."""
    transport = ProcessedThen503(proxy_503("empty-body"), times=1)
    with _client(sandbox, transport) as client:
        data, _ = client.request(RequestSpec("GET", f"/contacts/{ids.JANE}"))
    assert data["uuid"] == ids.JANE
    assert transport.sent == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (PIGGY_MAINTENANCE, True),
        ({"message": "Down for maintenance.", "code": 1000, "status_code": 503}, True),
        ({"message": "Service Unavailable"}, False),
        ({"message": "x", "code": True, "status_code": 503}, False),
        ({"message": "x", "code": 503, "status_code": "503"}, False),
        ({"message": "x", "code": 1000, "status_code": 500}, False),
        ("Service Unavailable", False),
        (None, False),
    ],
)
def test_only_piggys_error_envelope_with_status_503_counts_as_maintenance(body: Any, expected: bool) -> None:
    assert is_maintenance_body(body) is expected
