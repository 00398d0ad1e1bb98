"""The whole contacts group (core contact tools plus the subscription, attribute and portal extras) in customer-scoped
mode: a customer's agent can read and change only its own contact, whatever arguments the model tries.

Writes run on a toolkit bound to a fresh contact; Jane and Tom (seeded) are only read, and must stay as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.attributes import SUBSCRIPTION_FUNCTIONAL, SUBSCRIPTION_MARKETING
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.tools.helpers import acall, call, content

TOM_EMAIL = "tom.berg@example.com"
SCOPED_CONTACT_TOOLS = {
    "get_contact",
    "update_contact",
    "delete_contact",
    "list_contact_attributes",
    "list_subscription_types",
    "list_contact_subscriptions",
    "subscribe_contact",
    "unsubscribe_contact",
    "get_contacts_portal_url",
}
# Arguments a model might try in order to reach Tom from a toolkit bound to someone else.
HOSTILE: list[dict[str, Any]] = [
    {"contact_uuid": ids.TOM},
    {"email": TOM_EMAIL},
    {"contact_uuid": ids.TOM, "email": TOM_EMAIL},
    {"contact_uuid": "../" + ids.TOM},
    {"anonymous_contact_uuid": ids.TOM, "source_contact_uuid": ids.TOM, "destination_contact_uuid": ids.TOM},
]
# The required arguments of each tool other than contact_uuid (delete_contact has its own test).
BASE_ARGS: dict[str, dict[str, Any]] = {
    "get_contact": {},
    "update_contact": {"attributes": {"city": "Scopeville"}},
    "list_contact_attributes": {},
    "list_subscription_types": {},
    "list_contact_subscriptions": {},
    "subscribe_contact": {"subscription_type_uuid": SUBSCRIPTION_MARKETING},
    "unsubscribe_contact": {"subscription_type_uuid": SUBSCRIPTION_FUNCTIONAL},
    "get_contacts_portal_url": {},
}

MakeToolkit = Callable[..., PiggyToolkit]


@pytest.fixture
def mine(client: PiggyClient, new_email: str) -> str:
    """A fresh contact the scoped toolkit is bound to (it may be changed, even deleted)."""
    return client.contacts.create(new_email).uuid


def _statuses(client: PiggyClient, contact_uuid: str) -> dict[str | None, Any]:
    return {
        s.subscription_type.uuid: s.status
        for s in client.contact_subscriptions.list(contact_uuid)
        if s.subscription_type
    }


def _snapshot(client: PiggyClient, contact_uuid: str) -> dict[str, Any]:
    """Everything a contact tool could change about a contact."""
    contact = client.contacts.get(contact_uuid)
    return {
        "email": contact.email,
        "values": contact.current_values,
        "subscriptions": _statuses(client, contact_uuid),
    }


def _token_owner(client: PiggyClient, url: str) -> str | None:
    session = client.contact_session_tokens.get(parse_qs(urlparse(url).query)["token"][0])
    return session.contact.uuid if session.contact else None


def test_scoped_contacts_group_keeps_only_tools_bound_to_the_customer(make_toolkit: MakeToolkit) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE, groups=["contacts", "profile"])
    assert {t.name for t in scoped.get_tools()} == SCOPED_CONTACT_TOOLS
    for tool in scoped.get_tools():
        assert "contact_uuid" not in tool.args and "anonymous_contact_uuid" not in tool.args, tool.name
    assert "email" not in {a for t in scoped.get_tools() if t.name == "get_contact" for a in t.args}
    staff = {t.name for t in make_toolkit(groups=["contacts", "profile"]).get_tools()}
    assert staff - SCOPED_CONTACT_TOOLS == {
        "list_contacts",
        "create_contact",
        "find_or_create_contact",
        "create_anonymous_contact",
        "claim_anonymous_contact",
    }


def _refused_naming(message: Any, hostile: dict[str, Any]) -> bool:
    """A stray name the tool does not take is refused, by name, before anything is sent."""
    text = str(message.content)
    return message.status == "error" and "nothing was sent" in text and any(f"{k}" in text for k in hostile)


def test_scoped_reads_only_ever_show_the_bound_contact(make_toolkit: MakeToolkit, client: PiggyClient) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE, groups=["contacts", "profile"])
    for hostile in HOSTILE:
        got = call(scoped, "get_contact", **hostile)
        assert _refused_naming(got, hostile) or content(got)["uuid"] == ids.JANE
        listed = call(scoped, "list_contact_subscriptions", **hostile)
        assert _refused_naming(listed, hostile) or {
            s["subscription_type_uuid"]: s["status"] for s in content(listed)["subscriptions"]
        } == _statuses(client, ids.JANE)
        portal = call(scoped, "get_contacts_portal_url", **hostile)
        assert _refused_naming(portal, hostile) or (
            content(portal)["contact_uuid"] == ids.JANE and _token_owner(client, content(portal)["url"]) == ids.JANE
        )
    # The contact's own argument, repeated with another value, is overridden (the bound contact), not refused.
    assert content(call(scoped, "get_contact", contact_uuid=ids.TOM))["uuid"] == ids.JANE


def test_scoped_shared_reads_are_account_data_not_another_contact(make_toolkit: MakeToolkit) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE, groups=["contacts", "profile"])
    for name in ("list_contact_attributes", "list_subscription_types"):
        refused = call(scoped, name, contact_uuid=ids.TOM)
        assert _refused_naming(refused, {"contact_uuid": 1}) and ids.TOM not in str(refused.content)
        seen = call(scoped, name)
        assert ids.TOM not in str(seen.content) and TOM_EMAIL not in str(seen.content) and content(seen)["total"] > 0


def test_no_contacts_tool_reaches_another_contact_whatever_the_arguments(
    make_toolkit: MakeToolkit, client: PiggyClient, sandbox: Sandbox, mine: str
) -> None:
    scoped = make_toolkit(contact_uuid=mine, groups=["contacts", "profile"])
    tom_before, jane_before = _snapshot(client, ids.TOM), _snapshot(client, ids.JANE)
    first_row = len(sandbox.audit())
    for name, base in BASE_ARGS.items():
        for hostile in HOSTILE:
            message = call(scoped, name, **{**base, **hostile})
            if _refused_naming(message, hostile):
                continue
            assert message.status != "error", (name, hostile, message.content)
            assert ids.TOM not in str(message.content) and TOM_EMAIL not in str(message.content), name
            assert ids.JANE not in str(message.content), name
    assert _snapshot(client, ids.TOM) == tom_before and _snapshot(client, ids.JANE) == jane_before
    rows = sandbox.audit()[first_row:]
    assert rows and all(ids.TOM not in json.dumps(r) and ids.JANE not in json.dumps(r) for r in rows)
    touched = {r["args"].get("contact_uuid") for r in rows}
    assert touched == {mine}
    after = _snapshot(client, mine)
    assert after["values"]["city"] == "Scopeville"
    assert after["subscriptions"][SUBSCRIPTION_MARKETING] == "SUBSCRIBED"
    assert after["subscriptions"][SUBSCRIPTION_FUNCTIONAL] == "UNSUBSCRIBED"


def test_scoped_delete_deletes_the_bound_contact_never_the_named_one(
    make_toolkit: MakeToolkit, client: PiggyClient, sandbox: Sandbox, mine: str
) -> None:
    scoped = make_toolkit(contact_uuid=mine, groups=["contacts", "profile"])
    refused = call(scoped, "delete_contact", contact_uuid=ids.TOM, email=TOM_EMAIL)
    assert _refused_naming(refused, {"email": 1}) and client.contacts.get(mine).uuid == mine
    seen = content(call(scoped, "delete_contact", contact_uuid=ids.TOM))
    assert seen["deleted"] == mine and seen["type"] == "DEFAULT"
    assert client.contacts.get(ids.TOM).email == TOM_EMAIL
    gone = call(scoped, "get_contact")
    # A scoped agent reads "gone" and "not yours" the same (the approval policy's one not-found text).
    assert gone.status == "error" and ("55031" in str(gone.content) or "Not found for this" in str(gone.content))
    assert [
        r["args"]["contact_uuid"]
        for r in sandbox.audit("contacts.delete")
        if r["args"].get("contact_uuid")
        in (
            mine,
            ids.TOM,
        )
    ] == [mine]


def test_scoped_update_contact_checks_names_against_the_attribute_list(
    make_toolkit: MakeToolkit, client: PiggyClient, sandbox: Sandbox, mine: str
) -> None:
    """update_contact reads ``client.contact_attributes.list()`` (``.name``, ``.is_hard_read_only``) first."""
    scoped = make_toolkit(contact_uuid=mine, groups=["contacts", "profile"])
    before = len(sandbox.audit("contacts.update"))
    unknown = call(scoped, "update_contact", attributes={"favorite_drink": "latte"})
    assert unknown.status == "error" and "Unknown contact attribute(s): favorite_drink" in str(unknown.content)
    assert "favourite_drink" in str(unknown.content) and "email" not in str(unknown.content).split("Valid names")[1]
    read_only = call(scoped, "update_contact", attributes={"loyalty_balance": 1_000_000})
    assert read_only.status == "error" and "loyalty_balance is read-only" in str(read_only.content)
    assert len(sandbox.audit("contacts.update")) == before
    assert client.contacts.get(mine).credit_balance.balance == 0  # type: ignore[union-attr]


def test_every_listed_writable_attribute_is_accepted_by_update_contact(
    toolkit: PiggyToolkit, client: PiggyClient, mine: str
) -> None:
    listed = content(call(toolkit, "list_contact_attributes"))
    values = {"text": "x", "long_text": "notes", "phone": "+31612345678", "number": 33, "boolean": True}
    values |= {"birth_date": "1990-01-31", "media_upload": "https://example.com/a.png"}
    attributes = {
        a["name"]: a["options"][0] if a.get("options") else values[str(a["type"])] for a in listed["attributes"]
    }
    updated = content(call(toolkit, "update_contact", contact_uuid=mine, attributes=attributes))
    assert updated["updated"] == sorted(attributes)
    assert client.contacts.get(mine).current_values["favourite_drink"] == attributes["favourite_drink"]
    for name in listed["read_only"]:
        refused = call(toolkit, "update_contact", contact_uuid=mine, attributes={name: "1"})
        assert refused.status == "error" and name in str(refused.content), name


async def test_scoped_contact_tools_async_stay_on_the_bound_contact(
    make_toolkit: MakeToolkit, client: PiggyClient, mine: str
) -> None:
    scoped = make_toolkit(contact_uuid=mine, groups=["contacts", "profile"])
    tom_before = _snapshot(client, ids.TOM)
    got = content(await acall(scoped, "get_contact", contact_uuid=ids.TOM, email=TOM_EMAIL))
    assert got["uuid"] == mine
    sub = content(
        await acall(scoped, "subscribe_contact", contact_uuid=ids.TOM, subscription_type_uuid=SUBSCRIPTION_MARKETING)
    )
    assert sub["contact_uuid"] == mine and _statuses(client, mine)[SUBSCRIPTION_MARKETING] == "SUBSCRIBED"
    unsub = content(
        await acall(scoped, "unsubscribe_contact", contact_uuid=ids.TOM, subscription_type_uuid=SUBSCRIPTION_FUNCTIONAL)
    )
    assert unsub["contact_uuid"] == mine
    portal = content(await acall(scoped, "get_contacts_portal_url", contact_uuid=ids.TOM))
    assert _token_owner(client, portal["url"]) == mine
    updated = content(await acall(scoped, "update_contact", contact_uuid=ids.TOM, attributes={"firstname": "Mine"}))
    assert updated["uuid"] == mine and updated["name"] == "Mine"
    assert _snapshot(client, ids.TOM) == tom_before
