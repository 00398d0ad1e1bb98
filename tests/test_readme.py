"""The README as a newcomer follows it: every python block runs as written, JSON blocks parse, the MCP host entry
``make -s mcp-config`` prints names a command that runs from anywhere, and no link points outside the repository.

Python blocks run against the shared sandbox with the variables the README tells people to set (``PIGGY_API_KEY``,
``PIGGY_BASE_URL``, ``PIGGY_WEBHOOK_SECRET``). The create_agent block only builds an agent, so a placeholder
``OPENAI_API_KEY`` is enough (it is never sent anywhere).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from piggy_agent_tools.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
BLOCKS = [(m.group(1), m.group(2), README.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(README)]
PYTHON = [(line, code) for lang, code, line in BLOCKS if lang == "python"]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_readme_has_python_blocks() -> None:
    assert len(PYTHON) >= 4


@pytest.mark.parametrize(("line", "code"), PYTHON, ids=[f"line {line}" for line, _ in PYTHON])
def test_python_block_runs_as_written(
    line: int, code: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PIGGY_API_KEY", sandbox.api_key)
    monkeypatch.setenv("PIGGY_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("PIGGY_WEBHOOK_SECRET", "readme-test-secret")
    if not os.environ.get("OPENAI_API_KEY"):
        monkeypatch.setenv("OPENAI_API_KEY", "sk-placeholder-never-sent")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "__readme__"})


def test_json_blocks_parse() -> None:
    blocks = [code for lang, code, _ in BLOCKS if lang == "json"]
    assert blocks
    for code in blocks:
        json.loads(code)


def test_links_stay_inside_the_repository() -> None:
    for target in LINK.findall(README):
        if target.startswith(("http://", "https://", "#", "mailto:")):
            continue
        path = (ROOT / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{target} leaves the repository (dead in a clone)"
        assert path.exists(), f"{target} does not exist"
    assert "../shared" not in README


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_mcp_config_from_make_names_a_runnable_command() -> None:
    done = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed-mcp", "mcp-config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "MAKEFLAGS"},
    )
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)["mcpServers"]["piggy"]
    command = Path(entry["command"])
    assert command.is_absolute() and os.access(command, os.X_OK), command
    check = subprocess.run(
        [str(command), *entry["args"], "--help"], capture_output=True, text=True, timeout=60, check=False, cwd="/"
    )
    assert check.returncode == 0 and "usage:" in check.stdout, check.stderr
