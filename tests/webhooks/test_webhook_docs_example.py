"""The runnable example in docs/webhooks.md really runs: sandbox, receiver, subscription, delivered event."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def test_the_docs_example_receives_its_contact_created_event(tmp_path: Path) -> None:
    section = DOC.read_text().split("## A runnable example", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    script = tmp_path / "example.py"
    script.write_text(code.group(1))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "received: [('contact_created', 'webhook.demo@example.com')]" in done.stdout
