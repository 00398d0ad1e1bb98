"""Promotions, promotion attributes and vouchers through the real client (sync and async) against the sandbox.

Contract tests: every client method once, with its real side effect checked through the API or the audit log.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError
from piggy_agent_tools.models.promotions import Promotion
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed import vouchers as seeded


def _promotion(client: PiggyClient, **rules: Any) -> Promotion:
    """A promotion of this test's own, so voucher limits are never shared with other tests."""
    return client.promotions.create(name=f"Test {uuid.uuid4().hex[:6]}", description="A test campaign", **rules)


def _name() -> str:
    return f"attr_{uuid.uuid4().hex[:8]}"


# --- promotions -------------------------------------------------------------------------------------------------


def test_list_promotions_includes_the_seeded_campaigns_with_attribute_values(client: PiggyClient) -> None:
    promotions = {p.uuid: p for p in client.promotions.list()}
    spring = promotions[seeded.PROMO_SPRING]
    assert spring.name == "Spring 10% off" and spring.attributes["discount_pct"] == "10"
    assert spring.type == "SINGLE_USE" and spring.redemptions_per_voucher == 1
    assert promotions[seeded.PROMO_COFFEE_CARD].redemptions_per_voucher == 5


def test_get_promotion_returns_it_and_an_unknown_one_is_80002(client: PiggyClient) -> None:
    assert client.promotions.get(seeded.PROMO_FREE_COFFEE).limit_per_contact == 1
    with pytest.raises(NotFoundError) as caught:
        client.promotions.get(ids.fixed("promotion", "nothing"))
    assert caught.value.code == 80002 and caught.value.message == "Promotion not found."


def test_create_promotion_stores_its_rules(client: PiggyClient, sandbox: Sandbox) -> None:
    created = _promotion(client, voucher_limit=30, limit_per_contact=10, redemptions_per_voucher=3)
    again = client.promotions.get(created.uuid)
    assert (again.voucher_limit, again.limit_per_contact, again.redemptions_per_voucher) == (30, 10, 3)
    assert again.type == "MULTI_USE"
    assert any(r["args"].get("name") == created.name for r in sandbox.audit("promotions.create"))


async def test_async_promotions_list_get_and_create(aclient: AsyncPiggyClient) -> None:
    created = await aclient.promotions.create(name="Async campaign", description="made async", voucher_limit=2)
    assert (await aclient.promotions.get(created.uuid)).voucher_limit == 2
    assert created.uuid in {p.uuid for p in await aclient.promotions.list()}


# --- promotion attributes ---------------------------------------------------------------------------------------


def test_promotion_attributes_list_has_the_seeded_definitions(client: PiggyClient) -> None:
    names = {a.name: a for a in client.promotion_attributes.list()}
    assert names["discount_pct"].type == "number" and names["plu"].label == "PLU"


def test_create_and_get_a_select_promotion_attribute(client: PiggyClient) -> None:
    name = _name()
    options = [{"label": "More", "value": "more"}, {"label": "Less", "value": "less"}]
    created = client.promotion_attributes.create(name=name, label="Portion", type="select", options=options)
    fetched = client.promotion_attributes.get(created.id)
    assert fetched.name == name and [o.value for o in fetched.options] == ["more", "less"]
    assert name in client.promotions.get(seeded.PROMO_SPRING).attributes


def test_creating_a_promotion_attribute_twice_conflicts_with_60009(client: PiggyClient) -> None:
    name = _name()
    client.promotion_attributes.create(name=name, label="Once", type="text")
    with pytest.raises(ConflictError) as caught:
        client.promotion_attributes.create(name=name, label="Twice", type="text")
    assert caught.value.code == 60009


def test_update_promotion_attribute_changes_label_and_placeholder(client: PiggyClient) -> None:
    created = client.promotion_attributes.create(name=_name(), label="Old", type="text")
    client.promotion_attributes.update(created.id, label="New", placeholder="e.g. ABC")
    fetched = client.promotion_attributes.get(created.id)
    assert (fetched.label, fetched.placeholder) == ("New", "e.g. ABC")


def test_unknown_promotion_attribute_id_is_not_found(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError):
        client.promotion_attributes.get(987654)


async def test_async_promotion_attributes_create_get_update_list(aclient: AsyncPiggyClient) -> None:
    created = await aclient.promotion_attributes.create(name=_name(), label="Async", type="text")
    await aclient.promotion_attributes.update(created.id, description="changed")
    assert (await aclient.promotion_attributes.get(created.id)).description == "changed"
    assert created.id in {a.id for a in await aclient.promotion_attributes.list()}


# --- vouchers: create, batch, list, find, update ----------------------------------------------------------------


def test_create_voucher_copies_the_promotion_and_links_the_contact(client: PiggyClient, sandbox: Sandbox) -> None:
    promotion = _promotion(client, expiration_duration=86400)
    voucher = client.vouchers.create(promotion.uuid, contact_uuid=ids.JANE, code=f"T-{uuid.uuid4().hex[:8]}")
    assert voucher.status == "ACTIVE" and voucher.name == promotion.name
    assert voucher.contact is not None and voucher.contact.email == "jane.doe@example.com"
    assert voucher.promotion is not None and voucher.promotion.uuid == promotion.uuid
    assert voucher.total_redemptions_allowed == 1 and voucher.redemptions_remaining == 1
    assert voucher.expiration_date is not None and voucher.expiration_date > (voucher.activation_date or "")
    assert client.vouchers.find(voucher.code).uuid == voucher.uuid
    assert sandbox.audit("vouchers.create")


def test_create_voucher_generates_a_code_when_omitted(client: PiggyClient) -> None:
    voucher = client.vouchers.create(_promotion(client).uuid)
    assert len(voucher.code) == 9 and voucher.code.startswith("V") and voucher.contact is None


def test_batch_answers_a_pending_job_and_makes_the_vouchers(client: PiggyClient) -> None:
    promotion = _promotion(client)
    job = client.vouchers.batch(promotion.uuid, 7, contact_uuid=ids.TOM)
    assert (job.type, job.quantity, job.status) == ("vouchers", 7, "PENDING")
    assert job.created_at is not None and "T" not in job.created_at  # the display format "YYYY-MM-DD, HH:MM"
    made = client.vouchers.list(promotion_uuid=promotion.uuid)
    assert made.total == 7 and all(v.contact is not None and v.contact.uuid == ids.TOM for v in made.items)


def test_batch_answers_http_201(sandbox: Sandbox, client: PiggyClient) -> None:
    promotion = _promotion(client)
    with sandbox.http() as http:
        answer = http.post(
            "/api/v3/oauth/clients/vouchers/batch",
            json={"promotion_uuid": promotion.uuid, "quantity": 2},
            headers={"Authorization": f"Bearer {sandbox.api_key}"},
        )
    assert answer.status_code == 201 and answer.json()["meta"] == []


def test_list_vouchers_pages_follow_meta_format_b(client: PiggyClient) -> None:
    promotion = _promotion(client)
    client.vouchers.batch(promotion.uuid, 5)
    first = client.vouchers.list(promotion_uuid=promotion.uuid, limit=2)
    assert (first.page, first.per_page, first.total, first.last_page) == (1, 2, 5, 3) and first.has_more
    everything = list(client.vouchers.iter_all(promotion_uuid=promotion.uuid, limit=2))
    assert len({v.uuid for v in everything}) == 5


def test_list_vouchers_filters_by_contact_and_status(client: PiggyClient) -> None:
    janes = client.vouchers.list(contact_uuid=ids.JANE, status="EXPIRED", limit=100)
    assert seeded.VOUCHER_XMAS in {v.code for v in janes.items}
    assert all(v.status == "EXPIRED" and v.contact and v.contact.uuid == ids.JANE for v in janes.items)


def test_list_vouchers_raw_envelope_has_laravel_links_and_string_per_page(sandbox: Sandbox) -> None:
    with sandbox.http() as http:
        body = http.get(
            "/api/v3/oauth/clients/vouchers",
            params={"limit": 2},
            headers={"Authorization": f"Bearer {sandbox.api_key}"},
        ).json()
    assert set(body) == {"data", "links", "meta"} and body["links"]["prev"] is None
    assert body["meta"]["per_page"] == "2" and body["meta"]["path"].endswith("/api/v3/oauth/clients/vouchers")
    assert body["meta"]["links"][0]["label"] == "pagination.previous"


def test_find_unknown_code_is_80004(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.vouchers.find("NO-SUCH-CODE")
    assert caught.value.code == 80004 and caught.value.message == "Voucher not found."


def test_update_deactivates_reactivates_and_sets_attributes(client: PiggyClient) -> None:
    voucher = client.vouchers.create(seeded.PROMO_SPRING)
    assert client.vouchers.update(voucher.uuid, status="DEACTIVATED").status == "DEACTIVATED"
    assert client.vouchers.find(voucher.code).status == "DEACTIVATED"
    updated = client.vouchers.update(voucher.uuid, status="ACTIVE", custom_attributes={"plu": "X-1"})
    assert updated.status == "ACTIVE" and updated.attributes["plu"] == "X-1"
    moved = client.vouchers.update(voucher.uuid, expiration_date="2031-01-01T12:00:00+02:00")
    assert moved.expiration_date == "2031-01-01T10:00:00+00:00"  # stored in UTC


async def test_async_create_batch_list_find_update(aclient: AsyncPiggyClient) -> None:
    promotion = await aclient.promotions.create(name="Async vouchers", description="async")
    voucher = await aclient.vouchers.create(promotion.uuid, contact_uuid=ids.TOM)
    job = await aclient.vouchers.batch(promotion.uuid, 2)
    assert job.quantity == 2
    assert (await aclient.vouchers.list(promotion_uuid=promotion.uuid)).total == 3
    assert (await aclient.vouchers.find(voucher.code)).uuid == voucher.uuid
    assert (await aclient.vouchers.update(voucher.uuid, status="DEACTIVATED")).status == "DEACTIVATED"


# --- vouchers: validate, redeem, multi-redeem, lock, release, reverse ------------------------------------------


def test_validate_passes_for_a_usable_voucher(client: PiggyClient) -> None:
    voucher = client.vouchers.create(seeded.PROMO_SPRING, contact_uuid=ids.TOM)
    checked = client.vouchers.validate(voucher.uuid, shop_uuid=ids.SHOP_AMSTERDAM)
    assert checked.uuid == voucher.uuid and checked.times_redeemed == 0


def test_redeem_uses_the_voucher_and_returns_the_redemption(client: PiggyClient, sandbox: Sandbox) -> None:
    voucher = client.vouchers.create(seeded.PROMO_SPRING, contact_uuid=ids.TOM)
    redeemed = client.vouchers.redeem(voucher.code, shop_uuid=ids.SHOP_AMSTERDAM)
    assert (redeemed.status, redeemed.is_redeemed, redeemed.times_redeemed) == ("REDEEMED", True, 1)
    assert redeemed.redeemed_at is not None and redeemed.voucher_redemption is not None
    assert client.vouchers.find(voucher.code).status == "REDEEMED"
    rows = [r for r in sandbox.audit("vouchers.redeem") if r["args"].get("voucher_uuid") == voucher.uuid]
    assert len(rows) == 1 and rows[0]["args"]["code"] == "***"


def test_multi_redeem_uses_a_multi_use_voucher_several_times(client: PiggyClient) -> None:
    voucher = client.vouchers.create(seeded.PROMO_COFFEE_CARD, contact_uuid=ids.JANE)
    result = client.vouchers.multi_redeem(voucher.code, 3, shop_uuid=ids.SHOP_AMSTERDAM)
    assert len(result.voucher_redemptions) == 3
    assert (result.voucher.times_redeemed, result.voucher.redemptions_remaining) == (3, 2)
    assert result.voucher.status == "ACTIVE" and not result.voucher.is_redeemed


def test_lock_then_release_with_the_key(client: PiggyClient) -> None:
    voucher = client.vouchers.create(seeded.PROMO_SPRING)
    locked = client.vouchers.lock(voucher.uuid)
    assert locked.voucher.status == "LOCKED" and locked.lock.release_key and locked.lock.unlocked_at is None
    assert locked.lock.system_release_at is not None and locked.lock.locked_at is not None
    assert client.vouchers.find(voucher.code).status == "LOCKED"
    released = client.vouchers.release(voucher.uuid, release_key=locked.lock.release_key)
    assert released.voucher.status == "ACTIVE" and released.lock.unlocked_at is not None
    assert released.lock.system_release_at is None


def test_reverse_gives_the_use_back(client: PiggyClient) -> None:
    voucher = client.vouchers.create(seeded.PROMO_SPRING, contact_uuid=ids.TOM)
    redeemed = client.vouchers.redeem(voucher.code, shop_uuid=ids.SHOP_WEB)
    assert redeemed.voucher_redemption is not None
    after = client.vouchers.reverse(redeemed.voucher_redemption.uuid)
    assert (after.status, after.times_redeemed, after.redeemed_at, after.is_redeemed) == ("ACTIVE", 0, None, False)
    assert client.vouchers.redeem(voucher.code, shop_uuid=ids.SHOP_WEB).status == "REDEEMED"


async def test_async_validate_redeem_multi_lock_release_reverse(aclient: AsyncPiggyClient) -> None:
    voucher = await aclient.vouchers.create(seeded.PROMO_SPRING, contact_uuid=ids.TOM)
    assert (await aclient.vouchers.validate(voucher.uuid, shop_uuid=ids.SHOP_WEB)).status == "ACTIVE"
    lock = await aclient.vouchers.lock(voucher.uuid)
    assert (await aclient.vouchers.release(voucher.uuid, release_key=lock.lock.release_key or "")).voucher.status == (
        "ACTIVE"
    )
    redeemed = await aclient.vouchers.redeem(voucher.code, shop_uuid=ids.SHOP_WEB)
    assert redeemed.voucher_redemption is not None
    assert (await aclient.vouchers.reverse(redeemed.voucher_redemption.uuid)).times_redeemed == 0
    card = await aclient.vouchers.create(seeded.PROMO_COFFEE_CARD, contact_uuid=ids.TOM)
    multi = await aclient.vouchers.multi_redeem(card.code, 5, shop_uuid=ids.SHOP_WEB)
    assert multi.voucher.status == "REDEEMED" and len(multi.voucher_redemptions) == 5
