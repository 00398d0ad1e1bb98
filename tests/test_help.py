"""Every script and console entry point answers --help, exits 0, and changes nothing (no file written, no run).

Scripts in scripts/ and benchmarks/ and runnable modules in graphs/ are discovered, so one added later is held to
the same rule. Each runs as
``__main__`` in this process (one import of LangChain for all, to keep the suite fast) from an empty working
directory; the installed console scripts run as real processes. Files the generators write must keep their
modification times.
"""

from __future__ import annotations

import ast
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

SCRIPTS = sorted(
    str(p.relative_to(ROOT))
    for folder in ("scripts", "benchmarks")
    for p in (ROOT / folder).glob("*.py")
    if not p.name.startswith("_")
)
# Runnable modules under graphs/: packages with a __main__.py, and files with a __main__ block (found, not listed).
MODULES = sorted(
    {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "graphs").rglob("__main__.py")}
    | {
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / "graphs").rglob("*.py")
        if p.name != "__main__.py" and '__name__ == "__main__"' in p.read_text(encoding="utf-8")
    }
)
CONSOLE_SCRIPTS = [["piggy-sandbox"], ["piggy-sandbox", "serve"], ["piggy-agent-tools"], ["piggy-agent-tools", "mcp"]]
# What the generators would write if --help ran them.
WATCHED = [
    *(ROOT / "docs").glob("*.md"),
    *(ROOT / "notebooks").glob("*.ipynb"),
    *(ROOT / "piggy_agent_tools" / "client" / "resources_async").glob("*.py"),
]


def _summary(script: str) -> str:
    """The first docstring line: what a script that answers --help with its docstring prints."""
    doc = ast.get_docstring(ast.parse((ROOT / script).read_text(encoding="utf-8"))) or "usage:"
    return doc.splitlines()[0]


def _help_as_main(run: object, target: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: object) -> str:
    before = {p: p.stat().st_mtime_ns for p in WATCHED}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [target, "--help"])
    monkeypatch.setattr(sys, "path", [str(ROOT), *sys.path])
    with pytest.raises(SystemExit) as stop:
        run(target, run_name="__main__")  # type: ignore[operator]
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert stop.value.code in (0, None), out
    assert list(tmp_path.iterdir()) == [], "--help left files in the working directory"
    assert [str(p) for p, t in before.items() if p.stat().st_mtime_ns != t] == [], "--help rewrote files"
    return str(out)


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_answers_help_without_side_effects(
    script: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _help_as_main(runpy.run_path, str(ROOT / script), monkeypatch, tmp_path, capsys)
    assert "usage:" in out or _summary(script) in out, out[-2000:]


@pytest.mark.parametrize("module", MODULES)
def test_module_answers_help_without_side_effects(
    module: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, module, raising=False)
    out = _help_as_main(runpy.run_module, module, monkeypatch, tmp_path, capsys)
    assert "usage:" in out, out[-2000:]


@pytest.mark.parametrize("command", CONSOLE_SCRIPTS, ids=" ".join)
def test_console_script_answers_help(command: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [str(BIN / command[0]), *command[1:], "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout and list(tmp_path.iterdir()) == []


def test_discovery_finds_the_known_entry_points() -> None:
    assert {"graphs.support_agent", "graphs.create_agent_example", "graphs.webhook_agent"} <= set(MODULES)
    assert {"scripts/generate_tool_docs.py", "benchmarks/client_overhead.py"} <= set(SCRIPTS)
