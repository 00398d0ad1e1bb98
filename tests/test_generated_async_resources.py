"""The async resources are generated from the sync ones; this fails when someone forgot to regenerate."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_async_resources_match_the_sync_source() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_async_resources.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
