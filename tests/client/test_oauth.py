"""OAuth client credentials against the sandbox's real /oauth/token: one token fetch, cached, refreshed exactly
once when the server forgets it (401), and a bad secret raises AuthenticationError.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.errors import AuthenticationError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from tests.client._faults import AsyncFaultTransport, FaultTransport


def _token_calls(transport: FaultTransport | AsyncFaultTransport) -> int:
    return sum(1 for r in transport.seen if r.url.path == "/oauth/token")


@pytest.fixture
def oauth(sandbox: Sandbox) -> Iterator[tuple[PiggyClient, FaultTransport]]:
    """An OAuth client whose transport only forwards (it counts the requests; no fault is injected)."""
    transport = FaultTransport([])
    client = PiggyClient(
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        base_url=sandbox.base_url,
        http_client=httpx.Client(transport=transport),
    )
    yield client, transport
    client.close()


def test_the_token_is_fetched_once_and_reused(oauth: tuple[PiggyClient, FaultTransport], sandbox: Sandbox) -> None:
    client, transport = oauth
    for _ in range(3):
        assert client.contacts.get(ids.JANE).uuid == ids.JANE
    assert _token_calls(transport) == 1
    token = client._credentials.access_token
    assert token is not None and token.get_secret_value() in sandbox.app.state.tokens
    api_calls = [r for r in transport.seen if r.url.path != "/oauth/token"]
    assert {r.headers["Authorization"] for r in api_calls} == {f"Bearer {token.get_secret_value()}"}


def test_a_forgotten_token_is_refreshed_exactly_once(
    oauth: tuple[PiggyClient, FaultTransport], sandbox: Sandbox
) -> None:
    client, transport = oauth
    client.contacts.get(ids.JANE)
    old = client._credentials.access_token
    sandbox.app.state.tokens.clear()  # the server forgets every issued token: the next call answers 401
    assert client.contacts.get(ids.JANE).uuid == ids.JANE
    new = client._credentials.access_token
    assert _token_calls(transport) == 2
    assert old is not None and new is not None and new.get_secret_value() != old.get_secret_value()
    client.contacts.get(ids.JANE)
    assert _token_calls(transport) == 2


def test_a_401_after_refreshing_raises_instead_of_looping(
    oauth: tuple[PiggyClient, FaultTransport], sandbox: Sandbox
) -> None:
    """The server refuses even the fresh token (injected: it is forgotten as soon as it is issued)."""
    client, transport = oauth
    original = sandbox.app.state.tokens
    sandbox.app.state.tokens = _ForgetfulSet()
    try:
        with pytest.raises(AuthenticationError):
            client.contacts.get(ids.JANE)
    finally:
        sandbox.app.state.tokens = original
    assert _token_calls(transport) == 2


class _ForgetfulSet(set[str]):
    """A token store that never keeps a token: every bearer answers 401."""

    def add(self, _token: str) -> None:
        return None


def test_a_bad_client_secret_raises_authentication_error(sandbox: Sandbox) -> None:
    with PiggyClient(client_id=sandbox.client_id, client_secret="wrong", base_url=sandbox.base_url) as client:
        with pytest.raises(AuthenticationError, match="refused the OAuth client credentials"):
            client.contacts.get(ids.JANE)


def test_a_bad_client_id_raises_authentication_error(sandbox: Sandbox) -> None:
    with PiggyClient(client_id="999", client_secret=sandbox.client_secret, base_url=sandbox.base_url) as client:
        with pytest.raises(AuthenticationError):
            client.contacts.get(ids.JANE)


async def test_async_token_is_fetched_once_and_refreshed_once_on_401(sandbox: Sandbox) -> None:
    transport = AsyncFaultTransport([])
    async with AsyncPiggyClient(
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        base_url=sandbox.base_url,
        http_client=httpx.AsyncClient(transport=transport),
    ) as client:
        for _ in range(3):
            assert (await client.contacts.get(ids.JANE)).uuid == ids.JANE
        assert _token_calls(transport) == 1
        sandbox.app.state.tokens.clear()
        assert (await client.contacts.get(ids.JANE)).uuid == ids.JANE
        assert _token_calls(transport) == 2


async def test_async_concurrent_first_calls_fetch_one_token(sandbox: Sandbox) -> None:
    transport = AsyncFaultTransport([])
    async with AsyncPiggyClient(
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        base_url=sandbox.base_url,
        http_client=httpx.AsyncClient(transport=transport),
    ) as client:
        results = await asyncio.gather(*(client.contacts.get(ids.JANE) for _ in range(5)))
        assert {r.uuid for r in results} == {ids.JANE}
        assert _token_calls(transport) == 1


async def test_async_bad_client_secret_raises_authentication_error(sandbox: Sandbox) -> None:
    async with AsyncPiggyClient(client_id=sandbox.client_id, client_secret="wrong", base_url=sandbox.base_url) as c:
        with pytest.raises(AuthenticationError):
            await c.contacts.get(ids.JANE)
