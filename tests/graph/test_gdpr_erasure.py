"""GDPR erasure reaches the agent's memory (issue 11): after a GDPR ``delete_contact`` through the support graph,
the thread's stored checkpoints (SQLite file and rows, PostgreSQL rows) and the sandbox's audit hold none of the
contact's email, names or phone; ``purge_contact`` does the same for an erasure done outside the agent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from graphs.support_agent.graph import build_graph
from graphs.support_agent.persistence import open_checkpointer
from piggy_agent_tools import PiggyClient, PiggyToolkit
from piggy_agent_tools.gdpr import ERASED, personal_terms, purge_contact
from piggy_agent_tools.hitl.approval import review_command
from piggy_agent_tools.sandbox import Sandbox
from tests.graph.fakes import calls, script


def _person(client: PiggyClient) -> tuple[str, dict[str, str]]:
    tag = uuid.uuid4().hex[:8]
    data = {
        "email": f"gwen-{tag}@example.com",
        "firstname": f"Gwendolyn{tag}",
        "lastname": f"Quarterfield{tag}",
        "phonenumber": f"+3161{int(tag, 16) % 10**7:07d}",
    }
    contact = client.contacts.create(data["email"]).uuid
    client.contacts.update(contact, attributes={k: v for k, v in data.items() if k != "email"})
    return contact, data


def _hits(blob: bytes | str, data: dict[str, str]) -> dict[str, int]:
    text = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
    return {k: text.lower().count(v.lower()) for k, v in data.items() if text.lower().count(v.lower())}


def _sqlite_rows(path: Path) -> bytes:
    import sqlite3

    with sqlite3.connect(path) as conn:
        out = b""
        for table in ("checkpoints", "writes"):
            for row in conn.execute(f"SELECT * FROM {table}"):
                out += b"|".join(v if isinstance(v, bytes) else str(v).encode() for v in row)
    return out


def _postgres_hits(url: str, data: dict[str, str]) -> dict[str, int]:
    """Rows of the whole PostgreSQL checkpoint store holding each value, searched in the server (every column)."""
    import psycopg

    columns = {
        "checkpoints": ("checkpoint::text", "metadata::text", "thread_id"),
        "checkpoint_blobs": ("encode(blob, 'escape')", "thread_id"),
        "checkpoint_writes": ("encode(blob, 'escape')", "thread_id"),
    }
    hits: dict[str, int] = {}
    with psycopg.connect(url) as conn:
        for key, value in data.items():
            total = 0
            for table, cols in columns.items():
                where = " OR ".join(f"strpos(lower({c}), lower(%(v)s)) > 0" for c in cols)
                total += conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", {"v": value}).fetchone()[0]
            if total:
                hits[key] = total
    return hits


def _erase_through_the_agent(saver: Any, client: PiggyClient, thread: str) -> tuple[str, dict[str, str], Any]:
    contact, data = _person(client)
    graph = build_graph(
        PiggyToolkit(client=client),
        model=script(
            "delete_account",
            calls(("get_contact", {"email": data["email"]})),
            calls(("delete_contact", {"contact_uuid": contact, "type": "GDPR"})),
            "Your personal data has been erased.",
        ),
        checkpointer=saver,
    )
    cfg = {"configurable": {"thread_id": thread}}
    graph.invoke({"messages": [("user", f"I am {data['email']}, please erase all my data")]}, cfg)
    snapshot = graph.get_state(cfg)
    assert snapshot.interrupts, "a GDPR deletion waits for a person"
    assert _hits(json.dumps([str(m) for m in snapshot.values["messages"]]), data), "the thread saw the person"
    command = review_command(snapshot, [{"type": "approve"}])
    assert command is not None
    graph.invoke(command, cfg)
    final = graph.get_state(cfg)
    deleted = [m for m in final.values["messages"] if isinstance(m, ToolMessage) and m.name == "delete_contact"]
    assert deleted and deleted[0].status == "success"
    return contact, data, final


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    path = tmp_path / "agent.db"
    yield f"sqlite:///{path}", path


def test_gdpr_erasure_through_the_agent_leaves_no_personal_data_in_sqlite_or_the_audit(
    sandbox: Sandbox, client: PiggyClient, sqlite_url: tuple[str, Path]
) -> None:
    url, path = sqlite_url
    with open_checkpointer(url) as saver:
        _, data, final = _erase_through_the_agent(saver, client, "gdpr-sqlite")
        history = list(saver.list({"configurable": {"thread_id": "gdpr-sqlite"}}))
    assert _hits(_sqlite_rows(path), data) == {}
    file_bytes = path.read_bytes() + b"".join(p.read_bytes() for p in path.parent.glob("agent.db-*"))
    assert _hits(file_bytes, data) == {}
    assert _hits(json.dumps(sandbox.audit()), data) == {}
    assert len(history) > 5  # the history was rewritten, not dropped: the thread can still be read and resumed
    assert any(ERASED in str(m.content) for m in final.values["messages"])
    assert final.values["messages"][-1].content == "Your personal data has been erased."


def test_gdpr_erasure_through_the_agent_leaves_no_personal_data_in_postgres(
    client: PiggyClient, postgres_url: str
) -> None:
    with open_checkpointer(postgres_url) as saver:
        _, data, _ = _erase_through_the_agent(saver, client, f"gdpr-pg-{uuid.uuid4().hex[:8]}")
    assert _postgres_hits(postgres_url, data) == {}


def test_purge_contact_erases_a_contact_deleted_outside_the_agent_from_every_checkpointer(
    client: PiggyClient, sqlite_url: tuple[str, Path], postgres_url: str
) -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    url, path = sqlite_url
    with open_checkpointer(url) as sqlite_saver, open_checkpointer(postgres_url) as pg_saver:
        for store in (sqlite_saver, pg_saver, InMemorySaver()):
            contact, data = _person(client)
            graph = build_graph(
                PiggyToolkit(client=client),
                model=script("lookup", calls(("get_contact", {"email": data["email"]})), "Found you."),
                checkpointer=store,
            )
            cfg = {"configurable": {"thread_id": f"outside-{uuid.uuid4().hex[:8]}"}}
            graph.invoke({"messages": [("user", f"look up {data['email']}")]}, cfg)
            full = client.contacts.get(contact)
            client.contacts.delete(contact, type="GDPR")  # erased by staff in Piggy, not through this agent
            if store is pg_saver:
                assert _postgres_hits(postgres_url, data), "the thread stored the person"
            # Every thread of the store is searched; the shared PostgreSQL holds other tests' threads, so name ours.
            only = cfg["configurable"]["thread_id"] if store is pg_saver else None
            assert purge_contact(store, personal_terms(full), thread_id=only) > 0
            state = graph.get_state(cfg).values
            assert _hits(json.dumps([str(m) for m in state["messages"]], default=str), data) == {}
            assert state["messages"][-1].content == "Found you."
            if store is sqlite_saver:
                assert _hits(_sqlite_rows(path), data) == {}
            if store is pg_saver:
                assert _postgres_hits(postgres_url, data) == {}
