"""The approval policy: for one concrete call and one principal, does it run, need a person's decision, or get refused.

Interface stub (issue 11 fills in the rules): every caller (toolkit, approval node, tools node, middleware, MCP, docs)
asks ``PiggyToolkit.decide(call)`` and nothing else keeps a copy of the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """What happens to a call: it runs, it waits for a person's decision, or it is refused outright."""

    RUN = "run"
    DECIDE = "decide"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Decision:
    """The policy's answer for one call, with the reason a person (or the model) is shown."""

    verdict: Verdict
    reason: str

    @property
    def needs_decision(self) -> bool:
        return self.verdict is Verdict.DECIDE
