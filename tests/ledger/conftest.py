"""Ledger fixtures: one ledger per backend (memory, SQLite file, the test PostgreSQL), each test on fresh threads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from piggy_agent_tools.ledger import Ledger, open_ledger
from tests.graph.conftest import postgres_url

__all__ = ["postgres_url"]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "memory":
        return "memory:"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    with open_ledger(ledger_url, wait_for_owner=2.0) as opened:
        yield opened
