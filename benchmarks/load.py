"""Load: many async tool calls with bounded concurrency through ONE ``AsyncPiggyClient`` (the toolkit's), against
the in-process sandbox, vs raw ``httpx.AsyncClient`` sending the same requests (same URLs, headers and bodies).

Reports throughput (calls/s), p50/p95/p99 latency and the throughput ratio tool/raw (goal >= 0.8), then memory over
rounds of calls (tracemalloc after ``gc.collect()``; the growth over rounds 3..N should stay near zero). The sandbox
runs in this process (a uvicorn thread), so absolute throughput is bounded by it; the ratio is what matters.
Run: ``.venv/bin/python benchmarks/load.py [--calls 1000] [--concurrency 100] [--rounds 10]`` (not collected by
pytest; ``tests/reliability/test_load.py`` reuses these functions with smaller counts).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import machine
from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.vouchers import VOUCHER_SPRING
from piggy_agent_tools.sandbox.server import free_port
from piggy_agent_tools.toolkit import PiggyToolkit

SHOP = ids.SHOP_AMSTERDAM
_SKIP_HEADERS = {"host", "content-length"}


def workload(contact: str) -> list[tuple[str, dict[str, Any]]]:
    """The mix one round cycles through: mostly reads, one write in eight (each tool call is one request)."""
    return [
        ("get_contact", {"contact_uuid": contact}),
        ("get_contact", {"email": "jane.doe@example.com"}),
        ("get_prepaid_balance", {"contact_uuid": contact}),
        ("list_loyalty_transactions", {"contact_uuid": contact, "limit": 10}),
        ("list_rewards", {}),
        ("find_voucher", {"code": VOUCHER_SPRING}),
        ("list_shops", {}),
        ("award_credits", {"contact_uuid": contact, "shop_uuid": SHOP, "credits": 1}),
    ]


@dataclass(frozen=True)
class Replay:
    """One recorded HTTP request, replayed as is by the raw client."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    content: bytes


@dataclass
class Result:
    label: str
    calls: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    errors: int = 0

    @property
    def throughput(self) -> float:
        return self.calls / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]


class _Recorder(httpx.AsyncBaseTransport):
    """Records the requests the tools send (used once, outside the timed runs)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[Replay] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        content = await request.aread()
        headers = tuple((k, v) for k, v in request.headers.items() if k.lower() not in _SKIP_HEADERS)
        self.seen.append(Replay(request.method, str(request.url), headers, content))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass(frozen=True)
class Server:
    base_url: str
    api_key: str
    where: str


@contextmanager
def sandbox_server(where: str = "thread") -> Iterator[Server]:
    """A demo sandbox in this process (a uvicorn thread, as the tests run it) or in a child process (so that
    memory and CPU measured here are the client's alone)."""
    if where == "thread":
        with Sandbox.start(seed="demo", rate_limit=10**9) as sb:
            yield Server(sb.base_url, sb.api_key, "in-process uvicorn thread")
        return
    port, key = free_port(), f"load_{uuid.uuid4().hex}"
    code = (
        "import uvicorn\n"
        "from piggy_agent_tools.sandbox import Sandbox\n"
        f"sb = Sandbox(seed='demo', port={port}, api_key={key!r}, rate_limit=10**9)\n"
        f"uvicorn.run(sb.app, host='127.0.0.1', port={port}, log_level='warning', access_log=False)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox child process did not start") from None
                time.sleep(0.1)
        yield Server(url, key, "child process")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Rig:
    """A toolkit over one AsyncPiggyClient, a raw httpx.AsyncClient, and the recorded requests of the workload."""

    def __init__(self, server: Server, client: PiggyClient, aclient: AsyncPiggyClient) -> None:
        self.server = server
        self.aclient = aclient
        self.toolkit = PiggyToolkit(client=client, async_client=aclient)
        self.tools = {t.name: t for t in self.toolkit.get_tools()}
        self.raw = httpx.AsyncClient(timeout=aclient._config.timeout)
        contact = client.contacts.create(f"load-{uuid.uuid4().hex[:12]}@example.com").uuid
        self.templates = workload(contact)
        self.replays: list[list[Replay]] = []

    async def record(self) -> None:
        """Send each template once through a recording client, keeping the exact requests for the raw runs."""
        recorder = _Recorder()
        async with AsyncPiggyClient(
            api_key=self.server.api_key,
            base_url=self.server.base_url,
            http_client=httpx.AsyncClient(transport=recorder),
        ) as recording:
            toolkit = PiggyToolkit(client=self.toolkit.client, async_client=recording)
            tools = {t.name: t for t in toolkit.get_tools()}
            for name, args in self.templates:
                before = len(recorder.seen)
                message = await tools[name].ainvoke(_call(name, args))
                assert message.status != "error", message.content
                self.replays.append(recorder.seen[before:])
        # A tool may send more than one request (get_contact also reads the contact's identifiers); the raw side
        # replays exactly the same requests, so the comparison stays like for like.
        assert all(self.replays), "every workload tool should send at least one request"

    async def aclose(self) -> None:
        await self.raw.aclose()


def _call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_call", "id": f"call_{uuid.uuid4().hex[:12]}", "name": name, "args": args}


async def _drive(label: str, n: int, concurrency: int, one: Callable[[int], Awaitable[bool]]) -> Result:
    """Run ``one(i)`` for i < n, at most ``concurrency`` at a time; latency is measured once a slot is held."""
    semaphore = asyncio.Semaphore(concurrency)
    latencies = [0.0] * n
    failed = 0

    async def slot(i: int) -> None:
        nonlocal failed
        async with semaphore:
            start = time.perf_counter()
            ok = await one(i)
            latencies[i] = (time.perf_counter() - start) * 1000
            failed += not ok

    start = time.perf_counter()
    await asyncio.gather(*(slot(i) for i in range(n)))
    return Result(label, n, time.perf_counter() - start, latencies, failed)


async def run_tools(rig: Rig, n: int, concurrency: int) -> Result:
    tools, templates = rig.tools, rig.templates

    async def one(i: int) -> bool:
        name, args = templates[i % len(templates)]
        message = await tools[name].ainvoke(_call(name, args))
        return bool(message.status != "error")

    return await _drive("async tools (one AsyncPiggyClient)", n, concurrency, one)


async def run_raw(rig: Rig, n: int, concurrency: int) -> Result:
    raw, replays = rig.raw, rig.replays

    async def one(i: int) -> bool:
        for r in replays[i % len(replays)]:
            response = await raw.request(r.method, r.url, headers=list(r.headers), content=r.content or None)
            response.json()
            if not response.is_success:
                return False
        return True

    return await _drive("raw httpx.AsyncClient, same requests", n, concurrency, one)


async def compare(rig: Rig, n: int, concurrency: int, rounds: int) -> tuple[Result, Result]:
    """Alternate tool and raw runs (so drift hits both); keep each side's median-throughput run."""
    await run_tools(rig, min(n, 200), concurrency)  # warm up both paths and the connection pools
    await run_raw(rig, min(n, 200), concurrency)
    tools, raws = [], []
    for _ in range(rounds):
        tools.append(await run_tools(rig, n, concurrency))
        raws.append(await run_raw(rig, n, concurrency))
    return _median(tools), _median(raws)


def _median(results: Sequence[Result]) -> Result:
    return sorted(results, key=lambda r: r.throughput)[len(results) // 2]


def _rss_mb() -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@dataclass
class MemoryRound:
    round: int
    traced_mb: float
    rss_mb: float | None


async def memory_rounds(rig: Rig, calls_per_round: int, concurrency: int, rounds: int) -> list[MemoryRound]:
    """Python heap (tracemalloc, after gc) and RSS after each round of tool calls."""
    out: list[MemoryRound] = []
    tracemalloc.start()
    try:
        for i in range(1, rounds + 1):
            result = await run_tools(rig, calls_per_round, concurrency)
            assert result.errors == 0, f"{result.errors} tool calls failed in memory round {i}"
            gc.collect()
            current, _peak = tracemalloc.get_traced_memory()
            out.append(MemoryRound(i, current / 1e6, _rss_mb()))
    finally:
        tracemalloc.stop()
    return out


def growth_mb(rounds: Sequence[MemoryRound], first: int = 3) -> float:
    """Traced-heap growth from round ``first`` to the last round, in MB."""
    steady = [r for r in rounds if r.round >= first]
    return steady[-1].traced_mb - steady[0].traced_mb


def table(tool: Result, raw: Result, concurrency: int) -> list[str]:
    lines = [
        f"{'':40} {'calls':>6} {'calls/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}",
        f"{'-' * 40} {'-' * 6} {'-' * 8} {'-' * 7} {'-' * 7} {'-' * 7} {'-' * 6}",
    ]
    for r in (tool, raw):
        lines.append(
            f"{r.label:40} {r.calls:6d} {r.throughput:8.0f} {r.percentile(50):7.1f} {r.percentile(95):7.1f} "
            f"{r.percentile(99):7.1f} {r.errors:6d}"
        )
    lines.append(f"throughput ratio tool/raw at concurrency {concurrency}: {tool.throughput / raw.throughput:.3f}")
    lines[-1] += " (goal >= 0.8)"
    return lines


def memory_table(rounds: Sequence[MemoryRound]) -> list[str]:
    lines = [f"{'round':>5} {'traced MB':>10} {'RSS MB':>8}"]
    for r in rounds:
        rss = f"{r.rss_mb:8.1f}" if r.rss_mb is not None else f"{'n/a':>8}"
        lines.append(f"{r.round:5d} {r.traced_mb:10.3f} {rss}")
    lines.append(f"traced growth over rounds 3..{rounds[-1].round}: {growth_mb(rounds) * 1000:.0f} kB")
    return lines


@asynccontextmanager
async def rig_on(server: Server) -> AsyncIterator[Rig]:
    """A recorded rig over ``server``: one PiggyClient, one AsyncPiggyClient (the toolkit's), one raw client."""
    with PiggyClient(api_key=server.api_key, base_url=server.base_url) as client:
        # A generous timeout: at high concurrency calls queue for the pool behind a sandbox that may share our GIL.
        aclient = AsyncPiggyClient(api_key=server.api_key, base_url=server.base_url, timeout=120)
        rig = Rig(server, client, aclient)
        try:
            await rig.record()
            yield rig
        finally:
            await rig.aclose()
            await aclient.aclose()


async def _main(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    with sandbox_server(args.server) as server:
        async with rig_on(server) as rig:
            tool, raw = await compare(rig, args.calls, args.concurrency, args.repeat)
    print(f"sandbox: {server.where}")
    print(f"workload: {', '.join(sorted({n for n, _ in rig.templates}))} (1 write in {len(rig.templates)})")
    print(f"median of {args.repeat} alternating runs each")
    print("\n".join(table(tool, raw, args.concurrency)))
    if args.rounds:
        with sandbox_server("process") as server:
            async with rig_on(server) as rig:
                memory = await memory_rounds(rig, args.round_calls, args.concurrency, args.rounds)
        print(
            f"\nmemory of this process (the client; sandbox in a child process): {args.rounds} rounds of "
            f"{args.round_calls} tool calls, traced heap after gc.collect()"
        )
        print("\n".join(memory_table(memory)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=1000, help="tool calls per timed run")
    parser.add_argument("--concurrency", type=int, default=100, help="asyncio.Semaphore bound")
    parser.add_argument("--repeat", type=int, default=3, help="alternating tool/raw runs; the median is reported")
    parser.add_argument("--server", choices=["thread", "process"], default="thread", help="where the sandbox runs")
    parser.add_argument("--rounds", type=int, default=10, help="memory rounds (0: skip)")
    parser.add_argument("--round-calls", type=int, default=500, help="tool calls per memory round")
    asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
