"""Run the whole test suite (and the notebooks) with a recognisable canary API key, then look for it everywhere.

The sandbox fixtures in tests/conftest.py take their key from ``PIGGY_TEST_API_KEY``; this script sets it to
``sk_canary_<random>`` and runs ``pytest tests notebooks --nbmake`` with DEBUG log capture, ``-rA`` (the captured
output and logs of passing tests too) and ``-s`` (so subprocesses' output lands in the file too; ``tee-sys``
would break the tests that hand ``sys.stderr`` to a subprocess), every log record also to a DEBUG log file, and
pytest's temp files and ``TMPDIR`` under a work directory this script owns. It then greps the combined stdout and
stderr, the log file, every file written under the work directory, and the notebooks' outputs for the canary (and
the sandbox's OAuth client secret, which is derived from the key).

Exit 0: the canary appears nowhere (test failures, if any, are reported but are not leaks); 1: it leaked (each
place is printed, the key masked); 2: pytest could not run. Summary lines start with ``secret-scan:``.

Run: ``.venv/bin/python scripts/secret_scan.py [--workdir DIR] [-- extra pytest args]`` (a few minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _mask(text: str, canary: str) -> str:
    return text.replace(canary, "sk_canary_" + "*" * 8)


def find_in_text(name: str, text: str, needles: list[str]) -> list[str]:
    """Each occurrence as ``name:line: context`` (the key masked)."""
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        if any(n in line for n in needles):
            context = line.strip()[:240]
            for needle in needles:
                context = _mask(context, needle)
            hits.append(f"{name}:{number}: {context}")
    return hits


def find_in_files(root: Path, needles: list[str]) -> tuple[int, list[str]]:
    """Scan every file under ``root`` as bytes (SQLite checkpoints, JSON reports, notebooks...)."""
    raw = [n.encode() for n in needles]
    count, hits = 0, []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        count += 1
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(r in data for r in raw):
            hits.append(f"{path.relative_to(root)}: contains the canary")
    return count, hits


def notebook_outputs(paths: list[Path]) -> str:
    texts = []
    for path in paths:
        notebook = json.loads(path.read_text())
        for cell in notebook.get("cells", []):
            for output in cell.get("outputs", []):
                texts.append(f"{path.name}: {json.dumps(output, ensure_ascii=False)}")
    return "\n".join(texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--workdir", type=Path, help="where the run's output and temp files go (default: a new temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)

    canary = f"sk_canary_{secrets.token_hex(16)}"
    needles = [canary]  # the OAuth client secret "secret-<key>" contains it
    work = args.workdir or Path(tempfile.mkdtemp(prefix="piggy-secret-scan-"))
    work.mkdir(parents=True, exist_ok=True)
    files, tmp = work / "files", work / "files" / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    # Like /tmp: tests that run a service as another user (the Postgres fixture's initdb) need to reach TMPDIR.
    work.chmod(0o755)
    files.chmod(0o755)
    tmp.chmod(0o1777)
    output_path, log_path = work / "pytest-output.txt", work / "pytest-debug.log"
    log_path.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PIGGY_TEST_API_KEY": canary,
        "PIGGY_SECRET_SCAN": "1",
        "TMPDIR": str(tmp),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PIGGY_RELIABILITY", None)  # the short suite, as `make test` runs it
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests",
        "notebooks",
        "--nbmake",
        "-m",
        "not slow",
        "-o",
        "log_level=DEBUG",
        "--log-level=DEBUG",
        f"--log-file={log_path}",
        "--log-file-level=DEBUG",
        "-o",
        "log_file_mode=a",  # reopened if something runs logging.config.dictConfig (which closes every handler)
        "-rA",
        "-s",  # no capture: everything, subprocesses' inherited stdout/stderr included, goes straight to the file
        f"--basetemp={files / 'pytest'}",
        *args.pytest_args,
    ]
    started = time.monotonic()
    with output_path.open("w") as out:
        run = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    code = run.returncode
    minutes = (time.monotonic() - started) / 60
    output = output_path.read_text(errors="replace")
    tail = [line for line in output.splitlines() if re.match(r"^=+ .*(passed|failed|error).* =+$", line)]
    print(f"secret-scan: pytest exit {code} after {minutes:.1f} min: {tail[-1].strip('= ') if tail else 'no summary'}")
    if code not in (0, 1):  # 1 = some tests failed, which is not a leak; anything else means no proper run
        print(f"secret-scan: pytest did not run properly (exit {code}); see {output_path}")
        return 2

    hits = find_in_text("pytest output", output, needles)
    log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
    hits += find_in_text("debug log", log_text, needles)
    scanned_files, file_hits = find_in_files(files, needles)
    hits += file_hits
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    hits += find_in_text("notebook outputs", notebook_outputs(notebooks), needles)
    print(
        f"secret-scan: scanned {len(output):,} characters of output, {len(log_text):,} of DEBUG log, "
        f"{scanned_files} files under the work directory, the outputs of {len(notebooks)} notebooks"
    )
    # The capture must have been live: the canary sandbox answered requests and DEBUG records were kept.
    if "piggy_agent_tools.client" not in log_text:
        print("secret-scan: the DEBUG log holds no client records; the capture did not work")
        return 2
    if hits:
        print(f"secret-scan: LEAK: the canary key appears {len(hits)} time(s):")
        for hit in hits[:50]:
            print(f"secret-scan:   {hit}")
        print(f"secret-scan: kept {work} for inspection")
        return 1
    print("secret-scan: clean: the canary key appears nowhere")
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
