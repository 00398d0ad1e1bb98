"""The offline router on the held-out test set (never tuned on): tool and key arguments, against a real sandbox.

Fails when accuracy drops below the figure recorded in router/recorded.json (also in docs/router.md). Reads run
for real; the first write is recorded, not executed (graphs/support_agent/corpus/README.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphs.support_agent.router.evaluate import Runner, accuracy
from graphs.support_agent.scoring import load
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox

RECORDED = json.loads(
    (Path(__file__).parents[2] / "graphs" / "support_agent" / "router" / "recorded.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def runner() -> Iterator[Runner]:
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb, PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as c:
        yield Runner(c)


@pytest.mark.parametrize(
    "split", ["test", "dev", "dev_extra", "dev_extra2", "dev_extra3", "dev_extra4", "dev_extra5", "dev_extra6"]
)
def test_accuracy_does_not_drop_below_the_recorded_figure(runner: Runner, split: str) -> None:
    outcomes = [runner.run(record) for record in load(split)]
    misses = [f"{o.record['id']} {o.record['text']!r}: {o.score.reason}" for o in outcomes if not o.score.ok]
    got = accuracy(outcomes)
    assert got >= RECORDED[split]["accuracy"], f"{split} accuracy {got:.3f} < recorded; misses:\n" + "\n".join(misses)
