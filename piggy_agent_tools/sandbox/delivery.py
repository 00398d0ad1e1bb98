"""The sandbox's webhook delivery engine: signed JSON POSTs from a background worker, with retries.

Events queued by ``tx.emit`` reach ``DeliveryEngine.on_event`` after their transaction commits. Each ACTIVE
matching subscription gets ``{"type", "data"}`` POSTed with header ``Signature`` = hex HMAC-SHA256(raw body,
secret); a non-2xx answer or a connection error is retried up to 5 times with doubling delays (webhooks.md
"Delivery"). Every attempt is kept and shown on ``GET /_sandbox/webhook-deliveries``.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import itertools
import json
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from piggy_agent_tools.sandbox.domain.webhooks import KIND, is_deliverable, public_payload, signing_secret, wants
from piggy_agent_tools.sandbox.store import Doc, Store, new_uuid, now_iso

logger = logging.getLogger(__name__)
MAX_RETRIES = 5  # webhooks.md "Delivery": up to 5 retries after the first attempt


@dataclass(order=True)
class _Job:
    """One delivery (an event for one subscription), scheduled for its next attempt."""

    due: float
    seq: int
    delivery_uuid: str = field(compare=False)
    subscription_uuid: str = field(compare=False)
    event_type: str = field(compare=False)
    body: bytes = field(compare=False)
    signature: str = field(compare=False)
    attempt: int = field(default=1, compare=False)


class DeliveryEngine:
    """Delivers webhook events in a worker thread; never blocks or fails the API call that caused them.

    ``base_delay`` (seconds) sets the retry schedule: base, 2*base, 4*base...; tests make it small.
    """

    def __init__(self, store: Store, *, base_delay: float = 1.0, timeout: float = 5.0, keep: int = 2000) -> None:
        self.store = store
        self.base_delay = base_delay
        self.timeout = timeout
        self._attempts: deque[dict[str, Any]] = deque(maxlen=keep)
        self._jobs: list[_Job] = []
        self._seq = itertools.count()
        self._busy = 0
        self._generation = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    # -- producing ---------------------------------------------------------------------------------------------

    def on_event(self, event_type: str, payload: Doc) -> None:
        """Store listener: schedule one delivery per ACTIVE subscription that wants this event.

        Never raises: a webhook problem must not fail the API call that caused the event.
        """
        try:
            self._schedule(event_type, payload)
        except Exception:  # the API call already succeeded; delivery is best effort
            logger.exception("could not schedule webhook deliveries for %s", event_type)

    def _schedule(self, event_type: str, payload: Doc) -> None:
        with self.store.tx() as tx:
            targets = [(d, signing_secret(tx, d)) for d in tx.find(KIND, event_type=event_type)]
        targets = [(d, secret) for d, secret in targets if wants(d, event_type, payload)]
        if not targets:
            return
        # Compact separators, like PHP's json_encode; the signature covers these exact bytes.
        body = json.dumps({"type": event_type, "data": public_payload(payload)}, separators=(",", ":")).encode()
        with self._cond:
            if self._stopping:
                return
            for doc, secret in targets:
                signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
                job = _Job(time.monotonic(), next(self._seq), new_uuid(), doc["uuid"], event_type, body, signature)
                heapq.heappush(self._jobs, job)
            self._ensure_worker()
            self._cond.notify_all()

    def _ensure_worker(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="piggy-sandbox-webhooks", daemon=True)
            self._thread.start()

    # -- the worker --------------------------------------------------------------------------------------------

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout, follow_redirects=False) as http:
            while True:
                with self._cond:
                    job = self._next_job()
                    if job is None:
                        return
                    self._busy += 1
                    generation = self._generation
                try:
                    self._attempt(http, job, generation)
                except Exception:  # a bug or a closed store must not kill the worker
                    logger.exception("webhook delivery %s failed unexpectedly", job.delivery_uuid)
                finally:
                    with self._cond:
                        self._busy -= 1
                        self._cond.notify_all()

    def _next_job(self) -> _Job | None:
        """Wait (holding the condition) for the earliest due job; None once stopping."""
        while not self._stopping:
            if not self._jobs:
                self._cond.wait()
                continue
            wait = self._jobs[0].due - time.monotonic()
            if wait <= 0:
                return heapq.heappop(self._jobs)
            self._cond.wait(wait)
        return None

    def _attempt(self, http: httpx.Client, job: _Job, generation: int) -> None:
        """POST once; record the attempt; reschedule on failure while retries remain and the subscription lives."""
        subscription = self._subscription(job.subscription_uuid)
        if subscription is None or not is_deliverable(subscription):
            return  # deleted or deactivated: delivery stops, pending retries included
        url = str(subscription["url"])
        status: int | None = None
        error: str | None = None
        try:
            response = http.post(
                url,
                content=job.body,
                headers={
                    "Content-Type": "application/json",
                    "Signature": job.signature,
                    "User-Agent": "piggy-agent-tools-sandbox-webhooks/1",
                },
            )
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        succeeded = status is not None and 200 <= status < 300
        will_retry = not succeeded and job.attempt <= MAX_RETRIES
        with self._cond:
            if generation != self._generation:
                return  # the sandbox was reset meanwhile
            self._attempts.append(
                {
                    "delivery_uuid": job.delivery_uuid,
                    "subscription_uuid": job.subscription_uuid,
                    "event_type": job.event_type,
                    "url": url,
                    "attempt": job.attempt,
                    "status_code": status,
                    "error": error,
                    "succeeded": succeeded,
                    "will_retry": will_retry,
                    "at": now_iso(),
                }
            )
            if will_retry and not self._stopping:
                job.due = time.monotonic() + self.base_delay * 2 ** (job.attempt - 1)
                job.attempt += 1
                heapq.heappush(self._jobs, job)

    def _subscription(self, subscription_uuid: str) -> Doc | None:
        with self.store.tx() as tx:
            return tx.get(KIND, subscription_uuid)

    # -- control -----------------------------------------------------------------------------------------------

    def attempts(self, *, subscription_uuid: str | None = None, event_type: str | None = None) -> list[Doc]:
        """Every recorded attempt, oldest first, optionally for one subscription or event type."""
        with self._cond:
            rows = list(self._attempts)
        return [
            r
            for r in rows
            if (subscription_uuid is None or r["subscription_uuid"] == subscription_uuid)
            and (event_type is None or r["event_type"] == event_type)
        ]

    @property
    def running(self) -> bool:
        """True while the worker thread is alive (it starts with the first delivery)."""
        return self._thread is not None and self._thread.is_alive()

    def pending(self) -> int:
        """Deliveries scheduled or in flight."""
        with self._cond:
            return len(self._jobs) + self._busy

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is scheduled or in flight (retries included); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._jobs or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
            return True

    def clear(self) -> None:
        """Drop pending deliveries and recorded attempts (sandbox reset)."""
        with self._cond:
            self._jobs.clear()
            self._attempts.clear()
            self._generation += 1
            self._cond.notify_all()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker: pending deliveries are dropped, an attempt in flight finishes."""
        with self._cond:
            self._stopping = True
            self._jobs.clear()
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)


def install_webhook_delivery(admin: APIRouter, app: FastAPI) -> None:
    """Admin extension: attach a delivery engine to the app's store and add ``/_sandbox/webhook-deliveries``.

    The engine is ``app.state.webhooks`` (``base_delay``, ``wait_idle()``, ``attempts()``); a sandbox reset
    clears it and ``app.state.stop_hooks`` stops its worker.
    """
    engine = DeliveryEngine(app.state.store)
    # Only event types some subscription names are built and scheduled (a bulk import emits thousands of events).
    app.state.store.add_listener(engine.on_event, lambda tx, event_type: bool(tx.find(KIND, event_type=event_type)))
    app.state.webhooks = engine
    app.state.reset_hooks.append(engine.clear)
    app.state.stop_hooks.append(engine.stop)

    @admin.get("/webhook-deliveries")
    def webhook_deliveries(
        subscription_uuid: str | None = None, event_type: str | None = None, wait: float = 0.0
    ) -> JSONResponse:
        """Every delivery attempt: subscription, event type, url, attempt number, status code or error, time.

        ``wait`` (seconds, at most 30) first waits for pending deliveries and retries to finish.
        """
        idle = engine.wait_idle(min(max(wait, 0.0), 30.0)) if wait > 0 else engine.pending() == 0
        rows = engine.attempts(subscription_uuid=subscription_uuid, event_type=event_type)
        return JSONResponse({"data": rows, "meta": {"pending": engine.pending(), "idle": idle}})
