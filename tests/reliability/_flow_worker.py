"""A worker process for the concurrency tests: runs flow-graph jobs read as JSON lines on stdin, one answer per line.

``python -m tests.reliability._flow_worker <postgres url> <sandbox url> <api key>``. Each worker has its own
PostgreSQL checkpointer and ledger connections and its own client, as a separate server process would. Jobs:
``{"job", "op": "start", "thread", "plan", "contact"}``, ``{"job", "op": "resume", "thread", "resume", "at"}``
(wait until the wall-clock time ``at``, so several workers resume together) and ``{"job", "op": "continue",
"thread"}``. The answer is ``{"job", "ok", "error"}``. Tests kill it with SIGKILL at any moment.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.types import Command

from graphs.webhook_agent import build_flow_graph
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.ledger import open_ledger
from piggy_agent_tools.toolkit import PiggyToolkit


def start_input(thread: str, plan: list[dict[str, Any]], contact: str) -> dict[str, Any]:
    """The first input of a flow thread (what ``WebhookAgent.run_turn`` would build from an event)."""
    return {
        "messages": [("human", f"test flow {thread}")],
        "flow": "soak",
        "event": {"event_type": "test", "contact_uuid": contact},
        "delivery": {"event_type": "test", "entity": contact, "body_hash": thread},
        "plan": plan,
        "step": 0,
        "stop_on_error": True,
        "approvals": {},
    }


def main() -> None:
    postgres, base_url, api_key = sys.argv[1:4]
    with (
        PostgresSaver.from_conn_string(postgres) as saver,
        open_ledger(postgres, wait_for_owner=20.0) as ledger,
        PiggyClient(api_key=api_key, base_url=base_url) as client,
    ):
        graph = build_flow_graph(PiggyToolkit(client=client), checkpointer=saver, ledger=ledger)
        print(json.dumps({"ready": os.getpid()}), flush=True)
        for line in sys.stdin:
            job = json.loads(line)
            config: Any = {"configurable": {"thread_id": job["thread"]}}
            try:
                if job["op"] == "start":
                    graph.invoke(start_input(job["thread"], job["plan"], job["contact"]), config)
                elif job["op"] == "resume":
                    time.sleep(max(0.0, float(job.get("at", 0)) - time.time()))
                    graph.invoke(Command(resume=job["resume"]), config)
                else:
                    graph.invoke(None, config)
                answer = {"job": job["job"], "ok": True, "error": None}
            except Exception as exc:  # reported to the test, which decides whether it is allowed
                answer = {"job": job["job"], "ok": False, "error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
