"""MCP fixtures: one HTTP server per run, and a runner for options that must fail fast."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator

import pytest
from _mcp_process import COMMAND, ROOT, HttpServer, sandbox_env, start_http, stop

from piggy_agent_tools.sandbox import Sandbox


@pytest.fixture(scope="session")
def http_mcp(sandbox: Sandbox) -> Iterator[HttpServer]:
    """One HTTP MCP server for the run (tests leave no state in it), with a generated token."""
    server = start_http(sandbox)
    yield server
    stop(server)


@pytest.fixture
def run_cli(sandbox: Sandbox) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``piggy-agent-tools mcp <args>`` to completion (for options that must fail fast)."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*COMMAND, *args],
            cwd=ROOT,
            env=env or sandbox_env(sandbox),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run
