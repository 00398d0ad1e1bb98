"""Portal sessions through the real client (sync and async): every create path (201), get, and the customer's
part in the hosted page (played by the sandbox's domain rule) moving credits, gift-card and prepaid value.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.domain.portal_sessions import complete_session, require_session
from piggy_agent_tools.sandbox.errors import SandboxError
from piggy_agent_tools.sandbox.portal_admin import install_portal_admin
from piggy_agent_tools.sandbox.seed import giftcards as seeded_cards
from piggy_agent_tools.sandbox.seed import ids

CREATES = [
    "create",
    "create_credit_reception",
    "create_top_up_giftcards",
    "create_vouchers",
    "create_pay_prepaid",
    "create_top_up_prepaid",
    "create_prepaid",
]


@pytest.fixture
def own(fresh_sandbox: Sandbox) -> Iterator[PiggyClient]:
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as c:
        yield c


def _complete(sandbox: Sandbox, session_uuid: str, **kwargs: Any) -> dict[str, Any]:
    """The customer finishing the hosted page (not an API call)."""
    with sandbox.store.tx("portal_sessions.complete", {"portal_session_uuid": session_uuid}) as tx:
        return complete_session(tx, require_session(tx, session_uuid), **kwargs)


@pytest.mark.parametrize("method", CREATES)
def test_every_create_path_returns_an_open_session_for_the_shop(client: PiggyClient, method: str) -> None:
    session = getattr(client.portal_sessions, method)(shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=ids.JANE)
    assert session.url == f"https://api.piggy.eu/portal-sessions?uuid={session.uuid}"
    assert session.contact is not None and session.contact.uuid == ids.JANE
    assert session.shop is not None and session.shop.name == "Bean There Amsterdam" and session.events == []


@pytest.mark.parametrize("method", CREATES)
async def test_async_every_create_path(aclient: AsyncPiggyClient, method: str) -> None:
    session = await getattr(aclient.portal_sessions, method)(shop_uuid=ids.SHOP_WEB, scanner_type="hand_scanner")
    assert session.contact is None and session.shop is not None and session.shop.uuid == ids.SHOP_WEB


def test_redeem_giftcards_requires_the_purchase_amount(client: PiggyClient, sandbox: Sandbox) -> None:
    session = client.portal_sessions.create_redeem_giftcards(shop_uuid=ids.SHOP_WEB, amount_in_cents=2500)
    assert session.shop is not None and session.shop.uuid == ids.SHOP_WEB
    with sandbox.http() as http:
        answer = http.post("/api/v3/oauth/clients/portal-sessions/redeem-giftcards", data={"shop_uuid": ids.SHOP_WEB})
    assert answer.status_code == 400 and "amount_in_cents" in answer.json()["errors"]


async def test_async_redeem_giftcards_and_get(aclient: AsyncPiggyClient) -> None:
    session = await aclient.portal_sessions.create_redeem_giftcards(
        shop_uuid=ids.SHOP_WEB, amount_in_cents=1000, allow_multiple_giftcards=False
    )
    got = await aclient.portal_sessions.get(session.uuid)
    assert (got.uuid, got.url, got.shop) == (session.uuid, session.url, session.shop)


def test_create_answers_201_accepts_business_profile_uuid_and_get_omits_events(
    client: PiggyClient, sandbox: Sandbox
) -> None:
    with sandbox.http() as http:
        created = http.post(
            "/api/v3/oauth/clients/portal-sessions",
            data={"business_profile_uuid": ids.SHOP_AMSTERDAM, "contact_uuid": ids.TOM, "enable_registration": "1"},
        )
        assert created.status_code == 201 and created.json()["data"]["events"] == []
        uuid = created.json()["data"]["uuid"]
        got = http.get(f"/api/v3/oauth/clients/portal-sessions/{uuid}").json()
    assert set(got["data"]) == {"uuid", "url", "contact", "shop", "created_at"} and got["meta"] == []
    assert client.portal_sessions.get(uuid).contact is not None
    assert any(row["args"].get("contact_uuid") == ids.TOM for row in sandbox.audit("portal_sessions.create_generic"))


def test_unknown_shop_contact_and_session_are_refused(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as shop:
        client.portal_sessions.create_credit_reception(shop_uuid=ids.fixed("shop", "nowhere"))
    assert shop.value.code == 1008
    with pytest.raises(NotFoundError) as contact:
        client.portal_sessions.create(shop_uuid=ids.SHOP_WEB, contact_uuid=ids.fixed("contact", "nobody"))
    assert contact.value.code == 55031
    with pytest.raises(InvalidRequestError) as session:
        client.portal_sessions.get(ids.fixed("portal_session", "nope"))
    assert session.value.code == 1003 and "portal_session_uuid" in session.value.errors


def test_a_credit_reception_session_earns_credits_once(own: PiggyClient, fresh_sandbox: Sandbox) -> None:
    before = own.contacts.get_credit_balance(ids.TOM).balance
    session = own.portal_sessions.create_credit_reception(shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=ids.TOM)
    done = _complete(fresh_sandbox, session.uuid, unit_value=20)
    assert own.contacts.get_credit_balance(ids.TOM).balance == before + 20
    assert done["events"][0]["type"] == "credit_reception"
    with pytest.raises(SandboxError) as again:
        _complete(fresh_sandbox, session.uuid, unit_value=20)
    assert again.value.code == 1003
    assert own.contacts.get_credit_balance(ids.TOM).balance == before + 20


def test_an_expired_session_moves_nothing(own: PiggyClient, fresh_sandbox: Sandbox) -> None:
    before = own.contacts.get_credit_balance(ids.TOM).balance
    session = own.portal_sessions.create_credit_reception(shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=ids.TOM)
    with fresh_sandbox.store.tx() as tx:
        doc = require_session(tx, session.uuid)
        doc["expires_at"] = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
        tx.put("portal_session", doc)
    with pytest.raises(SandboxError) as caught:
        _complete(fresh_sandbox, session.uuid, unit_value=20)
    assert caught.value.code == 1003 and "expired" in str(caught.value.errors)
    assert own.contacts.get_credit_balance(ids.TOM).balance == before


def test_redeeming_gift_cards_splits_the_amount_only_when_allowed(own: PiggyClient, fresh_sandbox: Sandbox) -> None:
    single = own.portal_sessions.create_redeem_giftcards(
        shop_uuid=ids.SHOP_WEB, amount_in_cents=5000, allow_multiple_giftcards=False
    )
    with pytest.raises(SandboxError):
        _complete(fresh_sandbox, single.uuid, giftcard_uuids=[seeded_cards.SPENT, seeded_cards.CORPORATE])
    with pytest.raises(SandboxError) as short:
        _complete(fresh_sandbox, single.uuid, giftcard_uuids=[seeded_cards.SPENT])
    assert short.value.code == 5003
    assert own.giftcards.get(seeded_cards.SPENT).amount_in_cents == 3750
    split = own.portal_sessions.create_redeem_giftcards(shop_uuid=ids.SHOP_WEB, amount_in_cents=5000)
    _complete(fresh_sandbox, split.uuid, giftcard_uuids=[seeded_cards.SPENT, seeded_cards.CORPORATE])
    assert own.giftcards.get(seeded_cards.SPENT).amount_in_cents == 0
    assert own.giftcards.get(seeded_cards.CORPORATE).amount_in_cents == 20000 - 1250


def test_topping_up_a_gift_card_follows_the_gift_card_rules(own: PiggyClient, fresh_sandbox: Sandbox) -> None:
    session = own.portal_sessions.create_top_up_giftcards(shop_uuid=ids.SHOP_WEB)
    with pytest.raises(SandboxError) as caught:
        _complete(fresh_sandbox, session.uuid, giftcard_uuids=[seeded_cards.FUNDED], amount_in_cents=500)
    assert caught.value.code == 5006  # a funded digital card cannot be topped up again
    _complete(fresh_sandbox, session.uuid, giftcard_uuids=[seeded_cards.NEW], amount_in_cents=1500)
    assert own.giftcards.get(seeded_cards.NEW).amount_in_cents == 1500


@pytest.mark.parametrize(
    ("method", "amount", "change"),
    [("create_top_up_prepaid", 1000, 1000), ("create_pay_prepaid", 500, -500), ("create_prepaid", -300, -300)],
)
def test_prepaid_sessions_move_the_prepaid_balance(
    own: PiggyClient, fresh_sandbox: Sandbox, method: str, amount: int, change: int
) -> None:
    sofia = ids.fixed("contact", "sofia")
    before = own.contacts.get_prepaid_balance(sofia).balance_in_cents
    session = getattr(own.portal_sessions, method)(shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=sofia)
    _complete(fresh_sandbox, session.uuid, amount_in_cents=amount)
    assert own.contacts.get_prepaid_balance(sofia).balance_in_cents == before + change


def test_paying_more_prepaid_than_the_balance_is_refused(own: PiggyClient, fresh_sandbox: Sandbox) -> None:
    session = own.portal_sessions.create_pay_prepaid(shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=ids.TOM)
    before = own.contacts.get_prepaid_balance(ids.TOM).balance_in_cents
    with pytest.raises(SandboxError) as caught:
        _complete(fresh_sandbox, session.uuid, amount_in_cents=before + 1)
    assert caught.value.code == 1017
    assert own.contacts.get_prepaid_balance(ids.TOM).balance_in_cents == before


def test_the_admin_completion_route_moves_value_and_reports_the_event(fresh_sandbox: Sandbox) -> None:
    # The route is mounted on a small app over the same store here, until app.py registers the extension.
    app, admin = FastAPI(), APIRouter(prefix="/_sandbox")
    app.state.store = fresh_sandbox.store
    install_portal_admin(admin, app)
    app.include_router(admin)
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as own:
        session = own.portal_sessions.create(shop_uuid=ids.SHOP_AMSTERDAM, contact_uuid=ids.TOM)
        before = own.contacts.get_credit_balance(ids.TOM).balance
        answer = TestClient(app).post(
            f"/_sandbox/portal-sessions/{session.uuid}/complete", data={"action": "credit_reception", "unit_value": "8"}
        )
        assert answer.status_code == 200 and answer.json()["data"]["events"][0]["type"] == "credit_reception"
        assert own.contacts.get_credit_balance(ids.TOM).balance == before + 8
    assert [row["args"]["action"] for row in fresh_sandbox.audit("portal_sessions.complete")] == ["credit_reception"]
