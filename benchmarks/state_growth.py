"""Bytes the support agent's checkpointer stores per turn, over a 60-turn thread (issue 15 §3: state growth).

Runs the offline support graph (no model, deterministic) against a demo sandbox for ``--turns`` read turns on one
thread, with the in-memory and the SQLite checkpointer, and reports the bytes stored by turn 1, 2, 20 and the last,
for the same read question every turn ("same") and for a rotation of five read questions ("mixed"),
the ratio last / turn 2 (goal: at most 1.5) and the total (goal, SQLite: under 3 MB for 60 turns). Bytes are the
serialized checkpoints, metadata and pending writes (SQLite: the rows' lengths; memory: the stored byte strings).
Medians of ``--runs`` runs.
Run: ``.venv/bin/python benchmarks/state_growth.py`` (``--turns 60 --runs 3``)
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import machine
from graphs.support_agent.graph import build_graph
from graphs.support_agent.persistence import open_checkpointer
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.toolkit import PiggyToolkit

QUESTIONS = [
    "How many points does jane.doe@example.com have?",
    "What's the prepaid balance of jane.doe@example.com?",
    "Which rewards can jane.doe@example.com claim?",
    "Show the loyalty history of jane.doe@example.com",
    "What are jane.doe@example.com's vouchers?",
]


def _sqlite_bytes(path: str) -> int:
    with sqlite3.connect(path) as conn:
        a = conn.execute("SELECT COALESCE(SUM(LENGTH(checkpoint) + LENGTH(metadata)), 0) FROM checkpoints").fetchone()
        b = conn.execute("SELECT COALESCE(SUM(LENGTH(value)), 0) FROM writes").fetchone()
    return int(a[0]) + int(b[0])


def _memory_bytes(saver: Any) -> int:
    def size(value: Any) -> int:
        if isinstance(value, bytes | bytearray):
            return len(value)
        if isinstance(value, dict):
            return sum(size(v) for v in value.values())
        if isinstance(value, list | tuple):
            return sum(size(v) for v in value)
        return 0

    return size(saver.storage) + size(saver.writes) + size(saver.blobs)


def run(client: PiggyClient, url: str, turns: int, questions: list[str]) -> list[int]:
    """Bytes stored by each turn of one thread."""
    per_turn: list[int] = []
    with open_checkpointer(url) as saver:
        graph = build_graph(PiggyToolkit(client=client), checkpointer=saver)
        cfg = {"configurable": {"thread_id": "growth"}}

        def stored() -> int:
            return _sqlite_bytes(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else _memory_bytes(saver)

        before = stored()
        for turn in range(turns):
            graph.invoke({"messages": [("user", questions[turn % len(questions)])]}, cfg)
            after = stored()
            per_turn.append(after - before)
            before = after
    return per_turn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    with (
        Sandbox.start(seed="demo", rate_limit=10**9) as sb,
        PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for (label, questions), store in [
            (q, s) for q in (("same", QUESTIONS[:1]), ("mixed", QUESTIONS)) for s in ("memory", "SQLite")
        ]:
            runs = []
            for i in range(args.runs):
                url = "memory" if store == "memory" else f"sqlite:///{tmp}/growth-{label}-{i}.db"
                runs.append(run(client, url, args.turns, questions))
            med = [statistics.median(r[t] for r in runs) for t in range(args.turns)]
            total = statistics.median(sum(r) for r in runs)
            last = args.turns - 1
            mid = min(19, last)
            print(
                f"{label:5} {store:6} turn 1 {med[0] / 1e3:7.1f} kB | turn 2 {med[1] / 1e3:7.1f} kB | turn {mid + 1} "
                f"{med[mid] / 1e3:7.1f} kB | turn {last + 1} {med[last] / 1e3:7.1f} kB | "
                f"last/turn 2 {med[last] / med[1]:5.2f} | total {total / 1e6:6.2f} MB"
            )


if __name__ == "__main__":
    main()
