"""Forms, the brand kit and referrals through the real client (sync and async) against the sandbox.

Referral completion is driven through the sandbox's domain rules, as contacts and credit receptions would.
"""

from __future__ import annotations

from typing import Any

import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.models.engagement import Referral
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.domain import referrals
from piggy_agent_tools.sandbox.domain.contacts import new_contact
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.errors import SandboxError
from piggy_agent_tools.sandbox.seed import engagement, ids


def test_forms_list_all_and_filter_by_status_and_type(client: PiggyClient) -> None:
    everything = {f.uuid: f for f in client.forms.list()}
    assert {engagement.FORM_SURVEY, engagement.FORM_CATERING} <= set(everything)
    survey = everything[engagement.FORM_SURVEY]
    assert survey.url is not None and survey.url.endswith(f"/forms/{engagement.FORM_SURVEY}")
    assert [f.uuid for f in client.forms.list(status="PUBLISHED")] == [engagement.FORM_SURVEY]
    assert [f.uuid for f in client.forms.list(type="PRIVATE", status="DRAFT")] == [engagement.FORM_CATERING]
    assert client.forms.list(status="BIN") == []


async def test_async_forms_list(aclient: AsyncPiggyClient) -> None:
    assert [f.name for f in await aclient.forms.list(type="PUBLIC")] == ["Customer survey"]


def test_forms_refuse_an_unknown_status_with_1003(sandbox: Sandbox) -> None:
    with sandbox.http() as http:
        answer = http.get("/api/v3/oauth/clients/forms", params={"status": "ACTIVE"})
    assert answer.status_code == 400 and answer.json()["code"] == 1003 and "status" in answer.json()["errors"]


def test_brand_kit_uses_the_recorded_quarternary_spelling(client: PiggyClient, sandbox: Sandbox) -> None:
    kit = client.brand_kit.get()
    assert kit.primary_color == "#6f4e37" and kit.font_family == "DM Sans"
    assert kit.quaternary_color == kit.quarternary_color == "#c8a27a"
    with sandbox.http() as http:
        body = http.get("/api/v3/oauth/clients/brand-kit").json()
    assert "quarternary_color" in body["data"] and "quaternary_color" not in body["data"] and body["meta"] == []


async def test_async_brand_kit(aclient: AsyncPiggyClient) -> None:
    assert (await aclient.brand_kit.get()).large_logo_url


def test_referrals_list_the_seeded_completed_ones_and_filter(client: PiggyClient) -> None:
    seeded = {r.uuid: r for r in client.referrals.list()}
    jane_tom = seeded[engagement.REFERRAL_JANE_TOM]
    assert jane_tom.status == "completed"
    assert jane_tom.referring_contact is not None and jane_tom.referring_contact.email == "jane.doe@example.com"
    assert jane_tom.referred_contact is not None and jane_tom.referred_contact.uuid == ids.TOM
    mine = client.referrals.list(referring_contact_uuid=ids.JANE, status="completed")
    assert engagement.REFERRAL_JANE_TOM in {r.uuid for r in mine}
    assert all(r.referring_contact and r.referring_contact.uuid == ids.JANE for r in mine)
    assert engagement.REFERRAL_JANE_TOM not in {r.uuid for r in client.referrals.list(status="pending")}
    assert len(client.referrals.list(limit=1)) == 1
    assert client.referrals.list(limit=1, page=2)[0].uuid == engagement.REFERRAL_SOFIA_LIAM


async def test_async_referrals_and_settings(aclient: AsyncPiggyClient) -> None:
    assert engagement.REFERRAL_SOFIA_LIAM in {r.uuid for r in await aclient.referrals.list()}
    settings = await aclient.referrals.get_settings()
    assert settings.limit_per_contact == 10
    assert settings.completion_event == {"type": "loyalty_transaction", "data": {"number_of_transactions": 2}}


def test_settings_name_both_incentives(client: PiggyClient) -> None:
    settings = client.referrals.get_settings()
    assert settings.referred_contact_incentive is not None
    assert settings.referred_contact_incentive["data"]["points"] == engagement.REFERRED_POINTS
    assert settings.referring_contact_incentive is not None
    assert settings.referring_contact_incentive["type"] == "loyalty_points"


def _referred(items: list[Referral]) -> list[str]:
    return [r.referred_contact.uuid for r in items if r.referred_contact]


def _signup(sandbox: Sandbox, email: str, code: str) -> str:
    with sandbox.store.tx("referrals.start") as tx:
        contact = new_contact(tx, email)
        referrals.start_referral(tx, contact, code)
        return str(contact["uuid"])


def _purchase(sandbox: Sandbox, contact_uuid: str) -> None:
    """A credit reception followed by the completion check, as the credit-receptions area would run it."""
    with sandbox.store.tx("credit_receptions.create") as tx:
        contact = tx.get("contact", contact_uuid)
        shop, unit = tx.get("shop", ids.SHOP_WEB), tx.get("unit", ids.UNIT_PURCHASE)
        assert contact and shop and unit
        create_credit_reception(tx, contact, shop, unit, credits=5)
        referrals.check_completion(tx, contact)


def test_a_referral_completes_at_the_second_transaction_and_pays_both_sides_once(fresh_sandbox: Sandbox) -> None:
    events: list[tuple[str, Any]] = []
    fresh_sandbox.store.add_listener(lambda kind, payload: events.append((kind, payload)))
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as client:
        jane_before = client.contacts.get_credit_balance(ids.JANE).balance
        friend = _signup(fresh_sandbox, "friend.of.jane@example.com", ids.JANE[:8].lower())
        pending = client.referrals.list(referring_contact_uuid=ids.JANE, status="pending")
        assert _referred(pending) == [friend]
        _purchase(fresh_sandbox, friend)
        assert friend in _referred(client.referrals.list(status="pending"))
        _purchase(fresh_sandbox, friend)
        _purchase(fresh_sandbox, friend)
        assert _referred(client.referrals.list(status="completed")).count(friend) == 1
        assert client.contacts.get_credit_balance(friend).balance == 15 + engagement.REFERRED_POINTS
        assert client.contacts.get_credit_balance(ids.JANE).balance == jane_before + engagement.REFERRING_POINTS
    completed = [p["referral"] for kind, p in events if kind == "referral_completed"]
    assert [r["referred_contact"]["uuid"] for r in completed] == [friend]


def test_a_referrer_over_the_limit_gets_a_failed_referral_and_no_incentive(fresh_sandbox: Sandbox) -> None:
    with fresh_sandbox.store.tx() as tx:
        settings = tx.get(referrals.SETTINGS_KIND, referrals.SETTINGS_UUID)
        assert settings
        tx.put(referrals.SETTINGS_KIND, {**settings, "limit_per_contact": 1})  # Jane already has one completed
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as client:
        jane_before = client.contacts.get_credit_balance(ids.JANE).balance
        friend = _signup(fresh_sandbox, "late.friend@example.com", ids.JANE[:8])
        _purchase(fresh_sandbox, friend)
        _purchase(fresh_sandbox, friend)
        failed = client.referrals.list(status="failed")
        assert _referred(failed) == [friend]
        assert client.contacts.get_credit_balance(ids.JANE).balance == jane_before
        assert client.contacts.get_credit_balance(friend).balance == 10


def test_an_unknown_or_own_referral_code_is_refused(fresh_sandbox: Sandbox) -> None:
    with pytest.raises(SandboxError) as caught:
        _signup(fresh_sandbox, "nobody.knows@example.com", "NOPE1234")
    assert caught.value.code == 1003 and "referral_code" in (caught.value.errors or {})
    with fresh_sandbox.store.tx() as tx:
        assert tx.find_one("contact", email="nobody.knows@example.com") is None
        jane = tx.get("contact", ids.JANE)
        assert jane
        with pytest.raises(SandboxError):
            referrals.start_referral(tx, jane, referrals.referral_code_for(jane))
