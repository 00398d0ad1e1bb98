"""Per-call cost of a toolkit tool against the floor: a one-line LangChain ``@tool`` making the same HTTP call.

Both are invoked as an agent does (a ``ToolCall`` in, a ``ToolMessage`` out), sync and async, against an in-process
sandbox over HTTP. Calls alternate between the two so drift hits both; the figure is the median of 3 rounds, each the
median of ``--calls`` calls. Goal (issue 15): at most 1.03x the floor, sync and async.

Run: ``.venv/bin/python benchmarks/tool_floor.py [--calls 400]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import interleaved_medians, machine

TOOL = "get_prepaid_balance"  # one GET; the floor makes the same request and returns its data as JSON


async def _interleaved_async(
    a: Callable[[], Awaitable[object]], b: Callable[[], Awaitable[object]], repeat: int
) -> tuple[float, float]:
    sa, sb = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        await a()
        sa.append((time.perf_counter() - start) * 1e6)
        start = time.perf_counter()
        await b()
        sb.append((time.perf_counter() - start) * 1e6)
    return statistics.median(sa), statistics.median(sb)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=400, help="calls per round and side (default 400)")
    args = parser.parse_args(argv)

    from langchain_core.tools import tool

    from piggy_agent_tools import AsyncPiggyClient, PiggyClient
    from piggy_agent_tools.sandbox import Sandbox
    from piggy_agent_tools.sandbox.seed import ids
    from piggy_agent_tools.toolkit import PiggyToolkit

    with Sandbox.start(seed="demo", rate_limit=10**9) as sb:
        client = PiggyClient(api_key=sb.api_key, base_url=sb.base_url)
        aclient = AsyncPiggyClient(api_key=sb.api_key, base_url=sb.base_url)

        @tool
        def floor(contact_uuid: str) -> str:
            """The contact's prepaid balance."""
            return json.dumps(client.contacts.get_prepaid_balance(contact_uuid).model_dump())

        @tool
        async def afloor(contact_uuid: str) -> str:
            """The contact's prepaid balance."""
            return json.dumps((await aclient.contacts.get_prepaid_balance(contact_uuid)).model_dump())

        ours = next(t for t in PiggyToolkit(client=client, async_client=aclient).get_tools() if t.name == TOOL)

        def call(name: str) -> dict[str, Any]:
            return {"type": "tool_call", "id": "bench", "name": name, "args": {"contact_uuid": ids.JANE}}

        sync_rounds: list[tuple[float, float]] = []
        for _ in range(50):
            ours.invoke(call(TOOL))
            floor.invoke(call("floor"))
        for _ in range(3):
            sync_rounds.append(
                interleaved_medians(lambda: ours.invoke(call(TOOL)), lambda: floor.invoke(call("floor")), args.calls)
            )

        async def run_async() -> list[tuple[float, float]]:
            for _ in range(50):
                await ours.ainvoke(call(TOOL))
                await afloor.ainvoke(call("afloor"))
            rounds = []
            for _ in range(3):
                rounds.append(
                    await _interleaved_async(
                        lambda: ours.ainvoke(call(TOOL)), lambda: afloor.ainvoke(call("afloor")), args.calls
                    )
                )
            await aclient.aclose()
            return rounds

        async_rounds = asyncio.run(run_async())
        client.close()

    print(f"machine: {machine()}")
    for label, rounds in (("sync", sync_rounds), ("async", async_rounds)):
        ours_us = statistics.median(r[0] for r in rounds)
        floor_us = statistics.median(r[1] for r in rounds)
        ratios = ", ".join(f"{r[0] / r[1]:.3f}" for r in rounds)
        print(
            f"{label:5s} {TOOL} via the toolkit {ours_us:7.0f} µs, one-line @tool {floor_us:7.0f} µs, "
            f"ratio {ours_us / floor_us:.3f} (rounds: {ratios}; goal <= 1.03)"
        )


if __name__ == "__main__":
    main()
