"""Time a newcomer's first ``make demo``: clone the repository fresh, run ``make demo`` in a pseudo-terminal, and
report the seconds until the console's first prompt, the CPU time everything make ran used, and the venv's size.

The clone has no ``.venv``, so make builds it from scratch; pip may still use its download cache (say so when you
quote the figure). Run: ``.venv/bin/python scripts/time_first_run.py [--repo PATH] [--runs N]`` (needs pexpect,
which the dev extra installs).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(repo: Path, prompt: str) -> tuple[float, float, str]:
    """(seconds to the first prompt, CPU seconds of make and its children, venv size) for one fresh clone."""
    import pexpect

    work = Path(tempfile.mkdtemp(prefix="piggy-first-run-"))
    try:
        git = shutil.which("git") or "git"
        subprocess.run([git, "clone", "-q", str(repo), str(work / "clone")], check=True)  # noqa: S603 (our own args)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        child = pexpect.spawn("make demo", cwd=str(work / "clone"), encoding="utf-8", timeout=900)
        child.expect(prompt)
        elapsed = time.monotonic() - start
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        venv = work / "clone" / ".venv"
        size = sum(p.stat().st_size for p in venv.rglob("*") if p.is_file() and not p.is_symlink())
        return elapsed, cpu, f"{size / 2**20:.0f} MiB"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=ROOT, help="the repository to clone (default: this one)")
    parser.add_argument("--runs", type=int, default=1, help="how many fresh clones to time (default: 1)")
    parser.add_argument("--prompt", default="staff>", help="the text that marks the first prompt (default: staff>)")
    args = parser.parse_args()
    for run in range(1, args.runs + 1):
        load = os.getloadavg()
        elapsed, cpu, size = one_run(args.repo, args.prompt)
        print(
            f"run {run}: first prompt after {elapsed:.1f} s; CPU {cpu:.1f} s; .venv {size}; "
            f"load average before {load[0]:.1f} on {os.cpu_count()} CPUs"
        )
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
