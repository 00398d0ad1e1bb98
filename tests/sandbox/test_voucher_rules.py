"""Voucher rules enforced by the sandbox, seen through the real client: redemption limits, states and their codes,
locks, validate without writing, reverse, creation limits, webhook events, and concurrent redeems.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.errors import ConflictError, InsufficientBalanceError, InvalidRequestError, PiggyAPIError
from piggy_agent_tools.models.vouchers import Voucher
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.domain.vouchers import KIND
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed import vouchers as seeded

SHOP = ids.SHOP_AMSTERDAM


def _voucher(client: PiggyClient, promotion: str = seeded.PROMO_SPRING, **fields: Any) -> Voucher:
    fields.setdefault("contact_uuid", ids.TOM)
    return client.vouchers.create(promotion, **fields)


def _code_of(caught: pytest.ExceptionInfo[PiggyAPIError]) -> tuple[int | None, str]:
    return caught.value.code, caught.value.message


# --- redemption limits ------------------------------------------------------------------------------------------


def test_redeeming_a_single_use_voucher_twice_fails_with_80005(client: PiggyClient, sandbox: Sandbox) -> None:
    voucher = _voucher(client)
    client.vouchers.redeem(voucher.code, shop_uuid=SHOP)
    with pytest.raises(ConflictError) as caught:
        client.vouchers.redeem(voucher.code, shop_uuid=SHOP)
    assert _code_of(caught) == (80005, "Voucher code as already been redeemed.")
    assert client.vouchers.find(voucher.code).times_redeemed == 1
    assert len([r for r in sandbox.audit("vouchers.redeem") if r["args"]["voucher_uuid"] == voucher.uuid]) == 1


def test_a_multi_use_voucher_redeems_exactly_its_allowed_times(client: PiggyClient) -> None:
    voucher = _voucher(client, seeded.PROMO_SPRING, total_redemptions_allowed=3)
    for expected_left in (2, 1, 0):
        assert client.vouchers.redeem(voucher.code, shop_uuid=SHOP).redemptions_remaining == expected_left
    with pytest.raises(ConflictError) as caught:
        client.vouchers.redeem(voucher.code, shop_uuid=SHOP)
    assert caught.value.code == 80005


def test_multi_redeem_beyond_the_uses_left_fails_with_80019_and_redeems_nothing(client: PiggyClient) -> None:
    voucher = _voucher(client, seeded.PROMO_COFFEE_CARD)
    client.vouchers.multi_redeem(voucher.code, 3, shop_uuid=SHOP)
    with pytest.raises(InsufficientBalanceError) as caught:
        client.vouchers.multi_redeem(voucher.code, 3, shop_uuid=SHOP)
    assert _code_of(caught) == (80019, "Voucher doesn't have enough redemptions left.")
    assert client.vouchers.find(voucher.code).redemptions_remaining == 2


def test_multi_redeem_refuses_more_than_50_at_once(client: PiggyClient) -> None:
    voucher = _voucher(client, seeded.PROMO_COFFEE_CARD)
    with pytest.raises(InvalidRequestError) as caught:
        client.vouchers.multi_redeem(voucher.code, 51, shop_uuid=SHOP)
    assert caught.value.code == 1003 and "number_of_times" in caught.value.errors


async def test_ten_concurrent_redeems_of_a_single_use_voucher_succeed_once(
    aclient: AsyncPiggyClient, client: PiggyClient, sandbox: Sandbox
) -> None:
    voucher = _voucher(client)
    results = await asyncio.gather(
        *(aclient.vouchers.redeem(voucher.code, shop_uuid=SHOP) for _ in range(10)), return_exceptions=True
    )
    wins = [r for r in results if not isinstance(r, BaseException)]
    losses = [r for r in results if isinstance(r, BaseException)]
    assert len(wins) == 1 and len(losses) == 9
    assert all(isinstance(e, ConflictError) and e.code == 80005 for e in losses)
    assert len([r for r in sandbox.audit("vouchers.redeem") if r["args"]["voucher_uuid"] == voucher.uuid]) == 1
    assert client.vouchers.find(voucher.code).times_redeemed == 1


# --- states ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "error", "message"),
    [
        (seeded.VOUCHER_XMAS, 80006, "Voucher has expired."),
        (seeded.VOUCHER_SPRING_OFF, 80012, "Voucher is deactivated."),
        (seeded.VOUCHER_SPRING_LATER, 80014, "Voucher is inactive."),
        (seeded.VOUCHER_COFFEE_LOCKED, 80017, "Voucher is already locked."),
        (seeded.VOUCHER_SUMMER, 80020, "Promotion is inactive."),
        (seeded.VOUCHER_COFFEE_TOM, 80005, "Voucher code as already been redeemed."),
        ("NO-SUCH-VOUCHER", 80004, "Voucher not found."),
    ],
)
def test_seeded_vouchers_refuse_redemption_with_their_state_code(
    client: PiggyClient, code: str, error: int, message: str
) -> None:
    with pytest.raises(PiggyAPIError) as caught:
        client.vouchers.redeem(code, shop_uuid=SHOP, contact_uuid=ids.JANE)
    assert _code_of(caught) == (error, message)


def test_deactivating_blocks_redemption_and_reactivating_allows_it(client: PiggyClient) -> None:
    voucher = _voucher(client)
    client.vouchers.update(voucher.uuid, status="DEACTIVATED")
    with pytest.raises(ConflictError) as caught:
        client.vouchers.redeem(voucher.code, shop_uuid=SHOP)
    assert caught.value.code == 80012
    client.vouchers.update(voucher.uuid, status="ACTIVE")
    assert client.vouchers.redeem(voucher.code, shop_uuid=SHOP).status == "REDEEMED"


def test_a_voucher_past_its_expiration_date_is_expired_80006(client: PiggyClient) -> None:
    voucher = _voucher(client, activation_date="2020-01-01T00:00:00+00:00", expiration_date="2020-02-01T00:00:00Z")
    assert voucher.status == "EXPIRED"
    with pytest.raises(ConflictError) as caught:
        client.vouchers.redeem(voucher.code, shop_uuid=SHOP)
    assert caught.value.code == 80006


def test_vouchers_of_an_ended_promotion_expire_with_it(client: PiggyClient) -> None:
    voucher = _voucher(client, seeded.PROMO_XMAS)
    assert voucher.status == "EXPIRED" and voucher.expiration_date == "2024-12-31T23:00:00+00:00"


def test_a_redeemed_voucher_cannot_be_reactivated_or_deactivated(client: PiggyClient) -> None:
    voucher = _voucher(client)
    client.vouchers.redeem(voucher.code, shop_uuid=SHOP)
    with pytest.raises(ConflictError) as caught:
        client.vouchers.update(voucher.uuid, status="DEACTIVATED")
    assert caught.value.code == 80005 and client.vouchers.find(voucher.code).status == "REDEEMED"


def test_update_of_an_unknown_voucher_is_80004(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.vouchers.update(ids.fixed("voucher", "none"), status="ACTIVE")
    assert caught.value.code == 80004


# --- locks ----------------------------------------------------------------------------------------------------


def test_redeeming_a_voucher_locked_by_someone_else_fails_with_80017(client: PiggyClient) -> None:
    voucher = _voucher(client)
    lock = client.vouchers.lock(voucher.uuid)
    for key in (None, "not-the-key"):
        with pytest.raises(ConflictError) as caught:
            client.vouchers.redeem(voucher.code, shop_uuid=SHOP, release_key=key)
        assert caught.value.code == 80017
    redeemed = client.vouchers.redeem(voucher.code, shop_uuid=SHOP, release_key=lock.lock.release_key)
    assert redeemed.status == "REDEEMED"


def test_locking_twice_fails_with_80017(client: PiggyClient) -> None:
    voucher = _voucher(client)
    client.vouchers.lock(voucher.uuid)
    with pytest.raises(ConflictError) as caught:
        client.vouchers.lock(voucher.uuid)
    assert _code_of(caught) == (80017, "Voucher is already locked.")


def test_release_needs_the_right_key(client: PiggyClient) -> None:
    voucher = _voucher(client)
    client.vouchers.lock(voucher.uuid)
    with pytest.raises(InvalidRequestError):
        client.vouchers.release(voucher.uuid, release_key="wrong")
    assert client.vouchers.find(voucher.code).status == "LOCKED"


def test_the_seeded_lock_is_released_with_its_published_key(fresh_sandbox: Sandbox) -> None:
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as client:
        voucher = client.vouchers.find(seeded.VOUCHER_COFFEE_LOCKED)
        released = client.vouchers.release(voucher.uuid, release_key=seeded.LOCKED_RELEASE_KEY)
        assert released.voucher.status == "ACTIVE"
        assert client.vouchers.redeem(voucher.code, shop_uuid=SHOP, contact_uuid=ids.JANE).status == "REDEEMED"


def test_a_lock_past_its_system_release_time_no_longer_blocks(client: PiggyClient, sandbox: Sandbox) -> None:
    voucher = _voucher(client)
    client.vouchers.lock(voucher.uuid)
    with sandbox.store.tx() as tx:  # move the clock of this lock: it was taken more than an hour ago
        doc = tx.get(KIND, voucher.uuid)
        assert doc is not None
        doc["lock"]["system_release_at"] = "2000-01-01T00:00:00+00:00"
        tx.put(KIND, doc)
    assert client.vouchers.find(voucher.code).status == "ACTIVE"
    assert client.vouchers.redeem(voucher.code, shop_uuid=SHOP).status == "REDEEMED"


# --- validate, reverse ----------------------------------------------------------------------------------------


def test_validate_reports_the_redeem_error_and_writes_nothing(client: PiggyClient, sandbox: Sandbox) -> None:
    writes = len(sandbox.audit())
    with pytest.raises(ConflictError) as caught:
        client.vouchers.validate(ids.fixed("voucher", seeded.VOUCHER_COFFEE_TOM), shop_uuid=SHOP)
    assert caught.value.code == 80005
    voucher = client.vouchers.find(seeded.VOUCHER_SPRING)
    for _ in range(3):
        assert client.vouchers.validate(voucher.uuid, shop_uuid=SHOP).status == "ACTIVE"
    assert client.vouchers.find(seeded.VOUCHER_SPRING).times_redeemed == 0
    assert not [r for r in sandbox.audit()[writes:] if r["operation"].startswith("vouchers.")]


def test_validate_needs_a_shop_and_a_known_one(client: PiggyClient) -> None:
    voucher = client.vouchers.find(seeded.VOUCHER_SPRING)
    with pytest.raises(NotFoundError) as caught:
        client.vouchers.validate(voucher.uuid, shop_uuid=ids.fixed("shop", "nowhere"))
    assert caught.value.code == 1008


def test_reverse_twice_is_refused_and_unknown_redemption_is_80004(client: PiggyClient) -> None:
    voucher = _voucher(client)
    redemption = client.vouchers.redeem(voucher.code, shop_uuid=SHOP).voucher_redemption
    assert redemption is not None
    client.vouchers.reverse(redemption.uuid)
    with pytest.raises(InvalidRequestError):
        client.vouchers.reverse(redemption.uuid)
    assert client.vouchers.find(voucher.code).times_redeemed == 0
    with pytest.raises(NotFoundError) as caught:
        client.vouchers.reverse(ids.fixed("voucher_redemption", "none"))
    assert caught.value.code == 80004


# --- who redeems ----------------------------------------------------------------------------------------------


def test_a_voucher_without_contact_needs_one_at_redemption(client: PiggyClient) -> None:
    voucher = client.vouchers.create(seeded.PROMO_SPRING)
    with pytest.raises(InvalidRequestError) as caught:
        client.vouchers.redeem(voucher.code, shop_uuid=SHOP)
    assert "contact_uuid" in caught.value.errors
    with pytest.raises(NotFoundError) as unknown:
        client.vouchers.redeem(voucher.code, shop_uuid=SHOP, contact_uuid=ids.fixed("contact", "ghost"))
    assert unknown.value.code == 55031
    assert client.vouchers.redeem(voucher.code, shop_uuid=SHOP, contact_uuid=ids.JANE).status == "REDEEMED"


def test_another_contact_cannot_redeem_a_linked_voucher(client: PiggyClient) -> None:
    voucher = _voucher(client)  # Tom's
    with pytest.raises(InvalidRequestError):
        client.vouchers.redeem(voucher.code, shop_uuid=SHOP, contact_uuid=ids.JANE)
    assert client.vouchers.find(voucher.code).times_redeemed == 0


def test_redeem_without_shop_is_accepted_but_an_unknown_shop_is_1008(client: PiggyClient) -> None:
    voucher = _voucher(client)
    with pytest.raises(NotFoundError) as caught:
        client.vouchers.redeem(voucher.code, shop_uuid=ids.fixed("shop", "nowhere"))
    assert caught.value.code == 1008
    # The old SDK's contract: no shop_uuid. The client now requires one (the docs do), so this goes raw.
    with pytest.raises(TypeError):
        client.vouchers.redeem(voucher.code)  # type: ignore[call-arg]
    redeemed = client.vouchers._raw(RequestSpec("POST", "/vouchers/redeem", body={"code": voucher.code}))
    assert redeemed["status"] == "REDEEMED"


# --- creation limits ------------------------------------------------------------------------------------------


def test_create_for_an_unknown_promotion_is_80002(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.vouchers.create(ids.fixed("promotion", "nothing"))
    assert _code_of(caught) == (80002, "Promotion not found.")


def test_a_code_that_exists_conflicts_with_80003(client: PiggyClient) -> None:
    code = f"DUP-{uuid.uuid4().hex[:8]}"
    client.vouchers.create(seeded.PROMO_SPRING, code=code)
    with pytest.raises(ConflictError) as caught:
        client.vouchers.create(seeded.PROMO_SPRING, code=code)
    assert _code_of(caught) == (80003, "Voucher already exists.")


def test_the_promotion_voucher_limit_is_80008_for_single_and_batch(client: PiggyClient) -> None:
    promotion = client.promotions.create(name="Limited", description="three only", voucher_limit=3)
    client.vouchers.batch(promotion.uuid, 2)
    with pytest.raises(InsufficientBalanceError) as caught:
        client.vouchers.batch(promotion.uuid, 2)
    assert _code_of(caught) == (80008, "Voucher limit reached.")
    client.vouchers.create(promotion.uuid)
    with pytest.raises(InsufficientBalanceError):
        client.vouchers.create(promotion.uuid)
    assert client.vouchers.list(promotion_uuid=promotion.uuid).total == 3


def test_the_limit_per_contact_is_80008(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email)
    client.vouchers.create(seeded.PROMO_FREE_COFFEE, contact_uuid=contact.uuid)
    with pytest.raises(InsufficientBalanceError) as caught:
        client.vouchers.create(seeded.PROMO_FREE_COFFEE, contact_uuid=contact.uuid)
    assert caught.value.code == 80008
    assert client.vouchers.list(contact_uuid=contact.uuid).total == 1


def test_an_expiration_before_the_activation_is_refused(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        _voucher(client, activation_date="2030-02-01T00:00:00+00:00", expiration_date="2030-01-01T00:00:00+00:00")
    assert "expiration_date" in caught.value.errors


def test_unknown_custom_attribute_is_refused(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError):
        client.vouchers.create(seeded.PROMO_SPRING, custom_attributes={"no_such_field": "x"})


# --- webhook events -------------------------------------------------------------------------------------------


def test_voucher_writes_emit_their_events_with_the_voucher_view(fresh_sandbox: Sandbox) -> None:
    events: list[tuple[str, dict[str, Any]]] = []  # a store listener sees emitted events; delivery is tested elsewhere
    fresh_sandbox.store.add_listener(lambda event_type, payload: events.append((event_type, payload)))
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as client:
        promotion = client.promotions.create(name="Evented", description="events")
        voucher = client.vouchers.create(promotion.uuid, contact_uuid=ids.TOM)
        client.vouchers.update(voucher.uuid, custom_attributes={"plu": "E-1"})
        client.vouchers.redeem(voucher.code, shop_uuid=SHOP)
    mine = [
        (t, p)
        for t, p in events
        if (p.get("voucher") or p.get("promotion") or {}).get("uuid") in (voucher.uuid, promotion.uuid)
    ]
    assert [t for t, _ in mine] == ["promotion_updated", "voucher_created", "voucher_updated", "voucher_redeemed"]
    assert mine[-1][1]["voucher"]["status"] == "REDEEMED" and mine[-1][1]["voucher"]["code"] == voucher.code
    assert mine[0][1]["promotion"]["name"] == "Evented"
