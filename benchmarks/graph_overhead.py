"""One offline support-agent turn (route -> get_contact -> answer) vs the bare tool call, in one run.

Reports the graph's own overhead in ms with the in-memory and the SQLite checkpointer (goal <= 15 ms with SQLite).
Run: ``.venv/bin/python benchmarks/graph_overhead.py``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import machine, median_us
from graphs.support_agent.graph import build_graph
from graphs.support_agent.persistence import open_checkpointer
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.toolkit import PiggyToolkit

REPEAT = 200
QUESTION = "How many points does jane.doe@example.com have?"


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    with (
        Sandbox.start(seed="demo", rate_limit=10**9) as sb,
        PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client,
    ):
        toolkit = PiggyToolkit(client=client)
        tool = next(t for t in toolkit.get_tools() if t.name == "get_contact")
        call = {"type": "tool_call", "id": "b", "name": "get_contact", "args": {"email": "jane.doe@example.com"}}
        results = {"bare tool call": median_us(lambda: tool.invoke(call), REPEAT)}
        with tempfile.TemporaryDirectory() as tmp:
            for label, url in (("graph + memory", "memory"), ("graph + SQLite", f"sqlite:///{tmp}/bench.db")):
                with open_checkpointer(url) as saver:
                    graph = build_graph(toolkit, checkpointer=saver)

                    def turn(graph: object = graph) -> None:
                        cfg = {"configurable": {"thread_id": uuid.uuid4().hex}}
                        out = graph.invoke(  # type: ignore[attr-defined]
                            {"messages": [("user", QUESTION)]}, cfg
                        )
                        assert "Jane Doe has" in out["messages"][-1].content

                    for _ in range(20):
                        turn()
                    results[label] = median_us(turn, REPEAT)
    base = results["bare tool call"]
    print(f"machine: {machine()}")
    for label, us in results.items():
        extra = "" if label == "bare tool call" else f"   overhead {(us - base) / 1000:6.2f} ms"
        print(f"{label:16s} median {us / 1000:7.2f} ms{extra}")
    print("goal: overhead <= 15 ms with SQLite")


if __name__ == "__main__":
    main()
