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
# Asked inside the transaction, before the payload is built: does anyone want events of this type?
EventInterest = Callable[["Tx", str], bool]
Payload = Doc | Callable[[], Doc]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    uuid TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (kind, uuid)
);
CREATE INDEX IF NOT EXISTS docs_kind ON docs (kind, id);
CREATE TABLE IF NOT EXISTS kind_counts (kind TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS docs_counted AFTER INSERT ON docs BEGIN
    INSERT INTO kind_counts (kind, n) VALUES (new.kind, 1) ON CONFLICT (kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS docs_uncounted AFTER DELETE ON docs BEGIN
    UPDATE kind_counts SET n = n - 1 WHERE kind = old.kind;
END;
"""

# Expression indexes on the fields look-ups filter by (``Tx.find`` writes ``json_extract(data, '$.<field>') IS ?``),
# so a look-up by email, contact or code stays an index seek at 100,000 contacts instead of a scan.
INDEXED_FIELDS = ("email", "contact_uuid", "code", "value", "external_identifier", "created_at")
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
        self.events: list[tuple[str, Payload]] = []

    def insert(
        self, kind: str, data: Doc, *, uuid: str | None = None, with_id: Callable[[Doc], None] | None = None
    ) -> Doc:
        """Store a new document; it gets a ``uuid`` (unless given) and Piggy's numeric ``id``.

        ``with_id`` completes fields derived from the id before the one write of the document's data.
        """
        doc = dict(data)
        doc["uuid"] = uuid or doc.get("uuid") or new_uuid()
        # The id AUTOINCREMENT would give (the transaction holds the lock), so the document is written once: one
        # write of each expression index instead of an insert and an update.
        row = self._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'docs'").fetchone()
        row_id = (int(row[0]) if row else 0) + 1
        doc.setdefault("id", row_id)
        if with_id is not None:
            with_id(doc)
        self._conn.execute(
            "INSERT INTO docs (id, kind, uuid, data) VALUES (?, ?, ?, ?)", (row_id, kind, doc["uuid"], json.dumps(doc))
        )
        known = self.store._ids.get(kind)
        if known is not None:
            known.append(row_id)  # ids only grow, so the list stays sorted
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
        self.store._ids.pop(kind, None)  # rebuilt on the next page of this kind

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
        ``< <= > >= =``; ``order`` sorts by a field (ties by insertion, same direction), else insertion order."""
        if not where and order is None:
            return self._page_in_order(kind, offset, limit)
        sql, args = " FROM docs WHERE kind = ?", [kind]
        for key, op, value in where:
            if op not in ("<", "<=", ">", ">=", "="):
                raise ValueError(f"bad operator {op!r}")
            sql += f" AND json_extract(data, '$.{_field(key)}') {op} ?"
            args.append(value)
        if where:
            total = int(self._conn.execute("SELECT COUNT(*)" + sql, args).fetchone()[0])
        else:  # kept by triggers: counting 100,000 index entries per page would cost more than the page
            row = self._conn.execute("SELECT n FROM kind_counts WHERE kind = ?", (kind,)).fetchone()
            total = int(row[0]) if row else 0
        # Ties follow the direction too (newest first: the later insert first), so the index serves the order.
        way = "DESC" if descending else "ASC"
        by = f"json_extract(data, '$.{_field(order)}') {way}, id {way}" if order else "id"
        rows = self._conn.execute(f"SELECT data{sql} ORDER BY {by} LIMIT ? OFFSET ?", [*args, limit, offset])
        return [dict(json.loads(r[0])) for r in rows.fetchall()], total

    def _page_in_order(self, kind: str, offset: int, limit: int) -> tuple[list[Doc], int]:
        """A page in insertion order from the kind's id list, kept in memory: page 2,500 of 100,000 contacts costs
        what page 1 costs (an ``OFFSET`` walks every skipped index entry)."""
        ids = self.store._ids.get(kind)
        if ids is None:
            rows = self._conn.execute("SELECT id FROM docs WHERE kind = ? ORDER BY id", (kind,)).fetchall()
            ids = self.store._ids[kind] = [int(r[0]) for r in rows]
        chunk = ids[offset : offset + limit]
        if not chunk:
            return [], len(ids)
        marks = ",".join("?" * len(chunk))
        found = self._conn.execute(f"SELECT data FROM docs WHERE id IN ({marks}) ORDER BY id", chunk).fetchall()
        return [dict(json.loads(r[0])) for r in found], len(ids)

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

    def emit(self, event_type: str, payload: Payload) -> None:
        """Queue a webhook event; listeners get it only after the transaction commits.

        ``payload`` may be a function: it is built at the end of the transaction, and only when a listener wants
        this event type (an import of 100,000 contacts builds no ``contact_created`` bodies nobody subscribed to).
        """
        self.events.append((event_type, payload))

    def _settle_events(self, interests: list[EventInterest | None]) -> list[tuple[str, Doc]]:
        """The queued events someone wants, with their payloads built (still inside the transaction)."""
        wanted: dict[str, bool] = {}
        settled = []
        for event_type, payload in self.events:
            if event_type not in wanted:
                wanted[event_type] = any(i is None or i(self, event_type) for i in interests)
            if wanted[event_type]:
                settled.append((event_type, payload() if callable(payload) else payload))
        return settled


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
        # A database file written before the counts existed: count once, the triggers keep it from here.
        self._conn.execute("DELETE FROM kind_counts")
        self._conn.execute("INSERT INTO kind_counts (kind, n) SELECT kind, COUNT(*) FROM docs GROUP BY kind")
        self._listeners: list[EventListener] = []
        self._interests: list[EventInterest | None] = []
        # Per kind, its documents' ids in insertion order (for paging); dropped on rollback, wipe or delete.
        self._ids: dict[str, list[int]] = {}

    def add_listener(self, listener: EventListener, interest: EventInterest | None = None) -> None:
        """Call ``listener`` with each committed event; with ``interest``, only for event types it wants."""
        self._listeners.append(listener)
        self._interests.append(interest)

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
                events = tx._settle_events(self._interests) if tx.events and self._listeners else []
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                self._ids.clear()
                raise
        for event_type, payload in events:
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
            self._ids.clear()
            self._conn.execute("DELETE FROM docs")
            self._conn.execute("DELETE FROM audit")

    def close(self) -> None:
        self._conn.close()
