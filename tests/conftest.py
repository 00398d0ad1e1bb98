"""Shared fixtures: a real sandbox over HTTP on 127.0.0.1, and real clients pointed at it.

``sandbox`` is shared by the whole session (demo seed): tests that change state create their own contacts or
objects, so they never depend on order. ``fresh_sandbox`` starts a private one for tests that need a known state.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.sandbox import Sandbox


def configured_api_key() -> str | None:
    """``PIGGY_TEST_API_KEY`` when set (scripts/secret_scan.py sets a canary and greps every output for it); else
    None, and each sandbox makes up a random key."""
    return os.environ.get("PIGGY_TEST_API_KEY") or None


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(seed="demo", rate_limit=1_000_000, api_key=configured_api_key()) as sb:
        yield sb


@pytest.fixture
def fresh_sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(seed="demo", rate_limit=1_000_000, api_key=configured_api_key()) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[PiggyClient]:
    with PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as c:
        yield c


@pytest.fixture
async def aclient(sandbox: Sandbox) -> AsyncIterator[AsyncPiggyClient]:
    async with AsyncPiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as c:
        yield c


@pytest.fixture
def new_email() -> str:
    """A unique address for a contact this test creates."""
    return f"test-{uuid.uuid4().hex[:12]}@example.com"
