"""What the execution ledger costs: ``award_credits`` and ``get_contact`` with and without it, in one run.

A value-moving call through ``guarded_invoke`` on a SQLite ledger (claim before the send, outcome after) is timed
against the same tool invoked directly, alternately, on the real sandbox over HTTP on 127.0.0.1; a read is timed the
same way (it passes straight through). Goal (issue 10): at most +2 ms median on the write, nothing on the read.

Run: ``.venv/bin/python benchmarks/ledger_cost.py`` (``--repeat N``, ``--synchronous full`` to fsync every write).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import interleaved_medians, machine
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.ledger import SqliteLedger, guarded_invoke
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit

GOAL_MS = 2.0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=600, help="timed calls per variant (default 600)")
    parser.add_argument("--warmup", type=int, default=100, help="untimed calls per variant first (default 100)")
    parser.add_argument(
        "--synchronous", choices=["normal", "full"], default="normal", help="SQLite synchronous mode (default normal)"
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    opts = _parser().parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as tmp,
        Sandbox.start(seed="demo", rate_limit=10**9) as sb,
        PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client,
        SqliteLedger(str(Path(tmp) / "ledger.db"), synchronous=opts.synchronous) as ledger,
    ):
        tools = {t.name: t for t in PiggyToolkit(client=client).get_tools()}
        award, read = tools["award_credits"], tools["get_contact"]
        contact = client.contacts.create(f"bench-{uuid.uuid4().hex[:8]}@example.com").uuid
        award_args = {"contact_uuid": contact, "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 1}
        read_args = {"contact_uuid": ids.JANE}
        thread = f"bench-{uuid.uuid4().hex[:8]}"

        def call(name: str, args: dict[str, object]) -> dict[str, object]:
            return {"type": "tool_call", "id": uuid.uuid4().hex, "name": name, "args": args}

        def award_direct() -> object:
            return award.invoke(call("award_credits", award_args))

        def award_guarded() -> object:
            return guarded_invoke(award, call("award_credits", award_args), ledger=ledger, thread_id=thread, read=False)

        def read_direct() -> object:
            return read.invoke(call("get_contact", read_args))

        def read_guarded() -> object:
            return guarded_invoke(read, call("get_contact", read_args), ledger=ledger, thread_id=thread, read=True)

        for _ in range(opts.warmup):
            award_direct(), award_guarded(), read_direct(), read_guarded()
        write_ledger, write_base = interleaved_medians(award_guarded, award_direct, opts.repeat)
        read_ledger, read_base = interleaved_medians(read_guarded, read_direct, opts.repeat)
        bookkeeping = _claim_and_resolve_us(ledger, thread, award_args, opts.repeat)
        rows = len(ledger.entries(thread))

    added_ms = (write_ledger - write_base) / 1000
    print(f"machine: {machine()}")
    print(f"SQLite ledger, synchronous={opts.synchronous}, {opts.repeat} calls per variant (interleaved), {rows} rows")
    print(f"award_credits direct          median {write_base:8.0f} µs")
    print(f"award_credits through ledger  median {write_ledger:8.0f} µs")
    ratio = write_ledger / write_base
    print(f"  added                       {added_ms:+8.3f} ms  ratio {ratio:.3f}  (goal <= +{GOAL_MS} ms)")
    print(f"  claim + resolve alone       median {bookkeeping:8.0f} µs")
    print(f"get_contact direct            median {read_base:8.0f} µs")
    print(f"get_contact through ledger    median {read_ledger:8.0f} µs")
    print(
        f"  ratio                       {read_ledger / read_base:8.3f}  (goal: nothing added, a read is not recorded)"
    )
    if added_ms > GOAL_MS:
        print(f"GOAL MISSED: the ledger added {added_ms:.3f} ms (> {GOAL_MS} ms)")


def _claim_and_resolve_us(ledger: SqliteLedger, thread: str, args: dict[str, object], repeat: int) -> float:
    """The ledger's own two writes for one call, without the HTTP request between them."""
    samples = []
    outcome = {"content": "{}", "status": "success", "artifact": None}
    for _ in range(repeat):
        start = time.perf_counter()
        claim = ledger.claim(thread, uuid.uuid4().hex, "award_credits", dict(args))
        ledger.resolve(claim.entry, outcome)
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


if __name__ == "__main__":
    main()
