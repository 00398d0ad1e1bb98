"""Run the conformance suite and regenerate docs/conformance.md (the table is also printed at the end).

Run: ``.venv/bin/python scripts/conformance_report.py`` (extra arguments go to pytest).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    _, extra = parser.parse_known_args()  # --help answers here; anything else goes to pytest
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    return int(pytest.main(["-q", "-p", "no:cacheprovider", "tests/conformance", *extra]))


if __name__ == "__main__":
    raise SystemExit(main())
