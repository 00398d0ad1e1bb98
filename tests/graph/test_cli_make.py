"""``make -s demo ARGS=--jsonl`` (as the README shows it) prints valid JSON lines from the very first line: make echoes
no command and install progress goes to stderr. Runs the real Makefile and module; the demo's install step is
taken as done (``-o``), since this suite already runs inside an installed environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_jsonl_is_json_from_the_first_line() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PIGGY_API_KEY", "PIGGY_BASE_URL", "MAKEFLAGS")}
    script = "how many points does jane.doe@example.com have?\ndelete her account (GDPR)\n/reject not verified\n"
    done = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed-demo", "demo", f"PY={sys.executable}", "ARGS=--jsonl"],
        input=script,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    events = [json.loads(line) for line in lines]  # every line, the first included, is one JSON object
    assert len(events) == len(lines) > 3
    assert events[0]["event"] == "info" and "embedded Piggy sandbox" in events[0]["text"]
    kinds = [e["event"] for e in events]
    assert "interrupt" in kinds and kinds.index("interrupt") < kinds.index("decision")
    assert next(e for e in events if e["event"] == "decision")["decisions"][0]["type"] == "reject"
