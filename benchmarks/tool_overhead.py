"""``get_prepaid_balance`` through the LangChain tool vs the same direct client call, in one run on the sandbox
(goal <= 1.10). (``get_contact`` also reads the contact's identifiers since issue 15: two requests, so it is no
longer a like-for-like pair with one client call.)

Run: ``.venv/bin/python benchmarks/tool_overhead.py``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import interleaved_medians, machine
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit

REPEAT = 1500


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    with (
        Sandbox.start(seed="demo", rate_limit=10**9) as sb,
        PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client,
    ):
        name = "get_prepaid_balance"
        tool = next(t for t in PiggyToolkit(client=client).get_tools() if t.name == name)
        call = {"type": "tool_call", "id": "bench", "name": name, "args": {"contact_uuid": ids.JANE}}
        for _ in range(200):
            tool.invoke(call)
            client.contacts.get_prepaid_balance(ids.JANE)
        via_tool, direct = interleaved_medians(
            lambda: tool.invoke(call), lambda: client.contacts.get_prepaid_balance(ids.JANE), REPEAT
        )
    print(f"machine: {machine()}")
    print(f"get_prepaid_balance via tool          median {via_tool:8.0f} µs")
    print(f"client.contacts.get_prepaid_balance   median {direct:8.0f} µs")
    print(f"ratio tool/client      {via_tool / direct:8.3f}  (goal <= 1.10)")


if __name__ == "__main__":
    main()
