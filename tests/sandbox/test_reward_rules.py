"""Reward rules on a fresh sandbox: stock, claim limits, inactive rewards, and races for the last unit."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import ConflictError, InsufficientBalanceError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.rewards import BARISTA_WORKSHOP, RETIRED_MUG, TOTE_BAG


@pytest.fixture
def fresh(fresh_sandbox: Sandbox) -> PiggyClient:
    return PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url)


def _rich(client: PiggyClient, email: str, credits: int) -> str:
    uuid = client.contacts.create(email).uuid
    client.credit_receptions.create(contact_uuid=uuid, shop_uuid=ids.SHOP_AMSTERDAM, credits=credits)
    return uuid


def test_stock_runs_out_with_1018_and_reversal_restores_it(fresh: PiggyClient) -> None:
    buyers = [_rich(fresh, f"tote{i}@example.com", 500) for i in range(3)]
    stock = fresh.rewards.get(TOTE_BAG).stock
    assert stock == 2  # the seed's Lucas already took one of three
    claims = [
        fresh.reward_receptions.create(contact_uuid=b, reward_uuid=TOTE_BAG, shop_uuid=ids.SHOP_AMSTERDAM)
        for b in buyers[:2]
    ]
    with pytest.raises(InsufficientBalanceError) as caught:
        fresh.reward_receptions.create(contact_uuid=buyers[2], reward_uuid=TOTE_BAG, shop_uuid=ids.SHOP_AMSTERDAM)
    assert caught.value.code == 1018 and fresh.rewards.get(TOTE_BAG).stock == 0
    fresh.reward_receptions.reverse(claims[0].uuid)
    assert fresh.rewards.get(TOTE_BAG).stock == 1


def test_claim_limit_per_contact_is_1019(fresh: PiggyClient) -> None:
    uuid = _rich(fresh, "limit@example.com", 1000)
    fresh.reward_receptions.create(contact_uuid=uuid, reward_uuid=TOTE_BAG, shop_uuid=ids.SHOP_AMSTERDAM)
    with pytest.raises(InsufficientBalanceError) as caught:
        fresh.reward_receptions.create(contact_uuid=uuid, reward_uuid=TOTE_BAG, shop_uuid=ids.SHOP_AMSTERDAM)
    assert caught.value.code == 1019
    assert fresh.contacts.get_credit_balance(uuid).balance == 600


def test_an_inactive_reward_cannot_be_claimed_1052(fresh: PiggyClient) -> None:
    uuid = _rich(fresh, "inactive@example.com", 1000)
    with pytest.raises(ConflictError) as caught:
        fresh.reward_receptions.create(contact_uuid=uuid, reward_uuid=RETIRED_MUG, shop_uuid=ids.SHOP_AMSTERDAM)
    assert caught.value.code == 1052


def test_concurrent_claims_of_the_last_unit_have_exactly_one_winner(fresh: PiggyClient, fresh_sandbox: Sandbox) -> None:
    racers = [_rich(fresh, f"racer{i}@example.com", 2000) for i in range(8)]

    def attempt(contact: str) -> str:
        with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as own:
            try:
                own.reward_receptions.create(
                    contact_uuid=contact, reward_uuid=BARISTA_WORKSHOP, shop_uuid=ids.SHOP_AMSTERDAM
                )
            except InsufficientBalanceError as exc:
                return str(exc.code)
        return "won"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, racers))
    assert outcomes.count("won") == 1 and outcomes.count("1018") == 7
    assert len(fresh_sandbox.audit("reward_receptions.create")) == 1
    spent = [fresh.contacts.get_credit_balance(r).balance for r in racers]
    assert sorted(spent) == [500] + [2000] * 7


def test_racing_the_last_credits_has_exactly_one_winner(fresh: PiggyClient, fresh_sandbox: Sandbox) -> None:
    uuid = _rich(fresh, "lastcredits@example.com", 120)  # enough for exactly one cappuccino

    def attempt(_: int) -> bool:
        with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as own:
            try:
                own.reward_receptions.create(
                    contact_uuid=uuid, reward_uuid=ids.fixed("reward", "free-cappuccino"), shop_uuid=ids.SHOP_AMSTERDAM
                )
            except InsufficientBalanceError:
                return False
        return True

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert sum(pool.map(attempt, range(6))) == 1
    assert fresh.contacts.get_credit_balance(uuid).balance == 0
