"""Roles are explicit in the served graph: the staff console and the customer self-service agent, each with its
policy (loaded in a fresh interpreter from the environment, as LangGraph Server does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from piggy_agent_tools.sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent.parent
# Both roles in one interpreter (start-up dominates): the module is reloaded with the customer's email set.
PROBE = """
import importlib, json, os
from graphs.support_agent import served as s
def seen():
    return [s.ROLE, s.graph.name, sorted(t.name for t in s.toolkit.get_tools())]
staff = seen()
os.environ["PIGGY_AS_CONTACT"] = "tom.berg@example.com"
importlib.reload(s)
print(json.dumps([staff, seen()]))
"""


def test_the_served_graph_is_a_labelled_staff_console_or_customer_self_service(sandbox: Sandbox) -> None:
    environ = {**os.environ, "PIGGY_API_KEY": sandbox.api_key, "PIGGY_BASE_URL": sandbox.base_url}
    for name in ("PIGGY_AGENT_MODEL", "PIGGY_AS_CONTACT"):
        environ.pop(name, None)
    environ["PIGGY_LEDGER_URL"] = "memory"
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    staff, customer = json.loads(out.stdout.strip().splitlines()[-1])
    assert staff[0] == "staff console" and "staff console" in staff[1] and "award_credits" in staff[2]
    assert customer[0] == "customer self-service" and "customer self-service" in customer[1]
    assert "award_credits" not in customer[2] and "trigger_automation" not in customer[2]
    assert "get_contact" in customer[2]
