"""Run the conformance suite and regenerate docs/conformance.md (the table is also printed at the end).

Run: ``.venv/bin/python scripts/conformance_report.py`` (extra arguments go to pytest).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    return int(pytest.main(["-q", "-p", "no:cacheprovider", "tests/conformance", *sys.argv[1:]]))


if __name__ == "__main__":
    raise SystemExit(main())
