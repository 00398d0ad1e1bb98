"""Evaluate the offline router on the corpus splits and print the Markdown for docs/router.md.

Per split: accuracy (tool and key arguments, ``graphs/support_agent/scoring.py``); for the held-out test split, a
per-intent table: records, correct, and what the router did instead when wrong (its first action, else its last
look-up, else ``ask`` / ``out_of_scope``). Runs against a fresh demo sandbox (reads real, writes recorded only).
Run: ``.venv/bin/python scripts/router_report.py``
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphs.support_agent.router.evaluate import Outcome, Runner, accuracy
from graphs.support_agent.scoring import expected_label, load
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox

SPLITS = ["test", "dev", "dev_extra", "dev_extra2", "dev_extra3", "dev_extra4", "dev_extra5", "dev_extra6"]


def table(outcomes: list[Outcome]) -> str:
    rows: dict[str, tuple[int, int, Counter[str]]] = {}
    for o in outcomes:
        label = expected_label(o.record)
        total, right, wrong = rows.get(label, (0, 0, Counter()))
        if not o.score.ok:
            wrong[o.label] += 1
        rows[label] = (total + 1, right + int(o.score.ok), wrong)
    lines = ["| expected | records | correct | instead (count) |", "|---|---:|---:|---|"]
    for label in sorted(rows):
        total, right, wrong = rows[label]
        instead = ", ".join(f"{k} ({v})" for k, v in wrong.most_common()) or ""
        lines.append(f"| {label} | {total} | {right} | {instead} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splits", nargs="*", default=SPLITS, help=f"splits to run (default: {' '.join(SPLITS)})")
    args = parser.parse_args()
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb, PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as c:
        runner = Runner(c)
        results = {split: [runner.run(r) for r in load(split)] for split in args.splits}
    print("| split | records | correct | accuracy |\n|---|---:|---:|---:|")
    for split, outcomes in results.items():
        print(f"| {split} | {len(outcomes)} | {sum(o.score.ok for o in outcomes)} | {accuracy(outcomes):.1%} |")
    if "test" in results:
        print("\nPer intent, held-out test split:\n")
        print(table(results["test"]))


if __name__ == "__main__":
    main()
