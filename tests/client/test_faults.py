"""The retry policy under injected faults (httpx transports that break on purpose in front of the real sandbox):
idempotent calls are retried, value-moving POSTs never run twice, and broken answers surface as clear errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.errors import (
    MaintenanceError,
    OutcomeUnknownError,
    PiggyConnectionError,
    PiggyTimeoutError,
    RateLimitError,
    ServerError,
)
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from tests.client._faults import (
    AFTER_SEND_PROTOCOL_ERROR,
    AFTER_SEND_READ_ERROR,
    AFTER_SEND_TIMEOUT,
    CONNECT_ERROR,
    READ_TIMEOUT,
    VALUE_MOVES,
    Action,
    AsyncFaultTransport,
    FaultTransport,
    canned,
)

GET_JANE = RequestSpec("GET", f"/contacts/{ids.JANE}")
AFTER_SEND = [AFTER_SEND_READ_ERROR, AFTER_SEND_PROTOCOL_ERROR, AFTER_SEND_TIMEOUT]


class Harness:
    """A sync client whose transport follows ``actions``; ``waits`` records back-off sleeps instead of sleeping."""

    def __init__(self, sandbox: Sandbox, actions: list[Action], max_retries: int = 2) -> None:
        self.transport = FaultTransport(actions)
        self.waits: list[float] = []
        self.client = PiggyClient(
            api_key=sandbox.api_key,
            base_url=sandbox.base_url,
            max_retries=max_retries,
            http_client=httpx.Client(transport=self.transport),
        )
        self.client._sleep = self.record

    def record(self, seconds: Any) -> None:
        self.waits.append(float(seconds))


class AsyncHarness:
    """The async twin of :class:`Harness`."""

    def __init__(self, sandbox: Sandbox, actions: list[Action], max_retries: int = 2) -> None:
        self.transport = AsyncFaultTransport(actions)
        self.waits: list[float] = []
        self.client = AsyncPiggyClient(
            api_key=sandbox.api_key,
            base_url=sandbox.base_url,
            max_retries=max_retries,
            http_client=httpx.AsyncClient(transport=self.transport),
        )

        async def record(seconds: float) -> None:
            self.waits.append(seconds)

        self.client._sleep = cast(Any, record)


@pytest.fixture
def contact(client: PiggyClient) -> str:
    """A new contact to move value for, so audit counts are this test's own."""
    return client.contacts.create(f"faults-{uuid.uuid4().hex[:12]}@example.com").uuid


@pytest.fixture(params=sorted(VALUE_MOVES))
def move(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.param


def _writes(sandbox: Sandbox, operation: str, contact: str) -> int:
    """How many ``operation`` writes the sandbox performed for ``contact`` (its audit rows)."""
    return sum(1 for row in sandbox.audit(operation) if row["args"].get("contact_uuid") == contact)


# --- 429 and 503 -------------------------------------------------------------------------------------------------


def test_429_is_retried_after_the_retry_after_wait(sandbox: Sandbox) -> None:
    """Injected: one 429 with Retry-After: 7, then the real sandbox answers."""
    h = Harness(sandbox, [canned(429, headers={"Retry-After": "7"})])
    data, _ = h.client.request(GET_JANE)
    assert data["uuid"] == ids.JANE
    assert h.waits == [7.0]
    assert len(h.transport.seen) == 2


async def test_429_is_retried_after_the_retry_after_wait_async(sandbox: Sandbox) -> None:
    """Injected: one 429 with Retry-After: 7, then the real sandbox answers."""
    h = AsyncHarness(sandbox, [canned(429, headers={"Retry-After": "7"})])
    data, _ = await h.client.request(GET_JANE)
    assert data["uuid"] == ids.JANE
    assert h.waits == [7.0]


def test_429_on_a_value_moving_post_is_retried_once_and_writes_once(sandbox: Sandbox, contact: str, move: str) -> None:
    """Injected: 429 before the POST reached the sandbox (refused before processing), then forwarded."""
    operation, spec = VALUE_MOVES[move]
    h = Harness(sandbox, [canned(429, headers={"Retry-After": "1"})])
    h.client.request(spec(contact))
    assert h.waits == [1.0]
    assert _writes(sandbox, operation, contact) == 1


def test_retry_after_is_capped_by_max_retry_wait(sandbox: Sandbox) -> None:
    """Injected: a 429 asking for an hour; the client waits at most max_retry_wait."""
    h = Harness(sandbox, [canned(429, headers={"Retry-After": "3600"})])
    h.client._config.max_retry_wait = 5.0
    h.client.request(GET_JANE)
    assert h.waits == [5.0]


def test_429_every_time_raises_rate_limit_error_with_the_wait(sandbox: Sandbox) -> None:
    """Injected: 429 on every attempt."""
    h = Harness(sandbox, [canned(429, headers={"Retry-After": "2"})] * 3)
    with pytest.raises(RateLimitError) as info:
        h.client.request(GET_JANE)
    assert info.value.retry_after == 2.0
    assert len(h.transport.seen) == 3


def test_503_is_retried_then_raises_maintenance_error(sandbox: Sandbox) -> None:
    """Injected: 503 (maintenance) on every attempt; max_retries=2 means three attempts."""
    h = Harness(sandbox, [canned(503)] * 3)
    with pytest.raises(MaintenanceError):
        h.client.request(GET_JANE)
    assert len(h.transport.seen) == 3
    assert len(h.waits) == 2


async def test_503_is_retried_then_raises_maintenance_error_async(sandbox: Sandbox) -> None:
    """Injected: 503 on every attempt."""
    h = AsyncHarness(sandbox, [canned(503)] * 3)
    with pytest.raises(MaintenanceError):
        await h.client.request(GET_JANE)
    assert len(h.transport.seen) == 3


def test_503_once_then_success(sandbox: Sandbox) -> None:
    """Injected: one 503, then the real sandbox."""
    h = Harness(sandbox, [canned(503)])
    data, _ = h.client.request(GET_JANE)
    assert data["uuid"] == ids.JANE


# --- value-moving POSTs: retried only when surely never sent -------------------------------------------------


def test_connection_refused_before_send_is_retried_even_for_a_value_moving_post(
    sandbox: Sandbox, contact: str, move: str
) -> None:
    """Injected: ConnectError on the first attempt (nothing sent); the retry reaches the sandbox once."""
    operation, spec = VALUE_MOVES[move]
    h = Harness(sandbox, [CONNECT_ERROR])
    h.client.request(spec(contact))
    assert h.transport.sent == 1
    assert _writes(sandbox, operation, contact) == 1


async def test_connection_refused_before_send_is_retried_even_for_a_value_moving_post_async(
    sandbox: Sandbox, contact: str, move: str
) -> None:
    """Injected: ConnectError on the first attempt (nothing sent)."""
    operation, spec = VALUE_MOVES[move]
    h = AsyncHarness(sandbox, [CONNECT_ERROR])
    await h.client.request(spec(contact))
    assert h.transport.sent == 1
    assert _writes(sandbox, operation, contact) == 1


@pytest.mark.parametrize("fault", AFTER_SEND)
def test_failure_after_send_on_a_value_moving_post_is_outcome_unknown_and_not_retried(
    sandbox: Sandbox, contact: str, move: str, fault: str
) -> None:
    """Injected: the POST is forwarded and processed, then the connection drops / times out before the answer."""
    operation, spec = VALUE_MOVES[move]
    h = Harness(sandbox, [fault])
    with pytest.raises(OutcomeUnknownError) as info:
        h.client.request(spec(contact))
    assert len(h.transport.seen) == 1 and h.waits == []
    assert _writes(sandbox, operation, contact) == 1
    assert info.value.how_to_check and "How to check" in str(info.value)


@pytest.mark.parametrize("fault", AFTER_SEND)
async def test_failure_after_send_on_a_value_moving_post_is_outcome_unknown_and_not_retried_async(
    sandbox: Sandbox, contact: str, move: str, fault: str
) -> None:
    """Injected: forwarded and processed, then dropped / timed out."""
    operation, spec = VALUE_MOVES[move]
    h = AsyncHarness(sandbox, [fault])
    with pytest.raises(OutcomeUnknownError):
        await h.client.request(spec(contact))
    assert len(h.transport.seen) == 1
    assert _writes(sandbox, operation, contact) == 1


def test_500_on_a_value_moving_post_is_outcome_unknown_and_not_retried(sandbox: Sandbox, contact: str) -> None:
    """Injected: a 500 answer to the POST (it may have been processed)."""
    operation, spec = VALUE_MOVES["prepaid_transactions"]
    h = Harness(sandbox, [canned(500)])
    with pytest.raises(OutcomeUnknownError):
        h.client.request(spec(contact))
    assert len(h.transport.seen) == 1
    assert _writes(sandbox, operation, contact) == 0


def test_value_moving_client_methods_raise_outcome_unknown_after_send(sandbox: Sandbox, contact: str) -> None:
    """Injected: the resource method (not a raw spec) is forwarded, then the connection resets."""
    h = Harness(sandbox, [AFTER_SEND_READ_ERROR])
    credit = getattr(h.client.credit_receptions, "create", None)
    with pytest.raises(OutcomeUnknownError):
        if credit is not None:
            credit(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=10)
        else:
            h.client.prepaid_transactions.create(
                contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, amount_in_cents=500
            )
    operation = "credit_receptions.create" if credit is not None else "prepaid_transactions.create"
    assert _writes(sandbox, operation, contact) == 1


def test_a_plain_post_is_not_retried_after_a_read_timeout(sandbox: Sandbox) -> None:
    """Injected: a contact create (not value-moving) forwarded, then timed out: PiggyTimeoutError, sent once."""
    email = f"faults-{uuid.uuid4().hex[:12]}@example.com"
    h = Harness(sandbox, [AFTER_SEND_TIMEOUT])
    with pytest.raises(PiggyTimeoutError):
        h.client.contacts.create(email)
    assert len(h.transport.seen) == 1
    assert len([r for r in sandbox.audit("contacts.create") if r["args"].get("email") == email]) == 1


# --- idempotent calls: retried on 5xx and timeouts ---------------------------------------------------------------


@pytest.mark.parametrize(
    "fault", [canned(500), canned(502, text="<html>Bad gateway</html>"), READ_TIMEOUT, CONNECT_ERROR]
)
def test_get_is_retried_on_5xx_timeout_and_connection_errors(sandbox: Sandbox, fault: Action) -> None:
    """Injected: one failure, then the real sandbox answers."""
    h = Harness(sandbox, [fault])
    data, _ = h.client.request(GET_JANE)
    assert data["uuid"] == ids.JANE
    assert len(h.transport.seen) == 2 and len(h.waits) == 1


async def test_get_is_retried_on_timeout_async(sandbox: Sandbox) -> None:
    """Injected: one read timeout, then the real sandbox."""
    h = AsyncHarness(sandbox, [READ_TIMEOUT, canned(500)])
    data, _ = await h.client.request(GET_JANE)
    assert data["uuid"] == ids.JANE
    assert len(h.transport.seen) == 3


def test_put_is_retried_on_500(sandbox: Sandbox, contact: str) -> None:
    """Injected: PUT is idempotent, so a 500 is retried and the update lands."""
    h = Harness(sandbox, [canned(500)])
    updated = h.client.contacts.update(contact, attributes={"firstname": "Retried"})
    assert updated.uuid == contact
    assert len(h.transport.seen) == 2


@pytest.mark.parametrize("max_retries", [0, 1, 3])
def test_max_retries_bounds_the_attempts(sandbox: Sandbox, max_retries: int) -> None:
    """Injected: 500 on every attempt; attempts = max_retries + 1."""
    h = Harness(sandbox, [canned(500)] * 10, max_retries=max_retries)
    with pytest.raises(ServerError):
        h.client.request(GET_JANE)
    assert len(h.transport.seen) == max_retries + 1
    assert len(h.waits) == max_retries


async def test_max_retries_bounds_the_attempts_async(sandbox: Sandbox) -> None:
    """Injected: timeouts on every attempt."""
    h = AsyncHarness(sandbox, [READ_TIMEOUT] * 10, max_retries=1)
    with pytest.raises(PiggyTimeoutError):
        await h.client.request(GET_JANE)
    assert len(h.transport.seen) == 2


def test_connection_errors_every_time_raise_piggy_connection_error(sandbox: Sandbox) -> None:
    """Injected: the connection is refused on every attempt."""
    h = Harness(sandbox, [CONNECT_ERROR] * 3)
    with pytest.raises(PiggyConnectionError, match="Could not reach Piggy"):
        h.client.request(GET_JANE)


# --- broken answers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (canned(200, text="{not json"), "not JSON"),
        (canned(200, text=""), "not JSON"),
        (canned(200, {"uuid": "x"}), "without a 'data' envelope"),
        (canned(400, text="<html><body>Bad request</body></html>"), "without a Piggy error body"),
    ],
    ids=["malformed-json", "empty-body", "no-envelope", "html-error-page"],
)
def test_broken_answers_surface_as_clear_errors(sandbox: Sandbox, answer: httpx.Response, expected: str) -> None:
    """Injected: a broken answer instead of the sandbox's."""
    h = Harness(sandbox, [answer])
    with pytest.raises(Exception) as info:
        h.client.request(GET_JANE)
    assert expected in str(info.value)
    assert info.value.__class__.__name__ in ("ServerError", "InvalidRequestError")


def test_html_5xx_pages_after_retries_raise_server_error(sandbox: Sandbox) -> None:
    """Injected: a proxy's HTML 502 page on every attempt."""
    h = Harness(sandbox, [canned(502, text="<html>Bad gateway</html>")] * 3)
    with pytest.raises(ServerError) as info:
        h.client.request(GET_JANE)
    assert info.value.status_code == 502
    assert "HTTP 502" in str(info.value)


async def test_malformed_json_surfaces_as_server_error_async(sandbox: Sandbox) -> None:
    """Injected: a 200 whose body is not JSON."""
    h = AsyncHarness(sandbox, [canned(200, text="{not json")])
    with pytest.raises(ServerError, match="not JSON"):
        await h.client.request(GET_JANE)
