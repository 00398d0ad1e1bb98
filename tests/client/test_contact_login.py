"""Contract tests for contact verification codes, contact session tokens and the Contacts Portal URL
(sync and async clients against the running sandbox; codes are read from the store, as no email is sent).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import AuthenticationError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids


def _latest_code(sandbox: Sandbox, email: str) -> str:
    with sandbox.store.tx() as tx:
        return str(tx.find("contact_verification_code", email=email)[-1]["code"])


def test_send_then_verify_returns_the_contact(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    ref = client.contacts.create(new_email)
    sent = client.contact_verification.send(new_email)
    code = _latest_code(sandbox, new_email)
    assert sent.type == "success" and new_email in (sent.message or "")
    assert code not in sent.model_dump_json()
    assert client.contact_verification.verify(email=new_email, code=code).uuid == ref.uuid


async def test_async_client_verify_with_a_wrong_code_is_13010(
    aclient: AsyncPiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    await aclient.contacts.create(new_email)
    await aclient.contact_verification.send(new_email)
    wrong = "000000" if _latest_code(sandbox, new_email) != "000000" else "111111"
    with pytest.raises(NotFoundError) as caught:
        await aclient.contact_verification.verify(email=new_email, code=wrong)
    assert caught.value.code == 13010


def test_send_to_an_unknown_email_is_55031(client: PiggyClient, new_email: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.contact_verification.send(new_email)
    assert caught.value.code == 55031


def test_auth_token_is_an_active_session_token_until_used(client: PiggyClient) -> None:
    token = client.contact_verification.get_auth_token(ids.TOM).auth_token
    session = client.contact_session_tokens.get(token)
    assert session.status == "active" and session.contact and session.contact.uuid == ids.TOM
    used = client.contact_session_tokens.use(token)
    assert used.status == "used"
    assert client.contact_session_tokens.get(token).status == "used"


async def test_async_client_auth_token_and_session_tokens(aclient: AsyncPiggyClient) -> None:
    token = (await aclient.contact_verification.get_auth_token(ids.JANE)).auth_token
    session = await aclient.contact_session_tokens.get(token)
    assert session.contact and session.contact.email == "jane.doe@example.com"
    assert (await aclient.contact_session_tokens.use(token)).status == "used"
    with pytest.raises(AuthenticationError) as caught:
        await aclient.contact_session_tokens.use(token)
    assert caught.value.code == 3000


def test_portal_auth_url_carries_a_session_token_for_the_contact(client: PiggyClient) -> None:
    url = client.contacts_portal.get_auth_url(ids.JANE).url
    token = parse_qs(urlparse(url).query)["token"][0]
    assert url.startswith("https://")
    session = client.contact_session_tokens.get(token)
    assert session.contact and session.contact.uuid == ids.JANE and session.status == "active"


async def test_async_client_portal_auth_url_for_unknown_contact_is_55031(aclient: AsyncPiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await aclient.contacts_portal.get_auth_url("3c0d2e1f-0000-4000-8000-000000000000")
    assert caught.value.code == 55031


def test_unknown_session_token_is_not_found(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError):
        client.contact_session_tokens.get("not-a-real-token")
