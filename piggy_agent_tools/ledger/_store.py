"""The execution ledger's storage: one row per (thread, tool call), claimed before a send, resolved after it.

Three backends behind one small interface: in-memory (one process), SQLite (one host; several processes share the
file) and PostgreSQL (several hosts). A claim is one atomic insert keyed by ``(thread_id, call_id)``: whoever inserts
the row is the only one allowed to send the call. Resolving is a compare-and-set from ``claimed``, so the first
outcome written wins and a late writer reads it back instead of overwriting it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
import sqlite3
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

#: This process's identity in the ``owner`` column: host, pid and a random token (pids are reused).
PROCESS_TOKEN = uuid.uuid4().hex[:12]
OWNER = f"{socket.gethostname()}:{os.getpid()}:{PROCESS_TOKEN}"

# Claims this process is sending right now, counted (several threads may be claiming one key at once; the mark is
# taken before the claim insert, so a concurrent reader never sees a fresh claim as abandoned). A claim owned by this
# process that is not in here was left behind by a cancelled or crashed call: nobody will ever write its outcome.
_IN_FLIGHT: Counter[tuple[str, str]] = Counter()
_IN_FLIGHT_LOCK = threading.Lock()

#: Fault-injection and observation points, in the order a guarded call passes them.
POINTS = ("before_claim", "before_send", "after_send", "after_record")

Hook = Callable[[str, "LedgerEntry"], None]


class State(StrEnum):
    """Where a call stands: claimed and maybe in flight, done with a known outcome, or its outcome is unknown."""

    CLAIMED = "claimed"
    DONE = "done"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger row. ``outcome`` is the answer a replay gets: ``{"content", "status", "artifact"}``."""

    thread_id: str
    call_id: str
    tool: str
    args_hash: str
    args: dict[str, Any]
    state: State
    owner: str
    claimed_at: float
    outcome: dict[str, Any] | None = None
    finished_at: float | None = None
    reconciliation: dict[str, Any] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.thread_id, self.call_id)


@dataclass(frozen=True)
class Claim:
    """The answer to ``claim``: ``won`` means this caller inserted the row and alone may send the call."""

    won: bool
    entry: LedgerEntry

    def same_call(self, tool: str, args_hash: str) -> bool:
        """False when the row was claimed for another tool or other arguments under the same id."""
        return self.entry.tool == tool and self.entry.args_hash == args_hash


def args_hash(tool: str, args: dict[str, Any]) -> str:
    """SHA-256 of the tool name and its final arguments (canonical JSON), the identity of what is sent."""
    body = json.dumps({"tool": tool, "args": args}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def owner_is_gone(entry: LedgerEntry) -> bool | None:
    """True when the claimant can no longer write an outcome; None when that cannot be told from here.

    Same process: gone unless the call is in flight right now (a cancelled or crashed call left it). Another process on
    this host: gone when its pid no longer exists. Another host: unknown (the caller waits for a while instead).
    """
    host, _, rest = entry.owner.partition(":")
    pid_text, _, token = rest.partition(":")
    if entry.owner == OWNER:
        with _IN_FLIGHT_LOCK:
            return entry.key not in _IN_FLIGHT
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    if token == PROCESS_TOKEN:  # pragma: no cover - same token means same process, handled above
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _pid_is_zombie(int(pid_text))


def _pid_is_zombie(pid: int) -> bool:
    """A killed child not yet reaped still has a pid; its outcome will never be written either."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


@contextmanager
def in_flight(key: tuple[str, str]) -> Iterator[None]:
    """Mark a claim as being made or sent by this process (from before the claim insert to after the outcome)."""
    with _IN_FLIGHT_LOCK:
        _IN_FLIGHT[key] += 1
    try:
        yield
    finally:
        with _IN_FLIGHT_LOCK:
            _IN_FLIGHT[key] -= 1
            if _IN_FLIGHT[key] <= 0:
                del _IN_FLIGHT[key]


class Ledger(ABC):
    """Write-ahead record of non-read tool calls. Subclasses store rows; the protocol lives here.

    ``hooks`` are called at each point of ``POINTS`` with the entry (tests inject crashes there). ``wait_for_owner``
    is how long a caller waits for another live worker's outcome before answering "outcome unknown".
    """

    url: str = "memory:"

    def __init__(self, *, wait_for_owner: float = 30.0) -> None:
        self.hooks: list[Hook] = []
        self.wait_for_owner = wait_for_owner

    # -- storage primitives -------------------------------------------------------------------------------------

    @abstractmethod
    def _insert(self, entry: LedgerEntry) -> bool:
        """Insert the row if the key is free; True when inserted (atomic)."""

    @abstractmethod
    def get(self, thread_id: str, call_id: str) -> LedgerEntry | None:
        """The row for one call, or None."""

    @abstractmethod
    def _resolve(self, entry: LedgerEntry) -> bool:
        """Write state/outcome/finished_at/reconciliation only if the stored row is still ``claimed``."""

    @abstractmethod
    def entries(self, thread_id: str | None = None, *, state: State | None = None) -> list[LedgerEntry]:
        """Rows, optionally of one thread and/or one state, oldest claim first."""

    @abstractmethod
    def delete_thread(self, thread_id: str) -> int:
        """Remove a thread's rows (they hold the calls' arguments: erase them with the thread, e.g. for GDPR)."""

    def close(self) -> None:  # noqa: B027 - optional for subclasses; memory has nothing to release
        """Release connections (no-op for memory)."""

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the protocol -------------------------------------------------------------------------------------------

    def claim(self, thread_id: str, call_id: str, tool: str, args: dict[str, Any]) -> Claim:
        """Claim a call before sending it; returns who holds it (``won``) and the stored row."""
        entry = LedgerEntry(
            thread_id=thread_id,
            call_id=call_id,
            tool=tool,
            args_hash=args_hash(tool, args),
            args=args,
            state=State.CLAIMED,
            owner=OWNER,
            claimed_at=time.time(),
        )
        if self._insert(entry):
            return Claim(True, entry)
        existing = self.get(thread_id, call_id)
        if existing is None:  # pragma: no cover - rows are never deleted while a graph runs
            raise RuntimeError(f"ledger row {thread_id}/{call_id} vanished after a conflicting insert")
        return Claim(False, existing)

    def resolve(
        self,
        entry: LedgerEntry,
        outcome: dict[str, Any],
        *,
        state: State = State.DONE,
        reconciliation: dict[str, Any] | None = None,
    ) -> LedgerEntry:
        """Record the outcome of a claimed call; the first resolution wins and is returned."""
        done = replace(entry, state=state, outcome=outcome, finished_at=time.time(), reconciliation=reconciliation)
        if self._resolve(done):
            return done
        stored = self.get(entry.thread_id, entry.call_id)
        return stored or done

    def hook(self, point: str, entry: LedgerEntry) -> None:
        for fn in self.hooks:
            fn(point, entry)

    def unfinished(self, thread_id: str | None = None) -> list[LedgerEntry]:
        """Calls claimed whose outcome was never recorded, and those recorded as unknown (for staff to look at)."""
        return self.entries(thread_id, state=State.CLAIMED) + self.entries(thread_id, state=State.UNKNOWN)

    def wait_for_outcome(self, entry: LedgerEntry) -> LedgerEntry:
        """Wait while a live claimant may still write the outcome; returns the latest row (maybe still claimed)."""
        deadline = time.monotonic() + self.wait_for_owner
        delay = 0.02
        current = entry
        while current.state is State.CLAIMED and owner_is_gone(current) is not True and time.monotonic() < deadline:
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
            current = self.get(entry.thread_id, entry.call_id) or current
        return current

    async def await_outcome(self, entry: LedgerEntry) -> LedgerEntry:
        """``wait_for_outcome`` without blocking the event loop."""
        deadline = time.monotonic() + self.wait_for_owner
        delay = 0.02
        current = entry
        while current.state is State.CLAIMED and owner_is_gone(current) is not True and time.monotonic() < deadline:
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
            latest = await asyncio.to_thread(self.get, entry.thread_id, entry.call_id)
            current = latest or current
        return current


def _row(values: tuple[Any, ...]) -> LedgerEntry:
    thread_id, call_id, tool, hashed, args, state, owner, claimed_at, outcome, finished_at, reconciliation = values
    return LedgerEntry(
        thread_id=thread_id,
        call_id=call_id,
        tool=tool,
        args_hash=hashed,
        args=json.loads(args),
        state=State(state),
        owner=owner,
        claimed_at=float(claimed_at),
        outcome=json.loads(outcome) if outcome else None,
        finished_at=float(finished_at) if finished_at is not None else None,
        reconciliation=json.loads(reconciliation) if reconciliation else None,
    )


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


COLUMNS = "thread_id, call_id, tool, args_hash, args, state, owner, claimed_at, outcome, finished_at, reconciliation"


class MemoryLedger(Ledger):
    """A ledger in this process's memory: protects replays within one process (the default with no URL)."""

    def __init__(self, *, wait_for_owner: float = 30.0) -> None:
        super().__init__(wait_for_owner=wait_for_owner)
        self._rows: dict[tuple[str, str], LedgerEntry] = {}
        self._lock = threading.Lock()

    def _insert(self, entry: LedgerEntry) -> bool:
        with self._lock:
            if entry.key in self._rows:
                return False
            self._rows[entry.key] = entry
            return True

    def get(self, thread_id: str, call_id: str) -> LedgerEntry | None:
        with self._lock:
            return self._rows.get((thread_id, call_id))

    def _resolve(self, entry: LedgerEntry) -> bool:
        with self._lock:
            stored = self._rows.get(entry.key)
            if stored is None or stored.state is not State.CLAIMED:
                return False
            self._rows[entry.key] = entry
            return True

    def delete_thread(self, thread_id: str) -> int:
        with self._lock:
            keys = [k for k in self._rows if k[0] == thread_id]
            for key in keys:
                del self._rows[key]
            return len(keys)

    def entries(self, thread_id: str | None = None, *, state: State | None = None) -> list[LedgerEntry]:
        with self._lock:
            rows = list(self._rows.values())
        rows = [
            r for r in rows if (thread_id is None or r.thread_id == thread_id) and (state is None or r.state is state)
        ]
        return sorted(rows, key=lambda r: r.claimed_at)


class _SqlLedger(Ledger):
    """The SQL both database ledgers share (SQLite >= 3.24 speaks ``ON CONFLICT DO NOTHING`` too); only the
    connection and the parameter mark differ. Statements are written with ``?`` and run with the driver's mark."""

    _mark = "?"

    def __init__(self, conn: Any, *, wait_for_owner: float) -> None:
        super().__init__(wait_for_owner=wait_for_owner)
        self._lock = threading.Lock()
        self._conn = conn
        self._run(
            "CREATE TABLE IF NOT EXISTS piggy_ledger (thread_id TEXT NOT NULL, call_id TEXT NOT NULL,"
            " tool TEXT NOT NULL, args_hash TEXT NOT NULL, args TEXT NOT NULL, state TEXT NOT NULL,"
            " owner TEXT NOT NULL, claimed_at DOUBLE PRECISION NOT NULL, outcome TEXT,"
            " finished_at DOUBLE PRECISION, reconciliation TEXT, PRIMARY KEY (thread_id, call_id))"
        )
        self._run("CREATE INDEX IF NOT EXISTS piggy_ledger_state ON piggy_ledger (state, claimed_at)")

    def _run(self, sql: str, params: tuple[Any, ...] = (), fetch: str = "rowcount") -> Any:
        """Execute one statement under the connection's lock and return its rowcount, one row or all rows."""
        with self._lock:
            cur = self._conn.execute(sql.replace("?", self._mark), params)
            if fetch == "one":
                return cur.fetchone()
            if fetch == "all":
                return cur.fetchall()
            return int(cur.rowcount)

    def _insert(self, entry: LedgerEntry) -> bool:
        values = (*entry.key, entry.tool, entry.args_hash, _dumps(entry.args), entry.state.value, entry.owner)
        inserted = self._run(
            f"INSERT INTO piggy_ledger ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)"
            " ON CONFLICT (thread_id, call_id) DO NOTHING",
            (*values, entry.claimed_at),
        )
        return bool(inserted == 1)

    def get(self, thread_id: str, call_id: str) -> LedgerEntry | None:
        row = self._run(
            f"SELECT {COLUMNS} FROM piggy_ledger WHERE thread_id = ? AND call_id = ?", (thread_id, call_id), "one"
        )
        return _row(tuple(row)) if row else None

    def _resolve(self, entry: LedgerEntry) -> bool:
        updated = self._run(
            "UPDATE piggy_ledger SET state = ?, outcome = ?, finished_at = ?, reconciliation = ?"
            " WHERE thread_id = ? AND call_id = ? AND state = 'claimed'",
            (entry.state.value, _dumps(entry.outcome), entry.finished_at, _dumps(entry.reconciliation), *entry.key),
        )
        return bool(updated == 1)

    def entries(self, thread_id: str | None = None, *, state: State | None = None) -> list[LedgerEntry]:
        where, params = _filters(thread_id, state)
        rows = self._run(f"SELECT {COLUMNS} FROM piggy_ledger{where} ORDER BY claimed_at", params, "all")
        return [_row(tuple(r)) for r in rows]

    def delete_thread(self, thread_id: str) -> int:
        return int(self._run("DELETE FROM piggy_ledger WHERE thread_id = ?", (thread_id,)))

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class SqliteLedger(_SqlLedger):
    """A ledger in a SQLite file (WAL): several processes on one host share it; claims are one atomic insert.

    ``synchronous=NORMAL`` by default: a committed claim survives a process crash (the case the ledger exists for);
    add ``?synchronous=full`` to the URL to also survive a power cut, at the cost of an fsync per write.
    """

    def __init__(self, path: str, *, synchronous: str = "normal", wait_for_owner: float = 30.0) -> None:
        self.url = f"sqlite:///{path}"
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30.0)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={'FULL' if synchronous.lower() == 'full' else 'NORMAL'}")
        super().__init__(conn, wait_for_owner=wait_for_owner)


class PostgresLedger(_SqlLedger):
    """A ledger in PostgreSQL: workers on any host share it; claims are ``INSERT ... ON CONFLICT DO NOTHING``."""

    _mark = "%s"

    def __init__(self, url: str, *, wait_for_owner: float = 30.0) -> None:
        import psycopg

        self.url = url
        super().__init__(psycopg.connect(url, autocommit=True), wait_for_owner=wait_for_owner)


def _filters(thread_id: str | None, state: State | None) -> tuple[str, tuple[Any, ...]]:
    clauses, params = [], []
    if thread_id is not None:
        clauses.append("thread_id = ?")
        params.append(thread_id)
    if state is not None:
        clauses.append("state = ?")
        params.append(state.value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def open_ledger(url: str = "memory:", *, wait_for_owner: float = 30.0) -> Ledger:
    """A ledger from a URL, next to the checkpointer's: ``memory:``, ``sqlite:///path.db`` or ``postgresql://...``.

    ``sqlite:///path.db?synchronous=full`` makes SQLite fsync every claim. Close it (or use ``with``) when done.
    """
    if url in ("", "memory", "memory:", ":memory:"):
        return MemoryLedger(wait_for_owner=wait_for_owner)
    if url.startswith("sqlite:///"):
        path, _, query = url.removeprefix("sqlite:///").partition("?")
        options = dict(part.partition("=")[::2] for part in query.split("&") if part)
        return SqliteLedger(path, synchronous=options.get("synchronous", "normal"), wait_for_owner=wait_for_owner)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresLedger(url, wait_for_owner=wait_for_owner)
    raise ValueError(f"unknown ledger {url!r}; use memory:, sqlite:///path.db or postgresql://...")


@dataclass
class Recorder:
    """A hook that records the points a call passed (for tests and tracing)."""

    seen: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, point: str, entry: LedgerEntry) -> None:
        self.seen.append((point, entry.call_id))
