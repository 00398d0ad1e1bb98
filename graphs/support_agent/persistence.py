"""Checkpointers from a URL: ``memory`` (default), ``sqlite:///path.db`` or ``postgresql://...``, sync and async.

An approval requested in one process can be decided and resumed in another that opens the same URL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver


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
