"""Concurrency and consistency through the toolkit's async tools (``tool.ainvoke`` over one AsyncPiggyClient) on a
private sandbox: concurrent awards give exact balances, races for the last unit, credits or voucher use have exactly
one winner, and readers running beside writers always get a successful, consistent answer."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.rewards import BARISTA_WORKSHOP, FREE_CAPPUCCINO
from piggy_agent_tools.sandbox.seed.vouchers import PROMO_COFFEE_CARD, PROMO_SPRING
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.reliability._harness import print_summary, tool_call
from tests.reliability._strategies import FULL

SHOP = ids.SHOP_AMSTERDAM
OUTCOMES: list[str] = []
# Each test runs in a short form (``make test``) and a full form (``make reliability``: slow, PIGGY_RELIABILITY=full).
FORMS = pytest.mark.parametrize(
    "full",
    [
        pytest.param(False, id="short"),
        pytest.param(
            True,
            id="full",
            marks=[pytest.mark.slow, pytest.mark.skipif(not FULL, reason="runs under PIGGY_RELIABILITY=full")],
        ),
    ],
)


def size(full: bool, short: int, long: int) -> int:
    return long if full else short


@dataclass
class Rig:
    sandbox: Sandbox
    client: PiggyClient
    toolkit: PiggyToolkit
    tools: dict[str, BaseTool]

    async def call(self, name: str, **args: Any) -> ToolMessage:
        message = await self.tools[name].ainvoke(tool_call(name, args))
        assert isinstance(message, ToolMessage), f"{name} returned {type(message).__name__}"
        return message

    def new_contacts(self, n: int, credits: int = 0) -> list[str]:
        uuids = [self.client.contacts.create(f"race-{uuid.uuid4().hex[:12]}@example.com").uuid for _ in range(n)]
        for contact in uuids:
            if credits:
                self.client.credit_receptions.create(contact_uuid=contact, shop_uuid=SHOP, credits=credits)
        return uuids

    def balance(self, contact: str) -> int:
        return int(self.client.contacts.get_credit_balance(contact).balance or 0)

    def audit_for(self, operation: str, contacts: set[str]) -> list[dict[str, Any]]:
        return [r for r in self.sandbox.audit(operation) if r["args"].get("contact_uuid") in contacts]


@pytest.fixture(scope="module")
def private_sandbox() -> Iterator[Sandbox]:
    """Our own sandbox: the races here consume the seed's last units, which other modules must not see."""
    with Sandbox.start(seed="demo", rate_limit=10**9) as sb:
        yield sb


@pytest.fixture(scope="module")
async def rig(private_sandbox: Sandbox) -> AsyncIterator[Rig]:
    sb = private_sandbox
    # Generous timeouts: hundreds of calls queue for the pool against a sandbox that shares this process's GIL.
    aclient = AsyncPiggyClient(api_key=sb.api_key, base_url=sb.base_url, timeout=120)
    with PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client:
        toolkit = PiggyToolkit(client=client, async_client=aclient)
        assert toolkit.async_client is aclient
        yield Rig(sb, client, toolkit, {t.name: t for t in toolkit.get_tools()})
    await aclient.aclose()


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if OUTCOMES:
        print_summary(request, ["concurrency outcomes (async tools, one AsyncPiggyClient):", *OUTCOMES])


def _ok(message: ToolMessage) -> dict[str, Any]:
    assert message.status != "error", message.content
    data: dict[str, Any] = json.loads(str(message.content))
    return data


def _error_kinds(messages: list[ToolMessage]) -> set[str]:
    """The error class each failed call reported (``Error in <tool>: <Class>: ...``)."""
    return {str(m.content).split(": ")[1] for m in messages if m.status == "error"}


@FORMS
async def test_concurrent_awards_on_ten_contacts_give_exact_balances_and_one_audit_row_each(
    rig: Rig, full: bool
) -> None:
    n, per = size(full, 200, 1000), 10
    contacts = rig.new_contacts(per)
    start = {c: rig.balance(c) for c in contacts}
    plan = [(contacts[i % per], random.randint(1, 50)) for i in range(n)]
    messages = await asyncio.gather(
        *(rig.call("award_credits", contact_uuid=c, shop_uuid=SHOP, credits=credits) for c, credits in plan)
    )
    errors = [str(m.content) for m in messages if m.status == "error"]
    assert not errors, errors[:3]
    expected = {c: start[c] + sum(credits for who, credits in plan if who == c) for c in contacts}
    final = {c: rig.balance(c) for c in contacts}
    assert final == expected
    rows = rig.audit_for("credit_receptions.create", set(contacts))
    assert len(rows) == n
    # Every answer reports a balance that existed: at least its own award above the start, at most the final.
    for (who, credits), message in zip(plan, messages, strict=True):
        assert start[who] + credits <= _ok(message)["balance"] <= final[who]
    OUTCOMES.append(
        f"  {n} concurrent award_credits on {per} contacts: 0 errors, balances exact, {len(rows)} audit rows"
    )


@FORMS
async def test_claims_racing_the_last_workshop_place_have_exactly_one_winner(rig: Rig, full: bool) -> None:
    """Barista workshop: stock 1, claim limit 1, 1500 credits. Every contact has exactly enough for one claim and
    fires several claims at once, so the race is for the last unit, the claim limit and the last credits at once."""
    rig.sandbox.reset()  # the seed's single workshop place again (the other form may have taken it)
    workshop = next(r for r in rig.client.rewards.list() if r.uuid == BARISTA_WORKSHOP)
    assert (workshop.stock, workshop.required_credits) == (1, 1500)
    price = workshop.required_credits
    contacts = rig.new_contacts(size(full, 10, 25), credits=price)
    per_contact = size(full, 3, 4)
    calls = [c for c in contacts for _ in range(per_contact)]
    random.shuffle(calls)
    messages = await asyncio.gather(
        *(rig.call("claim_reward", contact_uuid=c, reward_uuid=BARISTA_WORKSHOP, shop_uuid=SHOP) for c in calls)
    )
    winners = [(c, m) for c, m in zip(calls, messages, strict=True) if m.status != "error"]
    assert len(winners) == 1, [str(m.content)[:200] for _, m in winners]
    winner, message = winners[0]
    assert _ok(message)["balance"] == 0
    assert _error_kinds(messages) == {"InsufficientBalanceError"}  # out of stock / claim limit, never a 5xx
    balances = {c: rig.balance(c) for c in contacts}
    assert balances[winner] == 0
    assert all(b == price for c, b in balances.items() if c != winner)
    stock = next(r for r in rig.client.rewards.list() if r.uuid == BARISTA_WORKSHOP).stock
    assert stock == 0
    assert len(rig.audit_for("reward_receptions.create", set(contacts))) == 1
    OUTCOMES.append(
        f"  {len(calls)} concurrent claim_reward (Barista workshop, stock 1, limit 1) by {len(contacts)} contacts: "
        f"1 winner, stock 0, losers keep {price} credits"
    )


@FORMS
async def test_claims_racing_for_the_last_credits_have_exactly_one_winner(rig: Rig, full: bool) -> None:
    """Free cappuccino: no stock and no claim limit, so only the credits (exactly one claim's worth) decide."""
    price = next(r for r in rig.client.rewards.list() if r.uuid == FREE_CAPPUCCINO).required_credits
    assert price
    (contact,) = rig.new_contacts(1, credits=price)
    n = size(full, 20, 100)
    messages = await asyncio.gather(
        *(rig.call("claim_reward", contact_uuid=contact, reward_uuid=FREE_CAPPUCCINO, shop_uuid=SHOP) for _ in range(n))
    )
    assert sum(m.status != "error" for m in messages) == 1
    assert _error_kinds(messages) == {"InsufficientBalanceError"}
    assert all("Piggy code 1017" in str(m.content) for m in messages if m.status == "error")
    assert rig.balance(contact) == 0
    assert len(rig.audit_for("reward_receptions.create", {contact})) == 1
    OUTCOMES.append(f"  {n} concurrent claim_reward for the last {price} credits: 1 winner, balance 0")


@FORMS
async def test_concurrent_redeems_of_a_single_use_voucher_have_exactly_one_success(rig: Rig, full: bool) -> None:
    (contact,) = rig.new_contacts(1)
    voucher = rig.client.vouchers.create(PROMO_SPRING, contact_uuid=contact)
    assert voucher.code and (voucher.total_redemptions_allowed or 1) == 1
    n = size(full, 20, 100)
    messages = await asyncio.gather(
        *(rig.call("redeem_voucher", code=voucher.code, shop_uuid=SHOP, contact_uuid=contact) for _ in range(n))
    )
    successes = [_ok(m) for m in messages if m.status != "error"]
    assert len(successes) == 1 and successes[0]["status"] == "REDEEMED"
    assert _error_kinds(messages) == {"ConflictError"}  # 80005 already redeemed
    assert rig.client.vouchers.find(voucher.code).status == "REDEEMED"
    rows = [r for r in rig.sandbox.audit("vouchers.redeem") if r["args"].get("voucher_uuid") == voucher.uuid]
    assert len(rows) == 1
    OUTCOMES.append(f"  {n} concurrent redeem_voucher of one single-use code: 1 success, {n - 1} ConflictError")


@FORMS
async def test_concurrent_redeems_of_a_five_use_voucher_succeed_exactly_five_times(rig: Rig, full: bool) -> None:
    (contact,) = rig.new_contacts(1)
    voucher = rig.client.vouchers.create(PROMO_COFFEE_CARD, contact_uuid=contact)
    allowed = voucher.total_redemptions_allowed
    assert allowed == 5
    n = size(full, 20, 60)
    messages = await asyncio.gather(
        *(rig.call("redeem_voucher", code=voucher.code, shop_uuid=SHOP, contact_uuid=contact) for _ in range(n))
    )
    assert sum(m.status != "error" for m in messages) == allowed
    assert _error_kinds(messages) == {"ConflictError"}
    found = rig.client.vouchers.find(str(voucher.code))
    assert found.status == "REDEEMED" and found.redemptions_remaining == 0
    OUTCOMES.append(f"  {n} concurrent redeem_voucher of a 5-use code: exactly 5 successes")


@FORMS
async def test_readers_beside_writers_see_consistent_answers_and_no_update_is_lost(rig: Rig, full: bool) -> None:
    """Writers award credits and top up prepaid; readers poll get_contact, get_prepaid_balance and
    list_loyalty_transactions. Each reader's successive answers never go backwards and stay within start..final."""
    n_contacts, n_writes, n_readers, reads_each = 5, size(full, 100, 400), size(full, 20, 50), size(full, 5, 10)
    contacts = rig.new_contacts(n_contacts)
    credits_start = {c: rig.balance(c) for c in contacts}
    awards = [(contacts[i % n_contacts], random.randint(1, 20)) for i in range(n_writes)]
    topups = [(contacts[i % n_contacts], random.randint(1, 500)) for i in range(n_writes)]
    seen: list[tuple[str, str, list[tuple[int, int, int]]]] = []
    failures: list[str] = []

    async def reader(contact: str, kind: str) -> None:
        observed: list[tuple[int, int, int]] = []
        for _ in range(reads_each):
            if kind == "contact":
                m = await rig.call("get_contact", contact_uuid=contact)
            elif kind == "prepaid":
                m = await rig.call("get_prepaid_balance", contact_uuid=contact)
            else:
                m = await rig.call("list_loyalty_transactions", contact_uuid=contact, limit=100)
            if m.status == "error":
                failures.append(str(m.content))
                continue
            data = json.loads(str(m.content))
            if kind == "contact":
                prepaid = round(float(str(data["prepaid"] or "0").lstrip("€")) * 100)
                observed.append((int(data["credits"] or 0), prepaid, 0))
            elif kind == "prepaid":
                observed.append((0, int(data["balance_in_cents"]), 0))
            else:
                items = data["transactions"]
                uuids = [t["uuid"] for t in items]
                assert len(uuids) == len(set(uuids)), "a transaction listed twice"
                observed.append((sum(int(t["credits"] or 0) for t in items), 0, len(items)))
            await asyncio.sleep(0)
        seen.append((contact, kind, observed))

    kinds = ("contact", "prepaid", "transactions")
    readers = [reader(contacts[i % n_contacts], kinds[i % 3]) for i in range(n_readers)]
    writers = [rig.call("award_credits", contact_uuid=c, shop_uuid=SHOP, credits=k) for c, k in awards]
    writers += [
        rig.call("create_prepaid_transaction", contact_uuid=c, shop_uuid=SHOP, amount_in_cents=a) for c, a in topups
    ]
    results = await asyncio.gather(*readers, *writers)
    write_errors = [str(m.content) for m in results[n_readers:] if m is not None and m.status == "error"]
    assert not write_errors, write_errors[:3]
    assert not failures, failures[:3]

    credits_final = {c: credits_start[c] + sum(k for who, k in awards if who == c) for c in contacts}
    prepaid_final = {c: sum(a for who, a in topups if who == c) for c in contacts}
    for c in contacts:
        assert rig.balance(c) == credits_final[c]
        assert rig.client.contacts.get_prepaid_balance(c).balance_in_cents == prepaid_final[c]
    for contact, kind, observed in seen:
        assert len(observed) == reads_each
        for previous, current in itertools.pairwise(observed):
            assert all(b >= a for a, b in zip(previous, current, strict=True)), f"{kind} went backwards: {observed}"
        for credits, prepaid, _count in observed:
            assert credits_start[contact] <= credits <= credits_final[contact]
            assert 0 <= prepaid <= prepaid_final[contact]
    awarded = rig.audit_for("credit_receptions.create", set(contacts))
    topped = rig.audit_for("prepaid_transactions.create", set(contacts))
    assert len(awarded) == n_writes and len(topped) == n_writes
    OUTCOMES.append(
        f"  {2 * n_writes} writes beside {n_readers * reads_each} reads on {n_contacts} contacts: no lost update, "
        "every read successful and monotonic"
    )
