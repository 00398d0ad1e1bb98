"""GDPR erasure for the agent's memory: purge one contact's personal data from any LangGraph checkpointer.

A GDPR ``delete_contact`` erases the contact in Piggy, but a conversation's checkpoints still hold the messages and
tool results that named them. ``purge_contact(checkpointer, terms)`` rewrites every checkpoint (and pending write)
that mentions one of ``terms`` with the terms replaced by ``[erased]``: in-memory, SQLite and PostgreSQL savers,
through the public ``list`` / ``delete_thread`` / ``put`` / ``put_writes`` API only. ``personal_terms(record)``
gives the terms of a contact record (email, names, phone, birthdate, address). The support graph calls it after a
successful GDPR deletion; call it yourself for erasures done outside the agent.

The rewrite deletes a thread's history and puts it back redacted, keeping checkpoint ids, parents and versions, so
a thread resumes as before. It is not atomic: run it when no turn of that thread is in flight.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

ERASED = "[erased]"

# Keys whose values are a person's data (Piggy's contact attributes and the names other records use for them).
PERSONAL_KEYS = frozenset(
    {
        "email",
        "contact_email",
        "firstname",
        "lastname",
        "first_name",
        "last_name",
        "contact_name",
        "full_name",
        "name",
        "phonenumber",
        "phone",
        "phone_number",
        "birthdate",
        "date_of_birth",
        "address",
        "street",
        "housenumber",
        "postalcode",
        "city",
    }
)
_MIN_TERM = 3  # shorter values (initials, a house number) would erase unrelated text


def personal_terms(record: Any) -> frozenset[str]:
    """Every personal value in a contact record (a model or a dict, nested ``current_values`` included).

    A full name also yields its parts, so "Jane Doe" erases "Jane" and "Doe" on their own.
    """
    found: set[str] = set()

    def walk(value: Any, own: bool) -> None:
        # ``own``: this level describes the person (the record itself, its current values); a nested shop or tier
        # has a ``name`` too, which is not personal.
        if isinstance(value, BaseModel):
            value = value.model_dump()
        if isinstance(value, Mapping):
            for key, item in value.items():
                personal = str(key).lower() in PERSONAL_KEYS and (own or str(key).lower() != "name")
                if personal and isinstance(item, str | int) and not isinstance(item, bool):
                    text = str(item).strip()
                    found.add(text)
                    found.update(text.split())
                else:
                    walk(item, own and str(key) in ("current_values", "current_display_values", "contact"))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, False)

    walk(record, True)
    return frozenset(t for t in found if len(t) >= _MIN_TERM)


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({t for t in terms if t and len(t) >= _MIN_TERM}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(re.escape(t) for t in cleaned), re.IGNORECASE)


def redact(value: Any, terms: Iterable[str] | re.Pattern[str]) -> Any:
    """A copy of ``value`` (strings, dicts, lists, messages and other pydantic models, dataclasses) with every
    occurrence of a term replaced by ``[erased]``; values without a term are returned as they are."""
    pattern = terms if isinstance(terms, re.Pattern) else _pattern(terms)
    if pattern is None:
        return value
    return _redact(value, pattern)


def _redact(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, bytes | bytearray):
        return value
    if isinstance(value, dict):
        return type(value)({_redact(k, pattern): _redact(v, pattern) for k, v in value.items()})
    if isinstance(value, list):
        return [_redact(v, pattern) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_redact(v, pattern) for v in value)
    if isinstance(value, BaseModel):
        update = {name: _redact(getattr(value, name), pattern) for name in type(value).model_fields}
        return value.model_copy(update=update)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _redact(getattr(value, f.name), pattern) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if _is_send(value):  # a pending task's input (one tool call per Send) is stored with the checkpoint
        return type(value)(value.node, _redact(value.arg, pattern))
    return value


def _is_send(value: Any) -> bool:
    return type(value).__name__ == "Send" and hasattr(value, "node") and hasattr(value, "arg")


def mentions(value: Any, terms: Iterable[str]) -> int:
    """How many occurrences of the terms ``value`` holds (the count a purge would erase)."""
    pattern = _pattern(terms)
    if pattern is None:
        return 0
    return _count(value, pattern)


def _count(value: Any, pattern: re.Pattern[str]) -> int:
    if isinstance(value, str):
        return len(pattern.findall(value))
    if isinstance(value, dict):
        return sum(_count(k, pattern) + _count(v, pattern) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(_count(v, pattern) for v in value)
    if isinstance(value, BaseModel):
        return sum(_count(getattr(value, name), pattern) for name in type(value).model_fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(_count(getattr(value, f.name), pattern) for f in dataclasses.fields(value))
    if _is_send(value):
        return _count(value.arg, pattern)
    return 0


def _tuple_hits(item: Any, pattern: re.Pattern[str]) -> int:
    return (
        _count(item.checkpoint.get("channel_values"), pattern)
        + _count(dict(item.metadata or {}), pattern)
        + _count([w[2] for w in item.pending_writes or []], pattern)
    )


def purge_contact(checkpointer: Any, terms: Iterable[str], *, thread_id: str | None = None) -> int:
    """Erase ``terms`` from every checkpoint of ``thread_id`` (or of every thread); returns checkpoints rewritten.

    Works with any saver implementing LangGraph's ``BaseCheckpointSaver`` (``InMemorySaver``, ``SqliteSaver``,
    ``PostgresSaver``). Threads that do not mention a term are left untouched. Without ``thread_id`` every stored
    checkpoint is read once, which takes a while on a large store: name the threads when you know them.
    """
    pattern = _pattern(terms)
    if pattern is None:
        return 0
    config = {"configurable": {"thread_id": thread_id}} if thread_id is not None else None
    threads: dict[str, list[Any]] = defaultdict(list)
    for item in checkpointer.list(config):
        threads[str(item.config["configurable"]["thread_id"])].append(item)
    rewritten = 0
    for thread, items in threads.items():
        if not any(_tuple_hits(item, pattern) for item in items):
            continue
        _secure_delete(checkpointer)
        checkpointer.delete_thread(thread)
        for item in sorted(items, key=lambda i: str(i.checkpoint["id"])):  # ids are time-ordered: parents first
            put_config, checkpoint, metadata, writes = _redacted(item, thread, pattern)
            saved = checkpointer.put(put_config, checkpoint, metadata, dict(checkpoint["channel_versions"]))
            for task_id, task_writes in writes.items():
                checkpointer.put_writes(saved, task_writes, task_id)
            rewritten += 1
        _flush(checkpointer)
    return rewritten


async def apurge_contact(checkpointer: Any, terms: Iterable[str], *, thread_id: str | None = None) -> int:
    """``purge_contact`` for async savers (``AsyncSqliteSaver``, ``AsyncPostgresSaver``)."""
    pattern = _pattern(terms)
    if pattern is None:
        return 0
    config = {"configurable": {"thread_id": thread_id}} if thread_id is not None else None
    threads: dict[str, list[Any]] = defaultdict(list)
    async for item in checkpointer.alist(config):
        threads[str(item.config["configurable"]["thread_id"])].append(item)
    rewritten = 0
    for thread, items in threads.items():
        if not any(_tuple_hits(item, pattern) for item in items):
            continue
        await checkpointer.adelete_thread(thread)
        for item in sorted(items, key=lambda i: str(i.checkpoint["id"])):
            put_config, checkpoint, metadata, writes = _redacted(item, thread, pattern)
            saved = await checkpointer.aput(put_config, checkpoint, metadata, dict(checkpoint["channel_versions"]))
            for task_id, task_writes in writes.items():
                await checkpointer.aput_writes(saved, task_writes, task_id)
            rewritten += 1
    return rewritten


def _redacted(item: Any, thread: str, pattern: re.Pattern[str]) -> tuple[dict[str, Any], Any, Any, dict[str, Any]]:
    """The put arguments that store ``item`` again, redacted, under its own parent."""
    namespace = item.config["configurable"].get("checkpoint_ns", "")
    put_config: dict[str, Any] = {"configurable": {"thread_id": thread, "checkpoint_ns": namespace}}
    parent = (item.parent_config or {}).get("configurable", {}).get("checkpoint_id")
    if parent:
        put_config["configurable"]["checkpoint_id"] = parent
    checkpoint = dict(item.checkpoint)
    checkpoint["channel_values"] = _redact(dict(checkpoint.get("channel_values") or {}), pattern)
    metadata = _redact(dict(item.metadata or {}), pattern)
    writes: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for task_id, channel, value in item.pending_writes or []:
        writes[task_id].append((channel, _redact(value, pattern)))
    return put_config, checkpoint, metadata, writes


def _secure_delete(checkpointer: Any) -> None:
    """SQLite keeps deleted rows in free pages unless asked to overwrite them."""
    conn = getattr(checkpointer, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        conn.execute("PRAGMA secure_delete = ON")


def _flush(checkpointer: Any) -> None:
    """SQLite in WAL mode: move the rewritten pages into the database file and empty the log."""
    conn = getattr(checkpointer, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


__all__ = ["ERASED", "PERSONAL_KEYS", "apurge_contact", "mentions", "personal_terms", "purge_contact", "redact"]
