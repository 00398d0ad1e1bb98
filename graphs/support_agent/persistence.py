"""Checkpointers from a URL: ``memory`` (default), ``sqlite:///path.db`` or ``postgresql://...``, sync and async.

An approval requested in one process can be decided and resumed in another that opens the same URL. The execution
ledger lives next to the checkpoints: ``open_graph_ledger(url)`` opens it in the same database (its own table).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from piggy_agent_tools.ledger import Ledger, open_ledger

#: LangGraph Server supplies the checkpointer itself; the ledger then comes from this variable (see served_ledger_url).
LEDGER_ENV = "PIGGY_LEDGER_URL"


def _kind(url: str) -> str:
    if url in ("", "memory", ":memory:"):
        return "memory"
    if url.startswith("sqlite:///"):
        return "sqlite"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgres"
    raise ValueError(f"unknown checkpointer {url!r}; use memory, sqlite:///path.db or postgresql://...")


@contextmanager
def open_checkpointer(url: str = "memory") -> Iterator[Any]:
    """A sync checkpointer for ``graph.invoke``; tables are created on first use."""
    kind = _kind(url)
    if kind == "memory":
        yield InMemorySaver()
    elif kind == "sqlite":
        from langgraph.checkpoint.sqlite import SqliteSaver

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)
        try:
            saver = SqliteSaver(conn)
            saver.setup()
            yield saver
        finally:
            conn.close()
    else:
        from langgraph.checkpoint.postgres import PostgresSaver

        with PostgresSaver.from_conn_string(url) as saver:
            saver.setup()
            yield saver


@asynccontextmanager
async def open_async_checkpointer(url: str = "memory") -> AsyncIterator[Any]:
    """An async checkpointer for ``graph.ainvoke``."""
    kind = _kind(url)
    if kind == "memory":
        yield InMemorySaver()
    elif kind == "sqlite":
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        async with AsyncSqliteSaver.from_conn_string(url.removeprefix("sqlite:///")) as saver:
            await saver.setup()
            yield saver
    else:
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

        async with AsyncPostgresSaver.from_conn_string(url) as saver:
            await saver.setup()
            yield saver


def ledger_url(checkpointer_url: str = "memory") -> str:
    """The ledger URL for a checkpointer URL: the same database (``memory`` gives an in-memory ledger)."""
    return "memory:" if _kind(checkpointer_url) == "memory" else checkpointer_url


@contextmanager
def open_graph_ledger(checkpointer_url: str = "memory") -> Iterator[Ledger]:
    """The execution ledger next to the checkpointer at ``checkpointer_url``; closed on exit."""
    with open_ledger(ledger_url(checkpointer_url)) as ledger:
        yield ledger


def served_ledger_url(environ: dict[str, str] | None = None) -> str:
    """Where the served graph keeps its ledger when LangGraph Server owns the checkpointer.

    ``PIGGY_LEDGER_URL`` if set; else ``DATABASE_URI`` (the PostgreSQL LangGraph Server itself uses, so ledger rows
    sit beside its checkpoints); else a SQLite file in ``.langgraph_api/`` (where ``langgraph dev`` keeps its state).
    """
    env = os.environ if environ is None else environ
    url = env.get(LEDGER_ENV) or env.get("DATABASE_URI")
    if url:
        return url
    os.makedirs(".langgraph_api", exist_ok=True)
    return "sqlite:///.langgraph_api/piggy-ledger.db"
