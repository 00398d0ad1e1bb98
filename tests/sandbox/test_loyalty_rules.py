"""Credit rules on a fresh sandbox: balances, tier multipliers, limits, reversals, referral completion, webhook
events and 50 concurrent awards."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import InsufficientBalanceError, InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.engagement import REFERRED_POINTS, REFERRING_POINTS
from piggy_agent_tools.sandbox.seed.rewards import FREE_CAPPUCCINO

AMS = ids.SHOP_AMSTERDAM


@pytest.fixture
def fresh(fresh_sandbox: Sandbox) -> Iterator[PiggyClient]:
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as c:
        yield c


def _contact(client: PiggyClient, email: str, credits: int = 0) -> str:
    contact_uuid = client.contacts.create(email).uuid
    if credits:
        client.credit_receptions.create(contact_uuid=contact_uuid, shop_uuid=AMS, credits=credits)
    return contact_uuid


def _balance(client: PiggyClient, contact_uuid: str) -> int:
    return client.contacts.get_credit_balance(contact_uuid).balance


# --- the balance: added minus spent, reversals restore ---


def test_balance_is_receptions_minus_claims_and_a_reversal_of_a_claim_restores(fresh: PiggyClient) -> None:
    who = _contact(fresh, "spender@example.com", credits=200)
    fresh.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, credits=-30)  # a correction
    claim = fresh.reward_receptions.create(contact_uuid=who, reward_uuid=FREE_CAPPUCCINO, shop_uuid=AMS)
    assert _balance(fresh, who) == 200 - 30 - 120
    fresh.reward_receptions.reverse(claim.uuid)
    assert _balance(fresh, who) == 170


def test_tier_multiplier_applies_to_unit_values_but_not_to_explicit_credits(fresh: PiggyClient) -> None:
    silver = _contact(fresh, "silver@example.com", credits=300)  # 300 received -> Silver (x1.1)
    assert fresh.contacts.get_tier(silver).name == "Silver"
    earned = fresh.credit_receptions.create(contact_uuid=silver, shop_uuid=AMS, unit_value=100)
    assert earned.credits == 110
    assert fresh.credit_receptions.create(contact_uuid=silver, shop_uuid=AMS, credits=100).credits == 100
    assert fresh.credit_receptions.calculate(shop_uuid=AMS, unit_value=100, contact_uuid=silver).credits == 110
    assert fresh.credit_receptions.calculate(shop_uuid=AMS, unit_value=100).credits == 100
    assert _balance(fresh, silver) == 510


def test_calculate_writes_nothing(fresh: PiggyClient, fresh_sandbox: Sandbox) -> None:
    writes = len(fresh_sandbox.audit())
    fresh.credit_receptions.calculate(shop_uuid=AMS, unit_value=50, contact_uuid=ids.JANE)
    assert len(fresh_sandbox.audit()) == writes


def test_a_new_default_unit_is_used_when_no_unit_name_is_given(fresh: PiggyClient) -> None:
    fresh.units.create(name="stamps", label="Stamps", is_default=True)
    assert [u.name for u in fresh.units.list() if u.is_default] == ["stamps"]
    who = _contact(fresh, "stamps@example.com")
    reception = fresh.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, unit_value=4)
    assert reception.unit is not None and reception.unit.name == "stamps" and reception.credits == 4
    assert fresh.loyalty_program.get().unit is not None
    assert fresh.loyalty_program.get().unit.name == "stamps"  # type: ignore[union-attr]


# --- refusals, each leaving the balance unchanged ---


def test_the_program_maximum_refuses_with_1015_and_books_nothing(fresh: PiggyClient) -> None:
    who = _contact(fresh, "max@example.com", credits=49_990)
    with pytest.raises(InsufficientBalanceError) as caught:
        fresh.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, credits=11)
    assert caught.value.code == 1015
    assert _balance(fresh, who) == 49_990
    fresh.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, credits=10)  # exactly the maximum is allowed
    assert _balance(fresh, who) == 50_000
    assert fresh.loyalty_transactions.list(contact_uuid=who).total == 2


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"shop_uuid": ids.fixed("shop", "nowhere")}, 1008),
        ({"contact_uuid": ids.fixed("contact", "nobody")}, 55031),
        ({"unit_name": "no_such_unit", "unit_value": 5.0, "credits": None}, 60007),
    ],
)
def test_unknown_shop_contact_or_unit_is_refused_with_its_code(
    fresh: PiggyClient, fresh_sandbox: Sandbox, overrides: dict[str, Any], code: int
) -> None:
    args: dict[str, Any] = {"contact_uuid": ids.TOM, "shop_uuid": AMS, "credits": 5, **overrides}
    before = _balance(fresh, ids.TOM)
    with pytest.raises(NotFoundError) as caught:
        fresh.credit_receptions.create(**args)
    assert caught.value.code == code
    assert _balance(fresh, ids.TOM) == before
    assert fresh_sandbox.audit("credit_receptions.create") == []


def test_a_transaction_attribute_that_clashes_with_a_reception_field_or_has_no_type_is_1003(
    fresh: PiggyClient,
) -> None:
    with pytest.raises(InvalidRequestError):
        fresh.loyalty_transaction_attributes.create(name="credits", data_type="number")
    with pytest.raises(InvalidRequestError):
        fresh.loyalty_transaction_attributes.create(name="mood", data_type="feeling")
    with pytest.raises(InvalidRequestError):
        fresh.loyalty_transaction_attributes.create(name="size", data_type="select")  # selects need options
    assert {a.name for a in fresh.loyalty_transaction_attributes.list()} == {"table_number", "barista"}


def test_fields_that_are_not_transaction_attributes_are_not_stored(fresh: PiggyClient) -> None:
    who = _contact(fresh, "extra@example.com")
    reception = fresh.credit_receptions.create(
        contact_uuid=who, shop_uuid=AMS, credits=1, attributes={"barista": "Ana", "not_an_attribute": "x"}
    )
    extra = reception.model_extra or {}
    assert extra["barista"] == "Ana" and extra["table_number"] is None and "not_an_attribute" not in extra


# --- reversals ---


def test_reversing_spent_credits_is_1017_and_changes_nothing(fresh: PiggyClient) -> None:
    who = _contact(fresh, "spent@example.com")
    award = fresh.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, credits=150)
    fresh.reward_receptions.create(contact_uuid=who, reward_uuid=FREE_CAPPUCCINO, shop_uuid=AMS)
    with pytest.raises(InsufficientBalanceError) as caught:
        fresh.credit_receptions.reverse(award.uuid)
    assert caught.value.code == 1017 and "Insufficient" in str(caught.value)
    assert _balance(fresh, who) == 30
    fresh.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, credits=120)
    assert fresh.credit_receptions.reverse(award.uuid).credits == -150  # once covered, the reversal goes through
    assert _balance(fresh, who) == 0


def test_a_reception_reverses_only_once_and_a_reversal_cannot_be_reversed(fresh: PiggyClient) -> None:
    who = _contact(fresh, "twice@example.com", credits=100)
    award = fresh.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, credits=40)
    reversal = fresh.credit_receptions.reverse(award.uuid)
    for target in (award.uuid, reversal.uuid):
        with pytest.raises(InvalidRequestError) as caught:
            fresh.credit_receptions.reverse(target)
        assert caught.value.code == 1003
    assert _balance(fresh, who) == 100
    assert fresh.loyalty_transactions.list(contact_uuid=who).total == 3


def test_reversing_an_unknown_reception_is_1028(fresh: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        fresh.credit_receptions.reverse(ids.fixed("credit_reception", "nothing"))
    assert caught.value.code == 1028 and "Credit reception not found." in str(caught.value)


# --- side effects: events and referrals ---


def test_awards_and_reversals_emit_credit_reception_created(fresh: PiggyClient, fresh_sandbox: Sandbox) -> None:
    events: list[tuple[str, dict[str, Any]]] = []  # a store listener sees emitted events; delivery is tested elsewhere
    fresh_sandbox.store.add_listener(lambda event_type, payload: events.append((event_type, payload)))
    who = _contact(fresh, "events@example.com")
    award = fresh.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, credits=9, attributes={"table_number": 4})
    reversal = fresh.credit_receptions.reverse(award.uuid)
    with pytest.raises(NotFoundError):
        fresh.credit_receptions.create(contact_uuid=who, shop_uuid=ids.fixed("shop", "x"), credits=1)
    sent = [p["credit_reception"] for t, p in events if t == "credit_reception_created"]
    assert [(r["uuid"], r["credits"]) for r in sent] == [(award.uuid, 9), (reversal.uuid, -9)]
    assert sent[0]["table_number"] == 4 and sent[0]["contact"]["uuid"] == who


def test_the_referred_contacts_second_transaction_completes_the_referral_and_pays_both(fresh: PiggyClient) -> None:
    referrer_before = _balance(fresh, ids.JANE)
    referred = fresh.contacts.create("referred@example.com", referral_code=ids.JANE[:8].upper()).uuid
    fresh.credit_receptions.create(contact_uuid=referred, shop_uuid=AMS, credits=10)
    assert fresh.referrals.list(referring_contact_uuid=ids.JANE, status="pending", limit=100)
    fresh.credit_receptions.create(contact_uuid=referred, shop_uuid=AMS, credits=10)  # completion: 2 transactions
    assert not fresh.referrals.list(referring_contact_uuid=ids.JANE, status="pending", limit=100)
    assert _balance(fresh, referred) == 20 + REFERRED_POINTS
    assert _balance(fresh, ids.JANE) == referrer_before + REFERRING_POINTS
    fresh.credit_receptions.create(contact_uuid=referred, shop_uuid=AMS, credits=10)  # paid once, never again
    assert _balance(fresh, ids.JANE) == referrer_before + REFERRING_POINTS
    assert _balance(fresh, referred) == 30 + REFERRED_POINTS


# --- concurrency ---


async def test_fifty_concurrent_awards_give_the_exact_balance(fresh_sandbox: Sandbox, fresh: PiggyClient) -> None:
    who = _contact(fresh, "crowd@example.com")
    async with AsyncPiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as aclient:
        done = await asyncio.gather(
            *(aclient.credit_receptions.create(contact_uuid=who, shop_uuid=AMS, credits=i) for i in range(1, 51))
        )
    assert len({r.uuid for r in done}) == 50
    assert _balance(fresh, who) == sum(range(1, 51))
    assert fresh.loyalty_transactions.list(contact_uuid=who, limit=100).total == 50
    assert len(fresh_sandbox.audit("credit_receptions.create")) == 50
