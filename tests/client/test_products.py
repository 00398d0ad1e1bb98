"""Products and product categories through the real client (sync and async) against the sandbox.

Contract tests for every method; uniqueness and find-or-create rules are in tests/sandbox/test_commerce_rules.py.
"""

from __future__ import annotations

import uuid

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import orders as seeded


def _ext(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def test_seeded_products_list_with_meta_format_a_and_their_categories(client: PiggyClient, sandbox: Sandbox) -> None:
    raw = sandbox.http().get("/api/v3/oauth/clients/products", params={"limit": 3}).json()
    assert set(raw["meta"]) == {"page", "limit", "viewing_from", "viewing_to", "last_page", "total"}
    assert raw["meta"]["viewing_to"] == 3
    espresso = client.products.get(seeded.product_uuid("espresso"))
    assert espresso.name == "Espresso" and [c.uuid for c in espresso.categories] == [seeded.COFFEE]
    everything = list(client.products.iter_all(limit=3))
    assert {seeded.product_uuid(key) for key in seeded.PRICES} <= {p.uuid for p in everything}


def test_create_get_find_update_and_delete_a_product(client: PiggyClient, sandbox: Sandbox) -> None:
    external = _ext("sku")
    created = client.products.create(
        external_identifier=external,
        name="Oat Latte",
        description="With oat milk",
        categories=[{"uuid": seeded.COFFEE}],
    )
    assert created.external_identifier == external and created.categories[0].name == "Coffee"
    assert client.products.get(created.uuid).description == "With oat milk"
    assert client.products.find(external).uuid == created.uuid
    updated = client.products.update(
        created.uuid, name="Oat Flat White", categories=[{"external_identifier": "cat-tea"}]
    )
    assert updated.name == "Oat Flat White" and [c.uuid for c in updated.categories] == [seeded.TEA]
    assert updated.description == "With oat milk"
    client.products.delete(created.uuid)
    assert any(row["args"]["product_uuid"] == created.uuid for row in sandbox.audit("products.delete"))
    with pytest.raises(NotFoundError) as caught:
        client.products.get(created.uuid)
    assert caught.value.code == 60013


def test_batch_imports_products_and_find_or_create_returns_one(client: PiggyClient) -> None:
    first, second = _ext("b1"), _ext("b2")
    imported = client.products.batch(
        [{"external_identifier": first, "name": "Muffin"}, {"external_identifier": second, "name": "Scone"}]
    )
    assert [p.external_identifier for p in imported] == [first, second]
    assert client.products.find(second).name == "Scone"
    made = client.products.find_or_create(external_identifier=_ext("foc"), name="Cookie")
    assert made.name == "Cookie" and client.products.get(made.uuid).uuid == made.uuid


def test_categories_create_get_find_update_list_batch_and_delete(client: PiggyClient, sandbox: Sandbox) -> None:
    external = _ext("cat")
    category = client.product_categories.create(external_identifier=external, name="Cold drinks")
    assert client.product_categories.get(category.uuid).name == "Cold drinks"
    assert client.product_categories.find(external).uuid == category.uuid
    renamed = client.product_categories.update(category.uuid, name="Iced drinks")
    assert renamed.name == "Iced drinks" and renamed.external_identifier == external
    batch = client.product_categories.batch([{"external_identifier": _ext("cb"), "name": "Soups"}])
    assert batch[0].name == "Soups"
    assert client.product_categories.find_or_create(external_identifier=external).uuid == category.uuid
    listed = client.product_categories.list(limit=100)
    assert {seeded.COFFEE, category.uuid, batch[0].uuid} <= {c.uuid for c in listed.items}
    raw = sandbox.http().get("/api/v3/oauth/clients/product-categories").json()
    assert set(raw["meta"]) == {"page", "limit", "viewing_from", "viewing_to", "last_page", "total"}
    client.product_categories.delete(category.uuid)
    with pytest.raises(NotFoundError):
        client.product_categories.find(external)


async def test_async_client_covers_products_and_categories(aclient: AsyncPiggyClient) -> None:
    category = await aclient.product_categories.create(external_identifier=_ext("acat"), name="Async")
    assert (await aclient.product_categories.get(category.uuid)).name == "Async"
    assert (await aclient.product_categories.find(category.external_identifier)).uuid == category.uuid
    assert (await aclient.product_categories.update(category.uuid, name="Async 2")).name == "Async 2"
    assert (
        await aclient.product_categories.find_or_create(external_identifier=category.external_identifier)
    ).name == "Async 2"
    assert len(await aclient.product_categories.batch([{"external_identifier": _ext("acb"), "name": "B"}])) == 1
    assert (await aclient.product_categories.list()).total
    product = await aclient.products.create(
        external_identifier=_ext("asku"), name="Tea", categories=[{"uuid": category.uuid}]
    )
    assert (await aclient.products.get(product.uuid)).categories[0].uuid == category.uuid
    assert (await aclient.products.find(product.external_identifier)).uuid == product.uuid
    assert (await aclient.products.update(product.uuid, description="Green")).description == "Green"
    assert (await aclient.products.find_or_create(external_identifier=product.external_identifier)).uuid == product.uuid
    assert len(await aclient.products.batch([{"external_identifier": _ext("ab"), "name": "X"}])) == 1
    assert (await aclient.products.list(limit=2)).per_page == 2
    await aclient.product_categories.delete(category.uuid)
    assert (await aclient.products.get(product.uuid)).categories == []
    await aclient.products.delete(product.uuid)
    with pytest.raises(NotFoundError):
        await aclient.products.find(product.external_identifier)
