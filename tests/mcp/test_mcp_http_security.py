"""MCP over HTTP, tried as an attacker and as a plain HTTP client would: the real server process on 127.0.0.1.

Forged ``Host``/``Origin`` (DNS rebinding) and missing or wrong tokens are refused before anything runs; a
non-loopback bind without a token never listens; ``/mcp`` and ``/mcp/`` both answer without a redirect; the
request sequence the Vercel AI SDK sends (plain POSTs with JSON/SSE accept headers) works end to end.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from _mcp_process import HttpServer, sandbox_env, start_http, stop

from piggy_agent_tools import __version__
from piggy_agent_tools.cli import main
from piggy_agent_tools.mcp.run import is_loopback, security_settings
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids

ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "ai-sdk", "version": "5"}},
}


def _messages(response: httpx.Response) -> list[dict[str, Any]]:
    """The JSON-RPC messages in a response, whether the server answered with JSON or an SSE stream."""
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        return body if isinstance(body, list) else [body]
    data = [line[5:] for line in response.text.splitlines() if line.startswith("data:")]
    return [json.loads(d) for d in data if d.strip()]


def _post(server: HttpServer, body: dict[str, Any], path: str | None = None, **headers: str) -> httpx.Response:
    with httpx.Client(timeout=30, follow_redirects=False) as http:
        return http.post(path or server.url, json=body, headers={**ACCEPT, **headers})


def test_forged_host_or_origin_is_refused_even_with_the_token(http_mcp: HttpServer) -> None:
    """What a DNS-rebinding page sends: its own name as Host, its own origin as Origin."""
    port = http_mcp.url.split(":")[2].split("/")[0]
    forged_host = _post(http_mcp, INITIALIZE, Host=f"attacker.example:{port}", **http_mcp.auth)
    assert forged_host.status_code == 421
    forged_origin = _post(http_mcp, INITIALIZE, Origin="http://attacker.example", **http_mcp.auth)
    assert forged_origin.status_code == 403
    rebinding = _post(
        http_mcp, INITIALIZE, Host=f"attacker.example:{port}", Origin=f"http://attacker.example:{port}", **http_mcp.auth
    )
    assert rebinding.status_code in (403, 421)
    local_page = _post(http_mcp, INITIALIZE, Origin=f"http://localhost:{port}", **http_mcp.auth)
    assert local_page.status_code == 200  # a page served from this machine is fine


def test_no_or_wrong_token_is_refused(http_mcp: HttpServer) -> None:
    assert http_mcp.token and len(http_mcp.token) >= 32
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": http_mcp.token}):
        refused = _post(http_mcp, INITIALIZE, **headers)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    assert _post(http_mcp, listing).status_code == 401
    assert sum(http_mcp.token in line for line in http_mcp.stderr) == 1  # printed once, at start


def test_mcp_and_mcp_slash_both_answer_without_redirect(http_mcp: HttpServer) -> None:
    assert http_mcp.url.endswith("/mcp")
    for path in (http_mcp.url, http_mcp.url + "/"):
        response = _post(http_mcp, INITIALIZE, path=path, **http_mcp.auth)
        assert response.status_code == 200, (path, response.status_code)
        info = _messages(response)[0]["result"]["serverInfo"]
        assert info == {"name": "piggy-agent-tools", "version": __version__}


def test_vercel_ai_sdk_style_client_path(http_mcp: HttpServer) -> None:
    """Plain POSTs: initialize, the initialized notification, tools/list, tools/call; session id echoed back."""
    init = _post(http_mcp, INITIALIZE, **http_mcp.auth)
    assert init.status_code == 200
    session = {"mcp-session-id": init.headers["mcp-session-id"], "mcp-protocol-version": "2025-06-18"}
    done = _post(http_mcp, {"jsonrpc": "2.0", "method": "notifications/initialized"}, **session, **http_mcp.auth)
    assert done.status_code == 202
    listed = _messages(_post(http_mcp, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, **session, **http_mcp.auth))
    names = {t["name"] for t in listed[-1]["result"]["tools"]}
    assert {"get_contact", "delete_contact"} <= names
    call = {"jsonrpc": "2.0", "id": 3, "method": "tools/call"}
    call["params"] = {"name": "get_contact", "arguments": {"email": "jane.doe@example.com"}}
    got = _messages(_post(http_mcp, call, **session, **http_mcp.auth))[-1]
    assert got["id"] == 3 and got["result"]["isError"] is False
    assert got["result"]["structuredContent"]["uuid"] == ids.JANE
    # A destructive call from this client (no elicitation capability) is refused and says why.
    call = {"jsonrpc": "2.0", "id": 4, "method": "tools/call"}
    call["params"] = {"name": "delete_contact", "arguments": {"contact_uuid": ids.TOM}}
    refused = _messages(_post(http_mcp, call, **session, **http_mcp.auth))[-1]["result"]
    assert refused["isError"] is True and "elicitation" in refused["content"][0]["text"]


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sandbox: Sandbox, *args: str) -> str:
    """Run ``main(["mcp", *args])`` in this process (these options fail before serving); its exit 2 and stderr."""
    monkeypatch.setenv("PIGGY_API_KEY", sandbox.api_key)
    monkeypatch.setenv("PIGGY_BASE_URL", sandbox.base_url)
    monkeypatch.delenv("PIGGY_MCP_TOKEN", raising=False)
    assert main(["mcp", *args]) == 2
    return capsys.readouterr().err


def test_non_loopback_bind_without_a_token_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sandbox: Sandbox
) -> None:
    err = _cli(monkeypatch, capsys, sandbox, "--http", "--host", "0.0.0.0", "--port", "0")
    assert "listening" not in err and len(err.strip().splitlines()) == 1 and "PIGGY_MCP_TOKEN" in err


def test_bad_options_are_one_line_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sandbox: Sandbox
) -> None:
    unknown = _cli(monkeypatch, capsys, sandbox, "--as-contact", "nobody-here@example.com")
    assert unknown.strip().splitlines() == [
        "piggy-agent-tools: --as-contact: no contact with email 'nobody-here@example.com' in this account"
    ]
    assert len(_cli(monkeypatch, capsys, sandbox, "--http", "--port", "70000").strip().splitlines()) == 1
    monkeypatch.setattr("sys.argv", ["piggy-agent-tools"])
    with pytest.raises(SystemExit):
        main(["mcp", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "resets every time the server starts" in help_text and "--sandbox-db" in help_text


def test_the_command_itself_prints_one_line_not_a_traceback(
    run_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    """The installed entry point, as a user runs it: the same single line on stderr, exit status 2."""
    done = run_cli("--as-contact", "nobody-here@example.com")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_operator_token_allows_a_non_loopback_bind_with_named_hosts(sandbox: Sandbox) -> None:
    """PIGGY_MCP_TOKEN set: 0.0.0.0 binds, the token is never printed, and only --allow-host names pass."""
    chosen = "operator-chosen-token-0123456789abcdef"
    env = sandbox_env(sandbox, PIGGY_MCP_TOKEN=chosen)
    server = start_http(sandbox, "--host", "0.0.0.0", "--allow-host", "mcp.example.com:*", env=env)
    try:
        port = server.url.rsplit(":", 1)[1].split("/")[0]
        local = f"http://127.0.0.1:{port}/mcp"
        assert not any(chosen in line for line in server.stderr)
        named = _post(server, INITIALIZE, path=local, Host=f"mcp.example.com:{port}", Authorization=f"Bearer {chosen}")
        assert named.status_code == 200
        other = _post(server, INITIALIZE, path=local, Host=f"other.example:{port}", Authorization=f"Bearer {chosen}")
        assert other.status_code == 421
        assert _post(server, INITIALIZE, path=local, Host=f"mcp.example.com:{port}").status_code == 401
    finally:
        stop(server)


def test_loopback_detection_and_default_allow_lists() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.5", "example.com"))
    wild = security_settings("0.0.0.0")
    assert "0.0.0.0:*" not in wild.allowed_hosts and "127.0.0.1:*" in wild.allowed_hosts
    assert "http://attacker.example" not in wild.allowed_origins and "null" not in wild.allowed_origins
    named = security_settings("10.0.0.5", ["mcp.example.com"], ["https://app.example.com"])
    assert {"10.0.0.5:*", "mcp.example.com"} <= set(named.allowed_hosts)
    assert "https://app.example.com" in named.allowed_origins
