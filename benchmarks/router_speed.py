"""Offline router speed: routing (classify) plus slot extraction per utterance, over the whole evaluation corpus.

Measured cold (the typo-correction cache cleared before every utterance, so each unknown word pays its edit-distance
search) and warm. Each utterance is timed ``--rounds`` times and its median kept, so a scheduler pause on a shared
machine is not charged to the router; mean, p95 and max are over utterances. Goal: at most 2 ms per utterance;
exits 1 when the cold mean or p95 exceeds it.
Run: ``.venv/bin/python benchmarks/router_speed.py``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import machine
from graphs.support_agent.intents import classifier, classify
from graphs.support_agent.parsing import extract
from graphs.support_agent.router import classifier as classifier_module
from graphs.support_agent.scoring import load

GOAL_MS = 2.0


def measure(text: str, *, cold: bool, rounds: int) -> float:
    """Median milliseconds of classify + extract for one utterance."""
    samples = []
    for _ in range(rounds):
        if cold:
            classifier_module._CORRECTIONS.clear()
        start = time.perf_counter()
        classify(text)
        extract(text)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="timings per utterance and mode (default 5)")
    args = parser.parse_args()
    texts = [r["text"] for r in load("corpus")]
    start = time.perf_counter()
    classifier()
    print(f"{machine()}\nclassifier built in {(time.perf_counter() - start) * 1000:.0f} ms (once per process)")
    worst = 0.0
    for mode in ("cold", "warm"):
        samples = [measure(text, cold=mode == "cold", rounds=args.rounds) for text in texts]
        samples.sort()
        mean, p50 = statistics.fmean(samples), samples[len(samples) // 2]
        p95, top = samples[int(len(samples) * 0.95)], samples[-1]
        print(
            f"{mode}: {len(texts)} utterances (median of {args.rounds} each): mean {mean:.3f} ms, p50 {p50:.3f} ms, "
            f"p95 {p95:.3f} ms, max {top:.3f} ms"
        )
        if mode == "cold":
            worst = max(mean, p95)
    print(f"goal <= {GOAL_MS} ms per utterance (cold mean and p95): {'met' if worst <= GOAL_MS else 'NOT met'}")
    sys.exit(0 if worst <= GOAL_MS else 1)


if __name__ == "__main__":
    main()
