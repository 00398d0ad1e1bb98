"""The client's fault matrix: GET, PUT and a value-moving POST through a real fault-injecting TCP proxy in front of
the sandbox, for every fault, with both clients: attempts, waits, the error raised and the writes in the audit.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import httpx
import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.errors import PiggyError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from tests.reliability._report import FULL, publish, table
from tests.reliability.fault_proxy import RETRY_AFTER_SECONDS, Fault, FaultProxy

FAULTS = [f for f in Fault if f is not Fault.FORWARD]
OPERATIONS = {
    "GET": ("GET /contacts/{uuid}", None),
    "PUT": ("PUT /contacts/{uuid}", "contacts.update"),
    "POST": ("POST /credit-receptions (moves value)", "credit_receptions.create"),
}
READ_TIMEOUT = 0.3  # the client's timeout in read-timeout cells (the proxy holds the answer for longer)
MAX_RETRIES = 2

# The policy as a table, fault on every attempt: (attempts, error raised, audit writes; None for a read).
# Retries: GET and PUT on every transport error, 429, 5xx; a value-moving POST only when it surely never reached
# Piggy (connection refused) or was refused before processing (429, 503), else OutcomeUnknownError at once.
PERSISTENT: dict[Fault, dict[str, tuple[int, str, int | None]]] = {
    Fault.CONNECT_REFUSED: {
        "GET": (3, "PiggyConnectionError", None),
        "PUT": (3, "PiggyConnectionError", 0),
        "POST": (3, "PiggyConnectionError", 0),
    },
    Fault.RESET_BEFORE: {
        "GET": (3, "PiggyConnectionError", None),
        "PUT": (3, "PiggyConnectionError", 0),
        "POST": (1, "OutcomeUnknownError", 0),
    },
    Fault.RESET_AFTER: {
        "GET": (3, "PiggyConnectionError", None),
        "PUT": (3, "PiggyConnectionError", 3),
        "POST": (1, "OutcomeUnknownError", 1),
    },
    Fault.READ_TIMEOUT: {
        "GET": (3, "PiggyTimeoutError", None),
        "PUT": (3, "PiggyTimeoutError", 3),
        "POST": (1, "OutcomeUnknownError", 1),
    },
    Fault.RATE_LIMIT_RETRY_AFTER: {
        "GET": (3, "RateLimitError", None),
        "PUT": (3, "RateLimitError", 0),
        "POST": (3, "RateLimitError", 0),
    },
    Fault.RATE_LIMIT: {
        "GET": (3, "RateLimitError", None),
        "PUT": (3, "RateLimitError", 0),
        "POST": (3, "RateLimitError", 0),
    },
    Fault.SERVER_ERROR: {
        "GET": (3, "ServerError", None),
        "PUT": (3, "ServerError", 0),
        "POST": (1, "OutcomeUnknownError", 0),
    },
    Fault.MAINTENANCE: {
        "GET": (3, "MaintenanceError", None),
        "PUT": (3, "MaintenanceError", 0),
        "POST": (3, "MaintenanceError", 0),
    },
    Fault.MALFORMED_JSON: {
        "GET": (1, "ServerError", None),
        "PUT": (1, "ServerError", 1),
        "POST": (1, "OutcomeUnknownError", 1),
    },
    Fault.HTML_ERROR: {
        "GET": (3, "ServerError", None),
        "PUT": (3, "ServerError", 0),
        "POST": (1, "OutcomeUnknownError", 0),
    },
    Fault.EMPTY_BODY: {
        "GET": (1, "ServerError", None),
        "PUT": (1, "ServerError", 1),
        "POST": (1, "OutcomeUnknownError", 1),
    },
}


def transient(fault: Fault, op: str) -> tuple[int, str, int | None]:
    """Fault on the first attempt only: a retried call then succeeds; one that is not retried fails as above."""
    attempts, error, writes = PERSISTENT[fault][op]
    if attempts == 1:
        return attempts, error, writes
    processed_first = 1 if fault in (Fault.RESET_AFTER, Fault.READ_TIMEOUT) else 0
    return 2, "ok", None if writes is None else processed_first + 1


@dataclass
class Cell:
    """What one call did under one fault."""

    client: str
    variant: str
    op: str
    fault: str
    attempts: int
    waits: list[float]
    outcome: str
    writes: int | None
    forwarded: int


RESULTS: list[Cell] = []


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A private sandbox, so the audit counts are only this module's."""
    with Sandbox.start(seed="demo", rate_limit=1_000_000_000) as sb:
        yield sb


@pytest.fixture(scope="module", autouse=True)
def _publish(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if RESULTS:
        publish(request, "client fault matrix", text=_matrix_text(), data=[asdict(c) for c in RESULTS])


def _new_contact(sandbox: Sandbox) -> str:
    with PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as direct:
        return direct.contacts.create(f"fault-{uuid.uuid4().hex[:12]}@example.com").uuid


def _writes(sandbox: Sandbox, op: str, contact: str) -> int | None:
    operation = OPERATIONS[op][1]
    if operation is None:
        return None
    return sum(1 for row in sandbox.audit(operation) if row["args"].get("contact_uuid") == contact)


def _call(client: Any, op: str, contact: str) -> Any:
    """The real operation (sync or async: the async client returns a coroutine)."""
    if op == "GET":
        return client.contacts.get(contact)
    if op == "PUT":
        return client.contacts.update(contact, attributes={"firstname": "Faulty"})
    return client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=10)


def _proxy(sandbox: Sandbox, fault: Fault, variant: str) -> FaultProxy:
    refused = fault is Fault.CONNECT_REFUSED  # made by not listening (until the first back-off), not by a script
    if variant == "transient":
        return FaultProxy(sandbox.base_url, [] if refused else [fault], listening=not refused)
    return FaultProxy(sandbox.base_url, default=Fault.FORWARD if refused else fault, listening=not refused)


def _recorder(proxy: FaultProxy, waits: list[float]) -> Callable[[float], None]:
    """The client's back-off sleep, replaced: record the wait; a refused port comes back during the first one."""

    def sleep(seconds: float) -> None:
        waits.append(float(seconds))
        proxy.listen()  # only matters for a transient "connect refused": the server is back for the retry

    return sleep


def run_sync(sandbox: Sandbox, op: str, fault: Fault, variant: str) -> Cell:
    contact = _new_contact(sandbox)
    attempts: list[httpx.Request] = []
    waits: list[float] = []
    with _proxy(sandbox, fault, variant) as proxy:
        if variant == "persistent" and fault is Fault.CONNECT_REFUSED:
            proxy.listen = lambda: None  # type: ignore[method-assign]  # stays refused for every attempt
        http = httpx.Client(event_hooks={"request": [attempts.append]})
        timeout = READ_TIMEOUT if fault is Fault.READ_TIMEOUT else 10.0
        client = PiggyClient(
            api_key=sandbox.api_key, base_url=proxy.base_url, timeout=timeout, max_retries=MAX_RETRIES, http_client=http
        )
        client._sleep = _recorder(proxy, waits)
        try:
            _call(client, op, contact)
            outcome = "ok"
        except PiggyError as exc:
            outcome = type(exc).__name__
        finally:
            http.close()
        proxy.settle()
        cell = Cell("sync", variant, op, fault.value, len(attempts), waits, outcome, _writes(sandbox, op, contact), 0)
        cell.forwarded = proxy.forwarded
    return cell


async def run_async(sandbox: Sandbox, op: str, fault: Fault, variant: str) -> Cell:
    contact = _new_contact(sandbox)
    attempts: list[httpx.Request] = []
    waits: list[float] = []

    async def count(request: httpx.Request) -> None:
        attempts.append(request)

    with _proxy(sandbox, fault, variant) as proxy:
        if variant == "persistent" and fault is Fault.CONNECT_REFUSED:
            proxy.listen = lambda: None  # type: ignore[method-assign]
        record = _recorder(proxy, waits)

        async def sleep(seconds: float) -> None:
            record(seconds)

        timeout = READ_TIMEOUT if fault is Fault.READ_TIMEOUT else 10.0
        async with httpx.AsyncClient(event_hooks={"request": [count]}) as http:
            client = AsyncPiggyClient(
                api_key=sandbox.api_key,
                base_url=proxy.base_url,
                timeout=timeout,
                max_retries=MAX_RETRIES,
                http_client=http,
            )
            client._sleep = sleep  # type: ignore[assignment]
            try:
                await _call(client, op, contact)
                outcome = "ok"
            except PiggyError as exc:
                outcome = type(exc).__name__
        proxy.settle()
        cell = Cell("async", variant, op, fault.value, len(attempts), waits, outcome, _writes(sandbox, op, contact), 0)
        cell.forwarded = proxy.forwarded
    return cell


def check(cell: Cell, fault: Fault) -> None:
    """The cell against the policy table; waits honour Retry-After, else jittered backoff within its ceiling."""
    expected = PERSISTENT[fault][cell.op] if cell.variant == "persistent" else transient(fault, cell.op)
    assert (cell.attempts, cell.outcome, cell.writes) == expected, cell
    assert len(cell.waits) == cell.attempts - 1, cell
    if fault is Fault.RATE_LIMIT_RETRY_AFTER:
        assert cell.waits == [float(RETRY_AFTER_SECONDS)] * len(cell.waits), cell
    else:
        assert all(0 <= w <= min(8.0, 0.5 * 2**i) for i, w in enumerate(cell.waits)), cell
    if cell.op == "POST":
        assert cell.writes is not None and cell.writes <= 1, f"double write: {cell}"


CELLS = [(op, fault, variant) for variant in ("persistent", "transient") for fault in FAULTS for op in OPERATIONS]
IDS = [f"{variant}-{op}-{fault.name.lower()}" for op, fault, variant in CELLS]


@pytest.mark.parametrize(("op", "fault", "variant"), CELLS, ids=IDS)
def test_sync_client_under_an_injected_fault_retries_by_policy_and_never_writes_twice(
    sandbox: Sandbox, op: str, fault: Fault, variant: str
) -> None:
    """Injected by the proxy: ``fault`` on every attempt (persistent) or on the first only (transient)."""
    cell = run_sync(sandbox, op, fault, variant)
    RESULTS.append(cell)
    check(cell, fault)


@pytest.mark.parametrize(("op", "fault", "variant"), CELLS, ids=IDS)
async def test_async_client_under_an_injected_fault_retries_by_policy_and_never_writes_twice(
    sandbox: Sandbox, op: str, fault: Fault, variant: str
) -> None:
    """Injected by the proxy: the same faults as the sync client; the async client behaves the same."""
    cell = await run_async(sandbox, op, fault, variant)
    RESULTS.append(cell)
    check(cell, fault)


# --- a soak: many value-moving POSTs, each under a random fault ------------------------------------------------


def soak(sandbox: Sandbox, calls: int, seed: int) -> dict[str, Any]:
    """``calls`` credit awards through the proxy, each request forwarded or (half the time) under a random fault."""
    rng = random.Random(seed)
    choices = [f for f in FAULTS if f is not Fault.CONNECT_REFUSED]  # refused is made by not listening: not scripted
    contact = _new_contact(sandbox)
    outcomes: dict[str, int] = {}
    double_writes = 0
    unknown_but_written = 0
    before = 0
    script = [Fault.FORWARD if rng.random() < 0.5 else rng.choice(choices) for _ in range(calls * (MAX_RETRIES + 1))]
    with FaultProxy(sandbox.base_url, script) as proxy:
        client = PiggyClient(api_key=sandbox.api_key, base_url=proxy.base_url, timeout=READ_TIMEOUT)
        client._sleep = lambda _seconds: None
        for _ in range(calls):
            seen = len(proxy.log)
            try:
                _call(client, "POST", contact)
                outcome = "ok"
            except PiggyError as exc:
                outcome = type(exc).__name__
            proxy.settle()
            faults = [h.fault.value for h in proxy.log[seen:]]
            after = _writes(sandbox, "POST", contact) or 0
            written, before = after - before, after
            double_writes += written > 1
            unknown_but_written += outcome == "OutcomeUnknownError" and written == 1
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            assert written <= 1, f"{faults}: {written} writes"
            if outcome == "ok":
                assert written == 1, faults
            elif outcome != "OutcomeUnknownError":
                assert written == 0, f"{faults}: {outcome} yet the credits were booked"
        client.close()
    return {
        "calls": calls,
        "writes": before,
        "double_writes": double_writes,
        "outcome_unknown_but_written": unknown_but_written,
        "outcomes": outcomes,
    }


@pytest.mark.parametrize(
    "calls",
    [20, pytest.param(2000, marks=[pytest.mark.slow, pytest.mark.skipif(not FULL, reason="PIGGY_RELIABILITY=full")])],
    ids=["short", "full"],
)
def test_value_moving_posts_under_random_injected_faults_never_write_twice(sandbox: Sandbox, calls: int) -> None:
    """Injected by the proxy: a random fault (or none) on every request of ``calls`` credit awards."""
    tally = soak(sandbox, calls, seed=calls)
    summary = f"{tally['outcomes']}; {tally['outcome_unknown_but_written']} of the unknown outcomes were booked"
    RESULTS.append(Cell("sync", f"soak x{calls}", "POST", "random", calls, [], summary, tally["writes"], 0))
    assert tally["double_writes"] == 0


def _matrix_text() -> str:
    by_key = {(c.client, c.variant, c.op, c.fault): c for c in RESULTS}
    rows = []
    for variant in ("persistent", "transient"):
        for fault in FAULTS:
            for op, (label, _) in OPERATIONS.items():
                sync = by_key.get(("sync", variant, op, fault.value))
                if sync is None:
                    continue
                other = by_key.get(("async", variant, op, fault.value))
                same = (
                    "-"
                    if other is None
                    else (
                        "same"
                        if (other.attempts, other.outcome, other.writes) == (sync.attempts, sync.outcome, sync.writes)
                        else f"{other.attempts}/{other.outcome}/{other.writes}"
                    )
                )
                waits = ", ".join(f"{w:.2f}" for w in sync.waits) or "-"
                writes = "-" if sync.writes is None else sync.writes
                rows.append([variant, fault.value, label, sync.attempts, waits, sync.outcome, writes, same])
    soaks = [c for c in RESULTS if c.variant.startswith("soak")]
    text = table(["when", "fault", "call", "attempts", "waits (s)", "raised", "writes", "async"], rows)
    for c in soaks:
        text += f"\n\n{c.variant}: {c.attempts} credit awards under random faults -> {c.outcome}; writes {c.writes}"
    return text
