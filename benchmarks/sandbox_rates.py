"""Sandbox request rates at 1,000 and at 100,000 contacts, and the bulk import through ``/contacts/batch``.

Each rate is requests per second over real HTTP to an in-process sandbox (sync client, one connection), the median
of 3 rounds; the 1,000-contact rates are the baseline taken in the same run (goal: every rate at 100,000 within
0.8x of its 1,000 rate; 100,000 contacts imported in under 60 s).

Run: ``.venv/bin/python benchmarks/sandbox_rates.py [--small 1000] [--large 100000] [--seconds 2]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import machine

BATCH = 1000  # the API's maximum contacts per /contacts/batch call


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", type=int, default=1000, help="contacts in the baseline sandbox (default 1000)")
    parser.add_argument("--large", type=int, default=100_000, help="contacts in the large sandbox (default 100000)")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per rate round (default 2)")
    return parser.parse_args(argv)


def _import(client: object, total: int, prefix: str) -> float:
    """Import ``total`` new contacts through the API, 1,000 per call; seconds taken."""
    start = time.perf_counter()
    for first in range(0, total, BATCH):
        batch = [{"email": f"{prefix}{n}@bench.example"} for n in range(first, min(total, first + BATCH))]
        client.contacts.batch(batch)  # type: ignore[attr-defined]
    return time.perf_counter() - start


class Rig:
    """One sandbox filled with ``size`` imported contacts, and the requests timed against it."""

    def __init__(self, size: int) -> None:
        from piggy_agent_tools import PiggyClient
        from piggy_agent_tools.sandbox import Sandbox
        from piggy_agent_tools.sandbox.seed import ids

        self.sandbox = Sandbox.start(seed="demo", rate_limit=10**9)
        self.client = PiggyClient(api_key=self.sandbox.api_key, base_url=self.sandbox.base_url, max_retries=0)
        self.import_seconds = _import(self.client, size, "c")
        probe = [f"c{n}@bench.example" for n in range(0, size, max(1, size // 97))]
        uuids = [self.client.contacts.find_by_email(e).uuid for e in probe[:50]]
        middle = max(1, size // 2 // 20)
        client, shop = self.client, ids.SHOP_AMSTERDAM
        self.requests: dict[str, Callable[[int], object]] = {
            "GET /contacts/{uuid}": lambda i: client.contacts.get(uuids[i % len(uuids)]),
            "GET /contacts/find-one-by (email)": lambda i: client.contacts.find_by_email(probe[i % len(probe)]),
            "GET /contacts (20, page 1)": lambda i: client.contacts.list(page=1, limit=20),
            "GET /contacts (20, middle page)": lambda i: client.contacts.list(page=middle, limit=20),
            "GET /contacts (20, newest first)": lambda i: client.contacts.list(page=1, limit=20, sort="-created_at"),
            "GET /contacts/{uuid}/credit-balance": lambda i: client.contacts.get_credit_balance(uuids[i % len(uuids)]),
            "GET /loyalty-transactions (contact)": lambda i: client.loyalty_transactions.list(
                contact_uuid=uuids[i % len(uuids)], limit=20
            ),
            "POST /credit-receptions": lambda i: client.credit_receptions.create(
                contact_uuid=uuids[i % len(uuids)], shop_uuid=shop, credits=1
            ),
        }

    def close(self) -> None:
        self.client.close()
        self.sandbox.stop()


def _rates(small: Rig, large: Rig, seconds: float) -> dict[str, tuple[float, float]]:
    """Requests per second at each size, the median of 3 rounds; rounds alternate sizes so drift hits both."""
    out = {}
    for name in small.requests:
        rounds: dict[int, list[float]] = {0: [], 1: []}
        for _ in range(3):
            for side, rig in enumerate((small, large)):
                fn, count, start = rig.requests[name], 0, time.perf_counter()
                while time.perf_counter() - start < seconds:
                    fn(count)
                    count += 1
                rounds[side].append(count / (time.perf_counter() - start))
        out[name] = (statistics.median(rounds[0]), statistics.median(rounds[1]))
    return out


def main(argv: list[str] | None = None) -> None:
    args = _parse(argv)
    print(f"machine: {machine()}")
    small, large = Rig(args.small), Rig(args.large)
    try:
        rates = _rates(small, large, args.seconds)
    finally:
        small.close()
        large.close()
    print(f"{'request (requests/s, median of 3)':40s} {args.small:>9,} {args.large:>9,}   ratio (goal >= 0.8)")
    for name, (a, b) in rates.items():
        print(f"{name:40s} {a:9.0f} {b:9.0f}   {b / a:5.2f}")
    print(f"import of {args.small:,} contacts via /contacts/batch: {small.import_seconds:6.1f} s")
    print(f"import of {args.large:,} contacts via /contacts/batch: {large.import_seconds:6.1f} s (goal < 60 s)")
    worst = min(b / a for a, b in rates.values())
    print(f"worst ratio {worst:.2f}; {'met' if worst >= 0.8 and large.import_seconds < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
