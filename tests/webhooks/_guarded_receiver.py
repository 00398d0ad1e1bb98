"""A webhook receiver in its own process (so its memory can be measured): ``python _guarded_receiver.py PORT DB``.

Routes: ``/plain`` (``webhook_router`` with the default 1 MiB cap, no replay guard), ``/guarded`` (in-memory replay
guard), ``/guarded-sqlite`` (SQLite replay guard in DB), ``/flaky-guarded`` (in-memory guard, a handler that fails
once); ``GET /calls`` counts handler runs per route.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from piggy_agent_tools.webhooks import InMemoryReplayGuard, SQLiteReplayGuard, WebhookEvent, webhook_router

SECRET = "whsec-guarded-receiver"


def build(db: str) -> FastAPI:
    app = FastAPI()
    calls: Counter[str] = Counter()
    failures = {"left": 1}

    def counter(route: str) -> Callable[[WebhookEvent], None]:
        def handle(event: WebhookEvent) -> None:
            calls[route] += 1

        return handle

    def flaky(event: WebhookEvent) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("first attempt fails")
        calls["/flaky-guarded"] += 1

    app.include_router(webhook_router(SECRET, {}, path="/plain", default=counter("/plain")))
    app.include_router(
        webhook_router(
            SECRET,
            {},
            path="/guarded",
            default=counter("/guarded"),
            replay_guard=InMemoryReplayGuard(ttl=3600),
        )
    )
    app.include_router(
        webhook_router(
            SECRET,
            {},
            path="/guarded-sqlite",
            default=counter("/guarded-sqlite"),
            replay_guard=SQLiteReplayGuard(db, ttl=3600),
        )
    )
    app.include_router(
        webhook_router(SECRET, {}, path="/flaky-guarded", default=flaky, replay_guard=InMemoryReplayGuard(ttl=3600))
    )

    @app.get("/calls")
    def get_calls() -> dict[str, int]:
        return dict(calls)

    return app


if __name__ == "__main__":
    # The flaky route fails on purpose; keep its traceback out of the test output.
    logging.getLogger("piggy_agent_tools.webhooks.router").setLevel(logging.CRITICAL)
    uvicorn.run(build(sys.argv[2]), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
