"""Replay guards: remember which signed deliveries were handled, for a time to live, so a replay runs nothing.

Piggy's ``Signature`` is an HMAC of the body alone, with no timestamp or delivery id, so a captured delivery
verifies forever. A guard keys each delivery by the SHA-256 of its exact body: the first one claims the key and
runs the handler; the same body again within the TTL is acknowledged without running it. A handler that fails
releases its claim, so Piggy's retry of that delivery still runs. Two different events with byte-identical bodies
inside the TTL count as one (handlers must be idempotent anyway; see docs/webhooks.md).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

DEFAULT_TTL_SECONDS = 7 * 24 * 3600  # longer than any retry schedule a sender plausibly keeps


def delivery_identity(raw_body: bytes) -> str:
    """The identity of a delivery: SHA-256 of the exact bytes received (what the signature covers)."""
    return hashlib.sha256(raw_body).hexdigest()


@runtime_checkable
class ReplayGuard(Protocol):
    """Claim a delivery before its handler runs; release the claim when the handler failed."""

    def claim(self, key: str) -> bool:
        """True when ``key`` was not seen within the TTL (and is now taken); False for a replay."""
        ...

    def release(self, key: str) -> None:
        """Forget ``key`` (its handler failed, so the sender's retry must run)."""
        ...


class InMemoryReplayGuard:
    """A per-process guard: enough for one worker; use ``SQLiteReplayGuard`` to share across workers/restarts."""

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS, *, clock: Callable[[], float] = time.time) -> None:
        if ttl <= 0:
            raise ValueError("the replay guard's ttl must be positive seconds")
        self.ttl = ttl
        self._clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            if len(self._seen) > 1024:  # amortised expiry keeps memory bounded by the delivery rate x TTL
                self._seen = {k: t for k, t in self._seen.items() if t > now}
            expires = self._seen.get(key)
            if expires is not None and expires > now:
                return False
            self._seen[key] = now + self.ttl
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)


class SQLiteReplayGuard:
    """A guard in a SQLite file: survives restarts and is shared by every worker process on the machine."""

    def __init__(self, path: str, ttl: float = DEFAULT_TTL_SECONDS, *, clock: Callable[[], float] = time.time) -> None:
        if ttl <= 0:
            raise ValueError("the replay guard's ttl must be positive seconds")
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS piggy_webhook_deliveries (key TEXT PRIMARY KEY, expires REAL NOT NULL)"
        )
        self._conn.execute(
            "CREATE INDEX IF NOT EXISTS piggy_webhook_deliveries_expires ON piggy_webhook_deliveries (expires)"
        )

    def claim(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")  # one writer at a time across processes: claim is atomic
            try:
                self._conn.execute("DELETE FROM piggy_webhook_deliveries WHERE expires <= ?", (now,))
                inserted = self._conn.execute(
                    "INSERT OR IGNORE INTO piggy_webhook_deliveries (key, expires) VALUES (?, ?)", (key, now + self.ttl)
                ).rowcount
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return inserted == 1

    def release(self, key: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM piggy_webhook_deliveries WHERE key = ?", (key,))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
