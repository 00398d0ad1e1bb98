"""Load through the toolkit's async tools over ONE AsyncPiggyClient: throughput, p50/p95/p99 and the ratio against
raw httpx on the same requests, and memory that stays flat over rounds. Reuses ``benchmarks/load.py`` (short counts
here; ``make reliability`` runs the full 1,000-call form)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from benchmarks.load import compare, growth_mb, memory_rounds, memory_table, rig_on, sandbox_server, table
from tests.reliability._harness import print_summary
from tests.reliability._strategies import FULL

# The goal is a ratio >= 0.8 (reported). The sandbox shares this process's GIL, so every microsecond the tool layer
# spends (mostly LangChain's per-call machinery) is taken from the server too, and on a 2-CPU machine the measured
# ratio at concurrency 100 ranges about 0.65-0.9 from run to run. The assertion only catches a gross regression.
RATIO_FLOOR = 0.5
# Python heap growth allowed from round 3 to the last round (run-to-run noise is about +-40 kB).
GROWTH_BOUND_MB = 0.25

FORMS = pytest.mark.parametrize(
    "full",
    [
        pytest.param(False, id="short"),
        pytest.param(
            True,
            id="full",
            marks=[pytest.mark.slow, pytest.mark.skipif(not FULL, reason="runs under PIGGY_RELIABILITY=full")],
        ),
    ],
)


@pytest.fixture(autouse=True)
def _logging_off() -> Iterator[None]:
    """Measure the toolkit, not pytest: under ``--log-level=DEBUG`` (scripts/secret_scan.py) pytest's capture keeps
    every record in memory for the report and formats each one, which would show up as growth and lost throughput."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


@FORMS
async def test_async_tools_keep_up_with_raw_httpx_on_the_same_requests(
    request: pytest.FixtureRequest, full: bool
) -> None:
    calls, concurrency, repeat = (1000, 100, 3) if full else (200, 50, 1)
    with sandbox_server("thread") as server:
        async with rig_on(server) as rig:
            tool, raw = await compare(rig, calls, concurrency, repeat)
    lines = table(tool, raw, concurrency)
    print_summary(request, [f"load ({'full' if full else 'short'}), sandbox: {server.where}", *lines])
    assert tool.errors == 0 and raw.errors == 0
    assert tool.throughput / raw.throughput >= RATIO_FLOOR, "\n".join(lines)


@FORMS
async def test_memory_stays_flat_over_rounds_of_tool_calls(request: pytest.FixtureRequest, full: bool) -> None:
    """The sandbox runs in a child process, so the traced heap is the client's and the toolkit's alone."""
    rounds, per_round, concurrency = (10, 500, 100) if full else (10, 60, 30)
    with sandbox_server("process") as server:
        async with rig_on(server) as rig:
            memory = await memory_rounds(rig, per_round, concurrency, rounds)
    lines = memory_table(memory)
    print_summary(
        request, [f"memory ({'full' if full else 'short'}): {rounds} rounds of {per_round} tool calls", *lines]
    )
    assert growth_mb(memory) < GROWTH_BOUND_MB, "\n".join(lines)
