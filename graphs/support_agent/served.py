"""The graph LangGraph Server (``langgraph dev``, Platform) loads: compiled without a checkpointer.

The backend comes from the environment: ``PIGGY_API_KEY`` and ``PIGGY_BASE_URL`` (a real account or a running
sandbox), optional ``PIGGY_AGENT_MODEL`` (``provider:model``) and ``PIGGY_AS_CONTACT`` (an email, for a
customer-scoped agent). With no key, an embedded demo sandbox is started so the graph still loads offline.

Roles are explicit: without ``PIGGY_AS_CONTACT`` this is the **staff console** (acts for any customer; the approval
policy's staff rules), with it the **customer self-service** agent (that one contact; value creation left out or
refused, see docs/policy.md). ``ROLE`` and the graph's name say which; approvals are decided by staff either way.
"""

from __future__ import annotations

import os

from graphs.support_agent.graph import build_graph
from graphs.support_agent.persistence import served_ledger_url
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.ledger import open_ledger
from piggy_agent_tools.toolkit import PiggyToolkit

if not os.environ.get("PIGGY_API_KEY"):
    from piggy_agent_tools.sandbox import Sandbox

    _sandbox = Sandbox.start(seed="demo")
    os.environ["PIGGY_API_KEY"], os.environ["PIGGY_BASE_URL"] = _sandbox.api_key, _sandbox.base_url

_client = PiggyClient()
_as = os.environ.get("PIGGY_AS_CONTACT")
_contact = _client.contacts.find_by_email(_as).uuid if _as else None

# LangGraph Server supplies the checkpointer; the execution ledger comes from PIGGY_LEDGER_URL (else the server's own
# DATABASE_URI, else a SQLite file under .langgraph_api/): see persistence.served_ledger_url and docs/RELIABILITY.md.
ledger = open_ledger(served_ledger_url())
toolkit = PiggyToolkit(client=_client, contact_uuid=_contact)
ROLE = toolkit.principal.label  # "staff console" or "customer self-service"
graph = build_graph(toolkit, model=os.environ.get("PIGGY_AGENT_MODEL"), ledger=ledger)
graph.name = f"Piggy support agent ({ROLE})"
