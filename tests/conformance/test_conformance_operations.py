"""Each recorded Leat operation, called on the sandbox, answers with the recorded structure.

One test per operation of leat-openapi.yaml (OAuth clients, with a 200/201 JSON example); see docs/conformance.md.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from piggy_agent_tools.sandbox import Sandbox
from tests.conformance import _compare
from tests.conformance._env import Env, SetupError
from tests.conformance._plans import FRESH, build
from tests.conformance._reference import Operation, account_attribute_names, available, operations
from tests.conformance._report import DEVIATION, PASS, record
from tests.conformance.deviations import DEVIATIONS

OPERATIONS = operations()
_CHECKED_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "Cache-Control")

pytestmark = pytest.mark.skipif(not available(), reason="the Piggy API reference (leat-openapi.yaml) is not present")


def differences(op: Operation, response: httpx.Response) -> list[str]:
    """How the sandbox's answer differs from the recording (empty when it conforms)."""
    problems: list[str] = []
    if response.status_code != op.status:
        problems.append(f"status: recorded {op.status}, sandbox {response.status_code}: {response.text[:200]}")
    for name in _CHECKED_HEADERS:
        if name in op.headers and name not in response.headers:
            problems.append(f"header {name}: missing")
    if "Cache-Control" in op.headers and response.headers.get("Cache-Control") != op.headers["Cache-Control"]:
        problems.append(f"header Cache-Control: {response.headers.get('Cache-Control')!r}")
    try:
        body: Any = response.json()
    except ValueError:
        return [*problems, f"body is not JSON: {response.text[:120]!r}"]
    if not response.is_success:
        return problems
    problems += _compare.envelope(op.example, body)
    problems += _compare.data(op.example.get("data"), body.get("data"), account_attribute_names())
    return problems


def _endpoint_missing(response: httpx.Response) -> bool:
    """Unknown routes answer 404 with code 404 in Piggy's error shape; missing objects answer 400 with a code."""
    if response.status_code not in (404, 405):
        return False
    try:
        return response.json().get("code") in (404, 405)
    except ValueError:
        return False


@pytest.mark.parametrize("op", OPERATIONS, ids=[op.key for op in OPERATIONS])
def test_sandbox_answer_has_the_recorded_structure(
    op: Operation, sandbox: Sandbox, request: pytest.FixtureRequest
) -> None:
    target: Sandbox = request.getfixturevalue("fresh_sandbox") if op.key in FRESH else sandbox
    env = Env(target)
    try:
        try:
            response = env.send(op.method, build(env, op))
        except SetupError as exc:
            record(op, f"FAIL: {exc}")
            raise
        if _endpoint_missing(response):
            record(op, f"FAIL: endpoint missing (HTTP {response.status_code})")
            pytest.fail(f"{op.key}: the sandbox does not implement this endpoint yet")
        problems = differences(op, response)
    finally:
        env.close()
    if not problems:
        if op.key in DEVIATIONS:
            record(op, "FAIL: listed in DEVIATIONS but now conforms (remove the entry)")
            pytest.fail(f"{op.key} conforms; remove its DEVIATIONS entry")
        record(op, PASS)
        return
    if op.key in DEVIATIONS:
        record(op, DEVIATION)
        return
    record(op, "FAIL: " + "; ".join(problems[:3]) + (f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""))
    pytest.fail(f"{op.key} differs from the recording:\n  " + "\n  ".join(problems))
