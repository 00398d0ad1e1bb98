"""The real ``piggy-agent-tools mcp`` command as a subprocess, over stdio or HTTP, against the sandbox."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from mcp import StdioServerParameters

from piggy_agent_tools.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "piggy_agent_tools.cli", "mcp"]


def sandbox_env(sandbox: Sandbox, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PIGGY_MCP_TOKEN"}
    return {**env, "PIGGY_API_KEY": sandbox.api_key, "PIGGY_BASE_URL": sandbox.base_url, **extra}


def stdio_params(sandbox: Sandbox, *extra: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=COMMAND[0], args=[*COMMAND[1:], *extra], env=sandbox_env(sandbox), cwd=str(ROOT)
    )


@dataclass
class HttpServer:
    """A running ``mcp --http`` process: the URL and token it printed, and everything it wrote to stderr."""

    proc: subprocess.Popen[str]
    url: str
    token: str
    stderr: list[str] = field(default_factory=list)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def start_http(sandbox: Sandbox, *extra: str, env: dict[str, str] | None = None) -> HttpServer:
    """Start ``mcp --http --port 0`` and wait for its "listening at" line (the token line comes before it)."""
    proc = subprocess.Popen(
        [*COMMAND, "--http", "--port", "0", *extra],
        cwd=ROOT,
        env=env or sandbox_env(sandbox),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    lines: list[str] = []
    token = ""
    for line in proc.stderr:
        lines.append(line)
        if m := re.search(r"token \(shown once.*\): (\S+)", line):
            token = m.group(1)
        if m := re.search(r"listening at (http://\S+)", line):
            server = HttpServer(proc, m.group(1), token or (env or {}).get("PIGGY_MCP_TOKEN", ""), lines)
            threading.Thread(target=lines.extend, args=(proc.stderr,), daemon=True).start()  # keep the pipe drained
            return server
    proc.wait(timeout=10)
    raise AssertionError(f"mcp --http exited with {proc.returncode} before listening: {''.join(lines)}")


def stop(server: HttpServer) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=10)
