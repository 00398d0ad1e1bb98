"""The ledger under LangChain's create_agent: a crash after the send, then ``invoke(None)``, sends nothing again.

The model is scripted (tests.graph.fakes); the tools call the real sandbox over HTTP, whose audit counts executions.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import ToolMessage

from graphs.support_agent.persistence import open_checkpointer
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.ledger import LedgerEntry, open_ledger
from piggy_agent_tools.ledger.middleware import PiggyLedgerMiddleware
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.graph.fakes import calls, script


class Crash(BaseException):
    """An injected crash (a BaseException, like a kill: nothing turns it into a tool result)."""


@pytest.mark.parametrize("point", ["after_send", "after_record"])
def test_create_agent_replays_from_the_ledger_after_a_crash(
    client: PiggyClient, sandbox: Sandbox, tmp_path: Path, new_email: str, point: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    toolkit = PiggyToolkit(client=client)
    award = {"contact_uuid": contact, "shop_uuid": ids.SHOP_AMSTERDAM, "credits": 11}
    url = f"sqlite:///{tmp_path / 'agent.db'}"
    fired: list[str] = []

    def crash(where: str, entry: LedgerEntry) -> None:
        if where == point and not fired:
            fired.append(where)
            raise Crash(where)

    with open_ledger(url) as ledger, open_checkpointer(url) as saver:
        ledger.hooks.append(crash)
        agent: Any = create_agent(
            script(calls(("award_credits", award)), "Done."),
            toolkit.get_tools(),
            middleware=[PiggyLedgerMiddleware(toolkit, ledger)],
            checkpointer=saver,
        )
        cfg = {"configurable": {"thread_id": uuid.uuid4().hex}}
        with pytest.raises(Crash):
            agent.invoke({"messages": [("user", "award 11 credits")]}, cfg)
        agent.invoke(None, cfg)  # LangGraph's way to continue: the tools step runs again
        values = agent.get_state(cfg).values
    awards = [r for r in sandbox.audit("credit_receptions.create") if r["args"].get("contact_uuid") == contact]
    assert fired == [point] and len(awards) == 1, "the award reached Piggy once"
    answer = next(m for m in values["messages"] if isinstance(m, ToolMessage))
    if point == "after_send":  # no outcome was recorded: unknown, surfaced, reconciled from Piggy
        assert str(answer.content).startswith("Outcome unknown") and "it happened" in str(answer.content)
        assert [a["happened"] for a in values["ledger_alerts"].values()] == [True]
    else:  # the outcome was recorded: the replay answers it
        assert answer.status == "success" and not values.get("ledger_alerts")
