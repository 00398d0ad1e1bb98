"""Figures the fuzz and fault-matrix tests publish: printed after their module (even under capture), and merged
into ``$PIGGY_RELIABILITY_REPORT`` (a JSON file) when that is set, for docs/RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

FULL = os.environ.get("PIGGY_RELIABILITY", "").lower() == "full"


def publish(request: Any, section: str, *, text: str, data: Any) -> None:
    """Print one section of figures to the terminal and merge its ``data`` into the JSON report, if one is set."""
    lines = ["", f"## {section}", "", text]
    saved = _save(section, data)
    if saved is not None:
        lines.append(f"(saved to {saved})")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return
    if capture is None:
        for line in lines:
            reporter.write_line(line)
        return
    with capture.global_and_fixture_disabled():
        for line in lines:
            reporter.write_line(line)


def _save(section: str, data: Any) -> Path | None:
    target = os.environ.get("PIGGY_RELIABILITY_REPORT")
    if not target:
        return None
    path = Path(target)
    existing: dict[str, Any] = {}
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            existing = {}
    existing[section] = data
    path.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table (so the printed figures paste into docs as they are)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    return "\n".join([line, rule, *body])
