"""Robustness probe of the offline router on the dev splits (never the held-out test split).

Takes every dev utterance the router already answers right (single-turn records) and rewrites it in ways that must
not change the answer: wrapped in English or Dutch politeness, shouted (upper case), or with two adjacent letters of
its longest plain word swapped (a typo). Prints, per rewrite, how many still score right, and a few that do not.
Run: ``.venv/bin/python scripts/router_probe.py [--show N]``
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphs.support_agent.router.evaluate import Runner
from graphs.support_agent.scoring import load
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox

DEV_SPLITS = ["dev", "dev_extra", "dev_extra2", "dev_extra3", "dev_extra4", "dev_extra5", "dev_extra6"]
_rng = random.Random(7)


def _typo(text: str) -> str | None:
    found = list(re.finditer(r"(?<![\w@.-])[a-z]{6,}(?![\w@.-])", text))
    if not found:
        return None
    hit = max(found, key=lambda m: len(m.group(0)))
    word = hit.group(0)
    i = _rng.randrange(1, len(word) - 2)
    return text[: hit.start()] + word[:i] + word[i + 1] + word[i] + word[i + 2 :] + text[hit.end() :]


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


REWRITES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "polite (en)": lambda r: f"hi! could you please {_lower_first(r['text'])} thanks" if r["lang"] == "en" else None,
    "polite (nl)": lambda r: f"hoi, zou je {_lower_first(r['text'])} alsjeblieft" if r["lang"] == "nl" else None,
    "shouting": lambda r: None if re.search(r"[A-Z]{2,}-", r["text"]) else str(r["text"]).upper(),
    "typo": lambda r: _typo(str(r["text"])),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=5, help="misses to print per rewrite")
    args = parser.parse_args()
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb, PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as c:
        runner = Runner(c)
        records = [r for split in DEV_SPLITS for r in load(split) if not r.get("before")]
        right = [r for r in records if runner.run(r).score.ok]
        print("| rewrite | records | still right | share |\n|---|---:|---:|---:|")
        misses: dict[str, list[str]] = {}
        for name, rewrite in REWRITES.items():
            total = ok = 0
            for record in right:
                text = rewrite(record)
                if text is None:
                    continue
                total += 1
                outcome = runner.run({**record, "text": text})
                ok += outcome.score.ok
                if not outcome.score.ok:
                    misses.setdefault(name, []).append(f"{text!r} -> {outcome.label}")
            print(f"| {name} | {total} | {ok} | {ok / max(total, 1):.1%} |")
        for name, lines in misses.items():
            print(f"\n{name}:", *lines[: args.show], sep="\n  ")


if __name__ == "__main__":
    main()
