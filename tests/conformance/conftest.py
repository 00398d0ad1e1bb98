"""Conformance suite hooks: print the per-operation table at the end of the run and refresh docs/conformance.md."""

from __future__ import annotations

import pytest

from tests.conformance import _report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _report.RESULTS:
        return
    terminalreporter.section("Piggy sandbox conformance")
    for line in _report.lines():
        terminalreporter.write_line(line)
    if _report.complete():
        _report.write_markdown()
        terminalreporter.write_line(f"written to {_report.DOC_PATH}")
