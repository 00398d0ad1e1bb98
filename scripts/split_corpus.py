"""Split the router evaluation corpus ONCE into dev (tune on it) and test (never tuned on), by a fixed seed.

Stratified by the expected intent, so every intent is in both halves. Run only when the corpus itself changes:
``.venv/bin/python scripts/split_corpus.py``; re-splitting with another seed would leak test records into tuning.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "graphs" / "support_agent" / "corpus"
SEED = 13


def split(records: list[dict[str, object]], seed: int, dev_share: float) -> tuple[list[dict[str, object]], ...]:
    """Dev and test lists: per intent, a seeded shuffle and the first ``dev_share`` (rounded up) to dev."""
    by_intent: dict[str, list[dict[str, object]]] = defaultdict(list)
    for record in records:
        by_intent[str(record["intent"])].append(record)
    rng = random.Random(seed)
    dev: list[dict[str, object]] = []
    test: list[dict[str, object]] = []
    for intent in sorted(by_intent):
        group = by_intent[intent]
        rng.shuffle(group)
        cut = -(-len(group) * int(dev_share * 100) // 100)
        dev += group[:cut]
        test += group[cut:]
    order = {record["id"]: i for i, record in enumerate(records)}
    return sorted(dev, key=lambda r: order[r["id"]]), sorted(test, key=lambda r: order[r["id"]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS / "corpus.jsonl", help="the full corpus (JSON lines)")
    parser.add_argument("--out", type=Path, default=CORPUS, help="directory for dev.jsonl and test.jsonl")
    parser.add_argument("--seed", type=int, default=SEED, help=f"shuffle seed (default {SEED}; never change it)")
    parser.add_argument("--dev-share", type=float, default=0.5, help="share of each intent for dev (default 0.5)")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev, test = split(records, args.seed, args.dev_share)
    for name, part in (("dev", dev), ("test", test)):
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        (args.out / f"{name}.jsonl").write_text(text, encoding="utf-8")
    print(f"{len(records)} records -> dev {len(dev)}, test {len(test)} (seed {args.seed})")


if __name__ == "__main__":
    main()
