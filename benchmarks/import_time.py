"""Start-up cost: process wall time of ``import piggy_agent_tools`` and of the toolkit import, against baselines
taken in the same run (bare interpreter, httpx, langchain-core's tool classes). Medians of interleaved runs.

Goals (issue 15): ``import piggy_agent_tools`` (client and errors) <= 150 ms; the toolkit import <= langchain-core's
own import + 100 ms.

Run: ``.venv/bin/python benchmarks/import_time.py [--runs 7]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import machine

STATEMENTS = {
    "python -c pass (interpreter start)": "pass",
    "import httpx": "import httpx",
    "langchain-core tools (BaseTool, BaseToolkit, StructuredTool)": (
        "from langchain_core.tools import BaseTool, BaseToolkit, StructuredTool"
    ),
    "import piggy_agent_tools (errors; clients and toolkit lazy)": "import piggy_agent_tools",
    "from piggy_agent_tools import PiggyClient": "from piggy_agent_tools import PiggyClient",
    "from piggy_agent_tools import PiggyToolkit": "from piggy_agent_tools import PiggyToolkit",
}


CORE = "langchain-core tools (BaseTool, BaseToolkit, StructuredTool)"
PACKAGE = "import piggy_agent_tools (errors; clients and toolkit lazy)"
TOOLKIT = "from piggy_agent_tools import PiggyToolkit"


def _wall(statement: str) -> float:
    return _run(statement)[0]


def _run(statement: str) -> tuple[float, float]:
    """Wall and CPU (user + system) milliseconds of one fresh interpreter running ``statement``.

    CPU time is reported too because on a shared machine wall time mostly measures the other processes.
    """
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", statement])
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{statement!r} exited with {child.returncode}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="runs of each import, interleaved (default 7)")
    args = parser.parse_args(argv)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in STATEMENTS}
    for statement in STATEMENTS.values():
        _wall(statement)  # warm the file cache and the bytecode
    for _ in range(args.runs):
        for name, statement in STATEMENTS.items():
            samples[name].append(_run(statement))
    med = {name: statistics.median(w for w, _ in values) for name, values in samples.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in samples.items()}
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'import (fresh interpreter)':62s} {'wall':>7s}    {'CPU':>7s}   (medians of {args.runs})")
    for name, value in med.items():
        print(f"{name:62s} {value:7.0f} ms {cpu[name]:7.0f} ms")
    core, package, client, toolkit = (
        med[CORE],
        med[PACKAGE],
        med["from piggy_agent_tools import PiggyClient"],
        med[TOOLKIT],
    )
    print(f"import piggy_agent_tools: {package:.0f} ms wall, {cpu[PACKAGE]:.0f} ms CPU (goal <= 150 ms)")
    print(f"PiggyClient import: {client:.0f} ms wall; httpx alone {med['import httpx']:.0f} ms")
    print(
        f"toolkit import - langchain-core tools import: {toolkit - core:+.0f} ms wall, "
        f"{cpu[TOOLKIT] - cpu[CORE]:+.0f} ms CPU (goal <= +100 ms)"
    )


if __name__ == "__main__":
    main()
