"""``Sandbox``: a real uvicorn server on an ephemeral 127.0.0.1 port, in a thread, for in-process use.

with Sandbox.start(seed="demo") as sb:
    client = PiggyClient(api_key=sb.api_key, base_url=sb.base_url)
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from types import TracebackType
from typing import Any

import httpx
import uvicorn

from piggy_agent_tools.sandbox.app import create_app
from piggy_agent_tools.sandbox.seed import apply_seed
from piggy_agent_tools.sandbox.store import Store


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class Sandbox:
    """A running sandbox: ``base_url``, ``api_key``, ``reset()``, ``audit()``, ``stop()``."""

    def __init__(
        self,
        *,
        seed: str = "demo",
        db: str = ":memory:",
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        rate_limit: int = 5000,
    ) -> None:
        self.seed = seed
        self.host = host
        self.port = port or free_port(host)
        self.api_key = api_key or "sandbox_" + secrets.token_hex(16)
        self.store = Store(db)
        if not self.store.audit_rows() and not _has_docs(self.store):
            apply_seed(self.store, seed)
        self.app = create_app(self.store, self.api_key, rate_limit=rate_limit)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def client_id(self) -> str:
        return str(self.app.state.client_id)

    @property
    def client_secret(self) -> str:
        return str(self.app.state.client_secret)

    @classmethod
    def start(cls, **kwargs: Any) -> Sandbox:
        """Create and start a sandbox; returns once it answers HTTP.

        Takes the constructor's options: ``seed``, ``db``, ``host``, ``port``, ``api_key`` and ``rate_limit``
        (requests a minute per key before 429; Piggy's 5,000 by default, raise it for load tests).
        """
        sandbox = cls(**kwargs)
        sandbox.run_in_thread()
        return sandbox

    def run_in_thread(self) -> None:
        config = uvicorn.Config(
            self.app,
            host=self.host,
            port=self.port,
            log_level="warning",
            # In-process: leave the host's logging alone (uvicorn's default config runs dictConfig, which closes
            # every handler the host has, so a log file opened with mode "w" silently stops receiving records).
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_keep_alive=30,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="piggy-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._server.started:
                return
            time.sleep(0.01)
        raise RuntimeError("the sandbox did not start within 15 seconds")

    def reset(self, seed: str | None = None) -> None:
        """Wipe everything and apply the seed again (same fixed ids)."""
        self.store.wipe()
        for hook in self.app.state.reset_hooks:
            hook()
        apply_seed(self.store, seed or self.seed)

    def audit(self, operation: str | None = None) -> list[dict[str, Any]]:
        """The audit rows (every write the sandbox performed), optionally for one operation."""
        return self.store.audit_rows(operation)

    def http(self) -> httpx.Client:
        """A plain httpx client with the sandbox key, for admin routes and raw checks."""
        return httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {self.api_key}"})

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        for hook in self.app.state.stop_hooks:
            hook()
        self.store.close()

    def __enter__(self) -> Sandbox:
        if self._thread is None:
            self.run_in_thread()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Sandbox(base_url={self.base_url!r}, seed={self.seed!r})"


def _has_docs(store: Store) -> bool:
    with store.tx() as tx:
        return tx.get("account", "account") is not None
