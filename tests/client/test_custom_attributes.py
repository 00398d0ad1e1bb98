"""Generic custom attributes and their groups through the real client (sync and async) against the sandbox.

Covers the name uniqueness (60009), the data type vocabulary, update by name and the 201 answers of creates.
"""

from __future__ import annotations

import uuid

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def test_listing_voucher_attributes_returns_the_seeded_ones_with_their_group(client: PiggyClient) -> None:
    by_name = {a.name: a for a in client.custom_attributes.list("voucher")}
    assert by_name["table_number"].type == "number"
    assert by_name["table_number"].group is not None and by_name["table_number"].group_name == "integration_values"
    assert [o.value for o in by_name["serving_size"].options] == ["small", "large"]
    assert all(a.entity == "voucher" for a in by_name.values())


async def test_async_listing_contact_attributes_includes_system_and_custom_ones(aclient: AsyncPiggyClient) -> None:
    by_name = {a.name: a for a in await aclient.custom_attributes.list("contact")}
    assert by_name["firstname"].is_piggy_defined is True
    assert by_name["favourite_drink"].is_piggy_defined is False


def test_listing_without_an_entity_is_refused_with_1003(sandbox: Sandbox) -> None:
    with sandbox.http() as http:
        answer = http.get("/api/v3/oauth/clients/custom-attributes")
    assert answer.status_code == 400 and answer.json()["code"] == 1003 and "entity" in answer.json()["errors"]


def test_creating_an_attribute_answers_201_and_stores_it(client: PiggyClient, sandbox: Sandbox) -> None:
    name = _name("occasion")
    created = client.custom_attributes.create(
        entity="giftcard",
        name=name,
        label="Occasion",
        type="select",
        options=[{"label": "Birthday", "value": 1}, {"label": "Wedding", "value": 2}],
        description="Why it was bought",
    )
    assert created.name == name and created.entity == "giftcard" and created.type == "select"
    assert [(o.value, o.label) for o in created.options] == [("1", "Birthday"), ("2", "Wedding")]
    assert name in {a.name for a in client.custom_attributes.list("giftcard")}
    assert any(row["args"]["name"] == name for row in sandbox.audit("custom_attributes.create"))
    with sandbox.http() as http:
        raw = http.post(
            "/api/v3/oauth/clients/custom-attributes",
            json={"entity": "booking", "name": _name("note"), "label": "Note", "type": "text"},
        )
    assert raw.status_code == 201 and raw.json()["meta"] == []


async def test_async_create_makes_a_contact_attribute_usable_on_contacts(
    aclient: AsyncPiggyClient, new_email: str
) -> None:
    name = _name("shoe_size")
    await aclient.custom_attributes.create(entity="contact", name=name, label="Shoe size", type="number")
    ref = await aclient.contacts.create(new_email)
    updated = await aclient.contacts.update(ref.uuid, attributes={name: "42"})
    assert updated.current_values[name] == 42


def test_a_taken_name_conflicts_with_60009_per_entity(client: PiggyClient) -> None:
    name = _name("colour")
    client.custom_attributes.create(entity="voucher", name=name, label="Colour", type="color")
    with pytest.raises(ConflictError) as caught:
        client.custom_attributes.create(entity="voucher", name=name, label="Again", type="text")
    assert caught.value.code == 60009 and "Attribute already exists." in str(caught.value)
    with pytest.raises(ConflictError):
        client.custom_attributes.create(entity="contact", name="firstname", label="First", type="text")
    other = client.custom_attributes.create(entity="giftcard", name=name, label="Colour", type="color")
    assert other.entity == "giftcard"


def test_type_must_be_in_the_vocabulary_and_selects_need_options(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.custom_attributes.create(entity="voucher", name=_name("x"), label="X", type="string")
    assert caught.value.code == 1003 and "type" in caught.value.errors
    with pytest.raises(InvalidRequestError) as caught:
        client.custom_attributes.create(entity="voucher", name=_name("x"), label="X", type="multi_select")
    assert "options" in caught.value.errors
    with pytest.raises(InvalidRequestError) as caught:
        client.custom_attributes.create(entity="planet", name=_name("x"), label="X", type="text")
    assert "entity" in caught.value.errors


def test_update_by_name_changes_label_description_and_options_only(client: PiggyClient) -> None:
    name = _name("size")
    client.custom_attributes.create(
        entity="voucher", name=name, label="Size", type="select", options=[{"label": "S", "value": "s"}]
    )
    updated = client.custom_attributes.update(
        name,
        entity="voucher",
        label="Cup size",
        description="Cup",
        options=[{"label": "S", "value": "s"}, {"label": "L", "value": "l"}],
    )
    assert (updated.name, updated.label, updated.description, updated.type) == (name, "Cup size", "Cup", "select")
    listed = {a.name: a for a in client.custom_attributes.list("voucher")}[name]
    assert [o.value for o in listed.options] == ["s", "l"] and listed.label == "Cup size"


async def test_async_update_moves_an_attribute_into_a_group(aclient: AsyncPiggyClient) -> None:
    name = _name("lane")
    await aclient.custom_attributes.create(entity="voucher", name=name, label="Lane", type="text")
    updated = await aclient.custom_attributes.update(name, entity="voucher", group_name="integration_values")
    assert updated.group_name == "integration_values"
    assert updated.group is not None and updated.group.name == "integration_values"


def test_update_refuses_system_attributes_unknown_names_and_options_on_non_selects(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError):
        client.custom_attributes.update("firstname", entity="contact", label="Given name")
    with pytest.raises(NotFoundError) as caught:
        client.custom_attributes.update(_name("nope"), entity="voucher", label="Nope")
    assert caught.value.code == 60013
    with pytest.raises(InvalidRequestError) as invalid:
        client.custom_attributes.update("table_number", entity="voucher", options=[{"label": "A", "value": "a"}])
    assert "options" in invalid.value.errors


def test_groups_list_and_create_with_201_and_unique_names(client: PiggyClient, sandbox: Sandbox) -> None:
    assert "preferences" in {g.name for g in client.custom_attribute_groups.list("contact")}
    name = _name("pos_values")
    group = client.custom_attribute_groups.create(entity="giftcard", name=name, label="POS values")
    assert (group.name, group.entity, group.label) == (name, "giftcard", "POS values")
    assert name in {g.name for g in client.custom_attribute_groups.list("giftcard")}
    assert name not in {g.name for g in client.custom_attribute_groups.list("voucher")}
    with pytest.raises(InvalidRequestError) as caught:
        client.custom_attribute_groups.create(entity="giftcard", name=name)
    assert "name" in caught.value.errors
    with sandbox.http() as http:
        raw = http.post(
            "/api/v3/oauth/clients/custom-attribute-groups",
            data={"entity": "voucher", "name": _name("g"), "label": "G"},
        )
    assert raw.status_code == 201 and set(raw.json()["data"]) == {"entity", "name", "label", "created_at"}


async def test_async_group_create_then_attribute_in_it(aclient: AsyncPiggyClient) -> None:
    group = _name("kitchen")
    await aclient.custom_attribute_groups.create(entity="booking", name=group)
    assert group in {g.name for g in await aclient.custom_attribute_groups.list("booking")}
    attribute = await aclient.custom_attributes.create(
        entity="booking", name=_name("table"), label="Table", type="number", group_name=group
    )
    assert attribute.group_name == group
    with pytest.raises(InvalidRequestError) as caught:
        await aclient.custom_attributes.create(
            entity="booking", name=_name("table"), label="Table", type="number", group_name=_name("missing")
        )
    assert "group_name" in caught.value.errors
