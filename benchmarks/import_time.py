"""Start-up cost: process wall time of ``import piggy_agent_tools`` and of the toolkit import, against baselines
taken in the same run (bare interpreter, httpx, langchain-core's tool classes). Medians of interleaved runs.

Goals (issue 15): ``import piggy_agent_tools`` (client and errors) <= 150 ms; the toolkit import <= langchain-core's
own import + 100 ms.

Run: ``.venv/bin/python benchmarks/import_time.py [--runs 7]``
"""

from __future__ import annotations

import argparse
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


def _wall(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="runs of each import, interleaved (default 7)")
    args = parser.parse_args(argv)
    samples: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for statement in STATEMENTS.values():
        _wall(statement)  # warm the file cache and the bytecode
    for _ in range(args.runs):
        for name, statement in STATEMENTS.items():
            samples[name].append(_wall(statement))
    med = {name: statistics.median(values) for name, values in samples.items()}
    print(f"machine: {machine()}")
    for name, value in med.items():
        print(f"{name:62s} {value:7.0f} ms (median of {args.runs})")
    core = med["langchain-core tools (BaseTool, BaseToolkit, StructuredTool)"]
    package = med["import piggy_agent_tools (errors; clients and toolkit lazy)"]
    client = med["from piggy_agent_tools import PiggyClient"]
    toolkit = med["from piggy_agent_tools import PiggyToolkit"]
    print(f"import piggy_agent_tools: {package:.0f} ms (goal <= 150 ms)")
    print(f"PiggyClient import: {client:.0f} ms; of it, httpx alone {med['import httpx']:.0f} ms")
    print(f"toolkit import - langchain-core tools import: {toolkit - core:+.0f} ms (goal <= +100 ms)")


if __name__ == "__main__":
    main()
