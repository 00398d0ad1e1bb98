"""Toolkit fixtures: a staff toolkit and helpers to build scoped or filtered ones on the shared sandbox."""

from __future__ import annotations

import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.toolkit import PiggyToolkit


@pytest.fixture
def toolkit(client: PiggyClient) -> PiggyToolkit:
    return PiggyToolkit(client=client)


@pytest.fixture
def make_toolkit(sandbox: Sandbox, client: PiggyClient):  # type: ignore[no-untyped-def]
    def make(**kwargs: object) -> PiggyToolkit:
        return PiggyToolkit(client=client, **kwargs)  # type: ignore[arg-type]

    return make
