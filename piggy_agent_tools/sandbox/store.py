"""SQLite storage for the sandbox: documents by kind, an audit table, and serialised transactions.

Every request runs its reads and writes inside one ``Store.tx()``: a process-wide lock plus ``BEGIN IMMEDIATE``,
so concurrent writes never lose an update (50 concurrent awards give the exact balance). A write transaction
opened with an operation name records one audit row, committed atomically with the write itself.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

Doc = dict[str, Any]
EventListener = Callable[[str, Doc], None]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    uuid TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (kind, uuid)
);
CREATE INDEX IF NOT EXISTS docs_kind ON docs (kind, id);
"""

# Expression indexes on the fields look-ups filter by (``Tx.find`` writes ``json_extract(data, '$.<field>') IS ?``),
# so a look-up by email, contact or code stays an index seek at 100,000 contacts instead of a scan.
INDEXED_FIELDS = ("email", "contact_uuid", "code", "value", "external_identifier", "token", "created_at")
_INDEXES = (
    "".join(
        f"CREATE INDEX IF NOT EXISTS docs_{name} ON docs (kind, json_extract(data, '$.{name}'));\n"
        for name in INDEXED_FIELDS
    )
    + "CREATE INDEX IF NOT EXISTS docs_any_contact ON docs (json_extract(data, '$.contact_uuid'));\n"
)

_AUDIT = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    operation TEXT NOT NULL,
    method TEXT,
    path TEXT,
    args TEXT NOT NULL
);
"""


def now_iso() -> str:
    """Piggy's timestamp format: ISO 8601 with offset, second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_uuid() -> str:
    return str(uuidlib.uuid4())


class Tx:
    """One serialised transaction: typed access to documents, audit and events."""

    def __init__(self, store: Store, conn: sqlite3.Connection) -> None:
        self.store = store
        self._conn = conn
        self.events: list[tuple[str, Doc]] = []

    def insert(self, kind: str, data: Doc, *, uuid: str | None = None) -> Doc:
        """Store a new document; it gets a ``uuid`` (unless given) and Piggy's numeric ``id``."""
        doc = dict(data)
        doc["uuid"] = uuid or doc.get("uuid") or new_uuid()
        cur = self._conn.execute("INSERT INTO docs (kind, uuid, data) VALUES (?, ?, ?)", (kind, doc["uuid"], "{}"))
        doc.setdefault("id", cur.lastrowid)
        self._conn.execute("UPDATE docs SET data = ? WHERE id = ?", (json.dumps(doc), cur.lastrowid))
        return doc

    def get(self, kind: str, uuid: str) -> Doc | None:
        row = self._conn.execute("SELECT data FROM docs WHERE kind = ? AND uuid = ?", (kind, str(uuid))).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, doc: Doc) -> Doc:
        """Replace a stored document (matched by its uuid)."""
        self._conn.execute("UPDATE docs SET data = ? WHERE kind = ? AND uuid = ?", (json.dumps(doc), kind, doc["uuid"]))
        return doc

    def delete(self, kind: str, uuid: str) -> None:
        self._conn.execute("DELETE FROM docs WHERE kind = ? AND uuid = ?", (kind, uuid))

    def all(self, kind: str) -> list[Doc]:
        rows = self._conn.execute("SELECT data FROM docs WHERE kind = ? ORDER BY id", (kind,)).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def page(
        self,
        kind: str,
        *,
        offset: int,
        limit: int,
        where: tuple[tuple[str, str, Any], ...] = (),
        order: str | None = None,
        descending: bool = False,
    ) -> tuple[list[Doc], int]:
        """One page of ``kind`` and the total, in SQL: ``where`` holds ``(field, op, value)`` with op one of
        ``< <= > >= =``; ``order`` sorts by a field (ties in insertion order), else insertion order."""
        sql, args = " FROM docs WHERE kind = ?", [kind]
        for key, op, value in where:
            if op not in ("<", "<=", ">", ">=", "="):
                raise ValueError(f"bad operator {op!r}")
            sql += f" AND json_extract(data, '$.{_field(key)}') {op} ?"
            args.append(value)
        total = int(self._conn.execute("SELECT COUNT(*)" + sql, args).fetchone()[0])
        by = f"json_extract(data, '$.{_field(order)}') {'DESC' if descending else 'ASC'}, id" if order else "id"
        rows = self._conn.execute(f"SELECT data{sql} ORDER BY {by} LIMIT ? OFFSET ?", [*args, limit, offset])
        return [dict(json.loads(r[0])) for r in rows.fetchall()], total

    def find(self, kind: str, **equals: Any) -> list[Doc]:
        """Documents of ``kind`` whose top-level fields equal the given values."""
        sql = "SELECT data FROM docs WHERE kind = ?"
        args: list[Any] = [kind]
        for key, value in equals.items():
            sql += f" AND json_extract(data, '$.{_field(key)}') IS ?"
            args.append(value if not isinstance(value, bool) else int(value))
        rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def find_any(self, **equals: Any) -> list[tuple[str, Doc]]:
        """``(kind, doc)`` for documents of every kind whose top-level fields equal the given values."""
        sql = "SELECT kind, data FROM docs WHERE 1 = 1"
        args: list[Any] = []
        for key, value in equals.items():
            sql += f" AND json_extract(data, '$.{_field(key)}') IS ?"
            args.append(value if not isinstance(value, bool) else int(value))
        rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [(str(r[0]), dict(json.loads(r[1]))) for r in rows]

    def find_one(self, kind: str, **equals: Any) -> Doc | None:
        found = self.find(kind, **equals)
        return found[0] if found else None

    def audit(self, operation: str, args: Doc, *, method: str | None = None, path: str | None = None) -> None:
        self._conn.execute(
            "INSERT INTO audit (at, operation, method, path, args) VALUES (?, ?, ?, ?, ?)",
            (now_iso(), operation, method, path, json.dumps(args, default=str)),
        )

    def erase_from_audit(self, terms: Iterable[str]) -> int:
        """GDPR: replace a person's data (``terms``) in every audit row's arguments with ``[erased]``; returns rows."""
        from piggy_agent_tools.gdpr import redact

        changed = 0
        for row_id, raw in self._conn.execute("SELECT id, args FROM audit").fetchall():
            args = json.loads(raw)
            cleaned = redact(args, terms)
            if cleaned != args:
                self._conn.execute("UPDATE audit SET args = ? WHERE id = ?", (json.dumps(cleaned), row_id))
                changed += 1
        return changed

    def emit(self, event_type: str, payload: Doc) -> None:
        """Queue a webhook event; listeners get it only after the transaction commits."""
        self.events.append((event_type, payload))


def _field(key: str) -> str:
    if not key.replace("_", "").isalnum():
        raise ValueError(f"bad field name {key!r}")
    return key


class Store:
    """The sandbox database. ``path`` is a file or ``:memory:``."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode = WAL" if path != ":memory:" else "PRAGMA journal_mode = MEMORY")
        self._conn.executescript(_SCHEMA + _INDEXES + _AUDIT)
        self._listeners: list[EventListener] = []

    def add_listener(self, listener: EventListener) -> None:
        self._listeners.append(listener)

    @contextmanager
    def tx(self, operation: str | None = None, args: Doc | None = None, **where: Any) -> Iterator[Tx]:
        """A serialised transaction. With ``operation``, one audit row is written when it commits."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            tx = Tx(self, self._conn)
            try:
                yield tx
                if operation is not None:
                    tx.audit(operation, args or {}, **where)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        for event_type, payload in tx.events:
            for listener in self._listeners:
                listener(event_type, payload)

    def audit_rows(self, operation: str | None = None) -> list[Doc]:
        with self._lock:
            sql = "SELECT id, at, operation, method, path, args FROM audit"
            args: tuple[Any, ...] = ()
            if operation:
                sql += " WHERE operation = ?"
                args = (operation,)
            rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [
            {
                "id": r[0],
                "at": r[1],
                "operation": r[2],
                "method": r[3],
                "path": r[4],
                "args": json.loads(r[5]),
            }
            for r in rows
        ]

    def wipe(self) -> None:
        """Remove every document and audit row (used by reset)."""
        with self._lock:
            self._conn.execute("DELETE FROM docs")
            self._conn.execute("DELETE FROM audit")

    def close(self) -> None:
        self._conn.close()
