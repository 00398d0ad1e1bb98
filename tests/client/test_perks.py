"""Perks of tiers through the real client (sync and async): exactly one default option, label-only updates, 110000."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import engagement, ids

BOOLEAN = [{"label": "Yes", "value": "true", "default": True}, {"label": "No", "value": "false", "default": False}]


def _name() -> str:
    return f"perk_{uuid.uuid4().hex[:8]}"


def _select(defaults: tuple[bool, ...]) -> list[dict[str, Any]]:
    return [{"label": f"Option {i}", "value": f"v{i}", "default": d} for i, d in enumerate(defaults)]


def test_list_returns_the_seeded_perks_with_their_options(client: PiggyClient) -> None:
    by_uuid = {p.uuid: p for p in client.perks.list()}
    refill = by_uuid[engagement.PERK_FREE_REFILL]
    assert (refill.name, refill.data_type) == ("free_refill", "boolean")
    assert [o.value for o in refill.options if o.default] == ["false"]


async def test_async_list_and_get_return_the_same_perk(aclient: AsyncPiggyClient) -> None:
    listed = {p.uuid: p for p in await aclient.perks.list()}
    got = await aclient.perks.get(engagement.PERK_BIRTHDAY_TREAT)
    assert got == listed[engagement.PERK_BIRTHDAY_TREAT]
    assert got.data_type == "single_select" and len(got.options) == 3


def test_create_then_get_returns_the_perk_and_gives_every_tier_the_default(
    client: PiggyClient, sandbox: Sandbox
) -> None:
    name = _name()
    created = client.perks.create(
        name=name, label="Free oat milk", data_type="single_select", options=_select((False, True))
    )
    assert (created.name, created.label, created.data_type) == (name, "Free oat milk", "single_select")
    assert client.perks.get(created.uuid) == created
    with sandbox.store.tx() as tx:
        stored = tx.get("perk", created.uuid)
    assert stored is not None
    assert stored["tier_values"] == {t: "v1" for t in (ids.TIER_BRONZE, ids.TIER_SILVER, ids.TIER_GOLD)}


async def test_async_create_a_boolean_perk(aclient: AsyncPiggyClient) -> None:
    created = await aclient.perks.create(name=_name(), label="Priority queue", data_type="boolean", options=BOOLEAN)
    assert [(o.value, o.default) for o in created.options] == [("true", True), ("false", False)]


@pytest.mark.parametrize("defaults", [(True, True), (False, False)])
def test_options_need_exactly_one_default(client: PiggyClient, defaults: tuple[bool, ...]) -> None:
    name = _name()
    with pytest.raises(InvalidRequestError) as caught:
        client.perks.create(name=name, label="Bad", data_type="single_select", options=_select(defaults))
    assert caught.value.code == 1003 and "options" in caught.value.errors
    assert name not in {p.name for p in client.perks.list()}


def test_a_boolean_perk_only_takes_true_and_false(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.perks.create(name=_name(), label="Bad", data_type="boolean", options=_select((True, False)))
    assert "options" in caught.value.errors


def test_a_perk_name_is_unique_and_the_sdk_spelling_data_type_is_accepted(sandbox: Sandbox) -> None:
    body = {"name": _name(), "label": "Refill", "dataType": "boolean", "options": BOOLEAN}
    with sandbox.http() as http:
        first = http.post("/api/v3/oauth/clients/perks", json=body)
        second = http.post("/api/v3/oauth/clients/perks", json=body)
    assert first.status_code == 200 and first.json()["data"]["data_type"] == "boolean"
    assert second.status_code == 400 and second.json()["code"] == 1003 and "name" in second.json()["errors"]


def test_update_changes_only_the_label(client: PiggyClient, sandbox: Sandbox) -> None:
    created = client.perks.create(name=_name(), label="Old", data_type="boolean", options=BOOLEAN)
    with sandbox.http() as http:
        answer = http.put(
            f"/api/v3/oauth/clients/perks/{created.uuid}", data={"label": "New", "name": "renamed", "data_type": "x"}
        )
    assert answer.status_code == 200
    after = client.perks.get(created.uuid)
    assert (after.label, after.name, after.data_type, after.options) == (
        "New",
        created.name,
        "boolean",
        created.options,
    )
    assert client.perks.update(created.uuid, label="Newer").label == "Newer"


async def test_async_update_and_delete(aclient: AsyncPiggyClient, sandbox: Sandbox) -> None:
    created = await aclient.perks.create(name=_name(), label="Temp", data_type="boolean", options=BOOLEAN)
    assert (await aclient.perks.update(created.uuid, label="Temp 2")).label == "Temp 2"
    await aclient.perks.delete(created.uuid)
    with pytest.raises(NotFoundError):
        await aclient.perks.get(created.uuid)
    assert any(row["args"]["perk_uuid"] == created.uuid for row in sandbox.audit("perks.delete"))


def test_deleted_or_unknown_perks_are_not_found_with_110000(client: PiggyClient) -> None:
    created = client.perks.create(name=_name(), label="Gone", data_type="boolean", options=BOOLEAN)
    client.perks.delete(created.uuid)
    assert created.uuid not in {p.uuid for p in client.perks.list()}
    for call in (
        lambda: client.perks.get(created.uuid),
        lambda: client.perks.update(created.uuid, label="x"),
        lambda: client.perks.delete(created.uuid),
    ):
        with pytest.raises(NotFoundError) as caught:
            call()
        assert caught.value.code == 110000 and "Perk not found." in str(caught.value)
