"""Loyalty tokens: the offline URL recipe (checked against the GUIDE's worked example), and create and claim
through the real client (sync and async) with one claim per token, a checked hash and a lifetime.
"""

from __future__ import annotations

import time
import uuid

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InvalidRequestError
from piggy_agent_tools.loyalty_tokens import build_loyalty_token_url, parse_loyalty_token_url, token_hash
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids

SECRET = "sandbox-account-secret"  # the demo account's secret (seed/core.py)
PORTAL = "https://bean-there.piggy.eu"


def _unique() -> str:
    return f"order-{uuid.uuid4().hex[:10]}"


def test_the_offline_recipe_reproduces_the_guides_worked_example() -> None:
    url = build_loyalty_token_url(
        "https://acme.com",
        "very_secret",
        shop_uuid="abcde-1235-hijkl-1i2k3",
        unique_id="my_unique_id",
        timestamp=1646314054,
        unit_name="purchase_amount",
        unit_value=10,
    )
    assert url == (
        "https://acme.com/l?version=v3&shop_uuid=abcde-1235-hijkl-1i2k3&unique_id=my_unique_id"
        "&timestamp=1646314054&unit_name=purchase_amount&unit_value=10&hash=60585d543ff8bbd07ad9798b44241981b4e2d423"
    )
    assert parse_loyalty_token_url(url)["hash"] == "60585d543ff8bbd07ad9798b44241981b4e2d423"


def test_the_offline_recipe_signs_credits_tokens_and_needs_exactly_one_value_set() -> None:
    url = build_loyalty_token_url(PORTAL, SECRET, shop_uuid="s", unique_id="u", timestamp=1, credits=25)
    pairs = [("version", "v3"), ("shop_uuid", "s"), ("unique_id", "u"), ("timestamp", "1"), ("credits", "25")]
    assert url.endswith(f"&credits=25&hash={token_hash(pairs, SECRET)}")
    with pytest.raises(ValueError):
        build_loyalty_token_url(PORTAL, SECRET, shop_uuid="s", unique_id="u", credits=5, unit_name="x", unit_value=1)


def test_create_returns_a_url_signed_with_the_account_secret(client: PiggyClient, sandbox: Sandbox) -> None:
    unique = _unique()
    url = client.loyalty_tokens.create(
        shop_uuid=ids.SHOP_AMSTERDAM, unique_id=unique, unit_name="purchase_amount", unit_value=12.5
    )
    parts = parse_loyalty_token_url(url)
    expected = build_loyalty_token_url(
        PORTAL,
        SECRET,
        shop_uuid=ids.SHOP_AMSTERDAM,
        unique_id=unique,
        unit_name="purchase_amount",
        unit_value=12.5,
        timestamp=int(parts["timestamp"]),
    )
    assert url == expected
    with sandbox.http() as http:
        raw = http.post(
            "/api/v3/oauth/clients/loyalty-tokens",
            data={"version": "v3", "shop_uuid": ids.SHOP_WEB, "unique_id": _unique(), "credits": "5"},
        )
    assert raw.status_code == 200 and isinstance(raw.json()["data"], str) and raw.json()["meta"] == {}


async def test_async_create_and_claim_give_the_contact_the_credits(aclient: AsyncPiggyClient, new_email: str) -> None:
    contact = await aclient.contacts.create(new_email)
    url = await aclient.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=_unique(), credits=40)
    claimed = await aclient.loyalty_tokens.claim(contact_uuid=contact.uuid, **parse_loyalty_token_url(url))
    assert claimed.credits == 40 and claimed.type == "credit_reception"
    assert (await aclient.contacts.get_credit_balance(contact.uuid)).balance == 40


def test_claiming_applies_the_unit_rule_and_records_the_claim(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email)
    url = client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=_unique(), unit_name="visits", unit_value=2)
    claimed = client.loyalty_tokens.claim(contact_uuid=contact.uuid, **parse_loyalty_token_url(url))
    assert claimed.credits == 20 and claimed.unit is not None and claimed.unit["name"] == "visits"
    assert client.contacts.get_credit_balance(contact.uuid).balance == 20
    assert any(row["args"]["contact_uuid"] == contact.uuid for row in sandbox.audit("loyalty_tokens.claim"))


def test_claiming_the_same_token_twice_fails_with_1034_and_moves_nothing(client: PiggyClient, new_email: str) -> None:
    first = client.contacts.create(new_email)
    second = client.contacts.create(f"second-{new_email}")
    url = client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=_unique(), credits=30)
    client.loyalty_tokens.claim(contact_uuid=first.uuid, **parse_loyalty_token_url(url))
    for who in (first.uuid, second.uuid):
        with pytest.raises(ConflictError) as caught:
            client.loyalty_tokens.claim(contact_uuid=who, **parse_loyalty_token_url(url))
        assert caught.value.code == 1034
    assert client.contacts.get_credit_balance(first.uuid).balance == 30
    assert client.contacts.get_credit_balance(second.uuid).balance == 0


def test_a_token_built_offline_is_claimable_but_a_tampered_one_is_not(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    url = build_loyalty_token_url(
        PORTAL, SECRET, shop_uuid=ids.SHOP_WEB, unique_id=_unique(), unit_name="purchase_amount", unit_value="7.50"
    )
    tampered = parse_loyalty_token_url(url)
    tampered["unit_value"] = "75.00"
    with pytest.raises(InvalidRequestError) as caught:
        client.loyalty_tokens.claim(contact_uuid=contact.uuid, **tampered)
    assert "hash" in caught.value.errors
    assert client.contacts.get_credit_balance(contact.uuid).balance == 0
    claimed = client.loyalty_tokens.claim(contact_uuid=contact.uuid, **parse_loyalty_token_url(url))
    assert claimed.credits == 7 and claimed.unit_value == 7.5


def test_an_expired_token_cannot_be_claimed(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    old = int(time.time()) - 31 * 24 * 3600
    url = build_loyalty_token_url(PORTAL, SECRET, shop_uuid=ids.SHOP_WEB, unique_id=_unique(), credits=9, timestamp=old)
    with pytest.raises(InvalidRequestError) as caught:
        client.loyalty_tokens.claim(contact_uuid=contact.uuid, **parse_loyalty_token_url(url))
    assert "timestamp" in caught.value.errors
    assert client.contacts.get_credit_balance(contact.uuid).balance == 0


def test_versions_require_their_value_kind(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as v1:
        client.loyalty_tokens.create(
            shop_uuid=ids.SHOP_WEB, unique_id=_unique(), unit_name="visits", unit_value=1, version="v1"
        )
    assert v1.value.code == 60018 and "Please submit credits when using v1" in str(v1.value)
    with pytest.raises(InvalidRequestError) as v2:
        client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=_unique(), credits=5, version="v2")
    assert v2.value.code == 60019
    with pytest.raises(InvalidRequestError) as neither:
        client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=_unique())
    assert neither.value.code == 1003


def test_a_unique_id_returns_the_same_url_for_the_same_values_and_is_refused_for_others(client: PiggyClient) -> None:
    unique = _unique()
    url = client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=unique, credits=12)
    assert client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=unique, credits=12) == url
    with pytest.raises(InvalidRequestError) as caught:
        client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=unique, credits=13)
    assert "unique_id" in caught.value.errors


def test_unknown_shop_unit_and_contact_are_not_found(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as shop:
        client.loyalty_tokens.create(shop_uuid=ids.fixed("shop", "nowhere"), unique_id=_unique(), credits=1)
    assert shop.value.code == 1008
    with pytest.raises(NotFoundError) as unit:
        client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=_unique(), unit_name="miles", unit_value=3)
    assert unit.value.code == 60007
    url = client.loyalty_tokens.create(shop_uuid=ids.SHOP_WEB, unique_id=_unique(), credits=1)
    with pytest.raises(NotFoundError) as contact:
        client.loyalty_tokens.claim(contact_uuid=ids.fixed("contact", "nobody"), **parse_loyalty_token_url(url))
    assert contact.value.code == 55031
