"""Score what an agent did for one corpus record: the right tool with the right key arguments, and nothing worse.

One function, ``score``, shared by the offline router's tests and by the model eval harness (``eval.py``), so that
every number we report about "understanding people" means the same thing. The record format is documented in
``graphs/support_agent/corpus/README.md``.

Rules, per ``record["expect"]``:

- ``call``: every expected call is matched by a distinct predicted call of that tool (or of one of the listed
  alternatives) whose arguments contain the expected key arguments; look-ups (read tools) may come first, but any
  other write, spend or delete is a wrong action and fails the record.
- ``ask``: the agent asks (or explains) instead of acting: no write, spend or delete at all; reads are allowed.
- ``out_of_scope``: no tool call at all.

Argument values compare leniently where people and models differ harmlessly: case and surrounding space of text,
``50`` versus ``50.0`` versus ``"50"``, attributes as a mapping or as ``[{"name", "value"}]`` pairs. An expected text
value ending in ``*`` is a prefix (``"2026-12-24T19:00*"`` accepts any seconds and time-zone suffix).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Score:
    """The verdict for one record: ``ok``, and in ``reason`` what was wrong (empty when ok)."""

    ok: bool
    reason: str = ""


def load(name: str = "test") -> list[dict[str, Any]]:
    """The records of ``corpus/<name>.jsonl`` (``dev``, ``test`` or ``corpus``)."""
    path = CORPUS_DIR / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_only_tools() -> frozenset[str]:
    """Names of the tools that change nothing, read live from the registry (other tools are actions)."""
    from piggy_agent_tools.tools import REGISTRY, Risk

    return frozenset(spec.name for spec in REGISTRY if spec.max_risk is Risk.READ)


def score(record: Mapping[str, Any], calls: Sequence[Mapping[str, Any]], reads: Iterable[str] | None = None) -> Score:
    """Score the tool ``calls`` an agent made for the record's last message (each ``{"name"|"tool", "args"}``).

    ``reads`` overrides the set of read-only tool names (default: the live registry's).
    """
    read = frozenset(reads) if reads is not None else read_only_tools()
    made = [(_name(c), dict(c.get("args") or {})) for c in calls]
    expect = record.get("expect", "call")
    if expect == "out_of_scope":
        return Score(not made, "" if not made else f"expected no tool call, got {_names(made)}")
    if expect == "ask":
        acted = [name for name, _ in made if name not in read]
        return Score(not acted, "" if not acted else f"expected a question, got action(s) {acted}")
    used: set[int] = set()
    for wanted in record.get("calls") or []:
        tools = wanted["tool"] if isinstance(wanted["tool"], list) else [wanted["tool"]]
        match = next(
            (
                i
                for i, (name, args) in enumerate(made)
                if i not in used and name in tools and _args_match(wanted.get("args") or {}, args)
            ),
            None,
        )
        if match is None:
            same = [args for name, args in made if name in tools]
            detail = f"; {tools[0]} was called with {same}" if same else f"; calls were {_names(made)}"
            return Score(False, f"missing {'/'.join(tools)} with {wanted.get('args') or {}}{detail}")
        used.add(match)
    extra = [made[i][0] for i in range(len(made)) if i not in used and made[i][0] not in read]
    return Score(not extra, "" if not extra else f"unexpected action(s) {extra}")


def label(calls: Sequence[Mapping[str, Any]], *, out_of_scope: bool = False, reads: Iterable[str] | None = None) -> str:
    """A one-word summary of what the agent did, for a confusion table: its first action, else its last look-up,
    else ``out_of_scope`` (when it declined the topic) or ``ask``."""
    read = frozenset(reads) if reads is not None else read_only_tools()
    names = [_name(c) for c in calls]
    acted = [n for n in names if n not in read]
    if acted:
        return acted[0]
    if names:
        return names[-1]
    return "out_of_scope" if out_of_scope else "ask"


def expected_label(record: Mapping[str, Any]) -> str:
    """The label the record expects, comparable with ``label``."""
    return str(record.get("intent") or record.get("expect"))


def _name(call: Mapping[str, Any]) -> str:
    return str(call.get("name") or call.get("tool") or "")


def _names(made: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [name for name, _ in made]


def _args_match(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> bool:
    return all(key in actual and _value_match(value, actual[key]) for key, value in expected.items())


def _value_match(expected: Any, actual: Any) -> bool:
    if isinstance(expected, Mapping):
        mapping = _as_mapping(actual)
        return mapping is not None and all(
            _norm_key(k) in mapping and _value_match(v, mapping[_norm_key(k)]) for k, v in expected.items()
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return bool(expected == actual)
    if isinstance(expected, int | float):
        try:
            return abs(float(actual) - float(expected)) < 1e-6
        except (TypeError, ValueError):
            return False
    want, got = str(expected).strip().casefold(), str(actual).strip().casefold()
    if want.endswith("*"):
        return got.startswith(want[:-1])
    return want == got


def _as_mapping(value: Any) -> dict[str, Any] | None:
    if isinstance(value, Mapping):
        return {_norm_key(k): v for k, v in value.items()}
    if isinstance(value, list) and all(isinstance(p, Mapping) and "name" in p for p in value):
        return {_norm_key(p["name"]): p.get("value") for p in value}
    return None


def _norm_key(key: Any) -> str:
    return str(key).strip().casefold()
