"""Contact identifier tools against the sandbox: cards and QR codes as the model sees them, and links really made.

Identifiers that change are created by the test itself (unique values); the seeded cards are only read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langchain_core.messages import ToolMessage

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import identifiers as seed
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.tools.helpers import acall, call, content, tool

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"


@pytest.fixture
def counted(sandbox: Sandbox) -> Iterator[tuple[PiggyToolkit, list[httpx.Request]]]:
    """A staff toolkit whose HTTP client records every request it sends (real HTTP to the sandbox, no mock)."""
    sent: list[httpx.Request] = []
    with httpx.Client(timeout=30, event_hooks={"request": [sent.append]}) as http:
        client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
        toolkit = PiggyToolkit(client=client)
        toolkit.get_tools()
        sent.clear()  # the first get_tools() may list the shops (the single-shop default)
        yield toolkit, sent


@pytest.fixture
def new_value() -> str:
    """A card value nobody has used yet."""
    return f"TEST-{uuid.uuid4().hex[:10].upper()}"


def _invoke(toolkit: PiggyToolkit, name: str, args: dict[str, Any]) -> ToolMessage:
    """Like ``call``, for argument sets that contain ``name`` (an argument of create_contact_identifier)."""
    message = tool(toolkit, name).invoke({"type": "tool_call", "id": uuid.uuid4().hex, "name": name, "args": args})
    assert isinstance(message, ToolMessage)
    return message


def _owner(client: PiggyClient, value: str) -> str | None:
    found = client.contact_identifiers.find(value)
    return found.contact.uuid if found.contact else None


def _rows(sandbox: Sandbox, operation: str, value: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit(operation) if r["args"].get("contact_identifier_value") == value]


# --- find_contact_identifier --------------------------------------------------------------------------------------


def test_find_contact_identifier_shows_the_linked_contact(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "find_contact_identifier", contact_identifier_value=seed.JANE_CARD))
    assert seen["value"] == seed.JANE_CARD and seen["name"] == "Loyalty card" and seen["active"] is True
    assert seen["linked"] is True and seen["contact"] == "jane.doe@example.com" and seen["contact_uuid"] == ids.JANE
    unlinked = content(call(toolkit, "find_contact_identifier", contact_identifier_value=seed.UNLINKED_CARD))
    assert unlinked["linked"] is False and "contact_uuid" not in unlinked


def test_find_contact_identifier_unknown_and_inactive_are_errors(toolkit: PiggyToolkit) -> None:
    unknown = call(toolkit, "find_contact_identifier", contact_identifier_value="NO-SUCH-CARD")
    assert unknown.status == "error" and "60003" in str(unknown.content) and "not found" in str(unknown.content)
    inactive = call(toolkit, "find_contact_identifier", contact_identifier_value=seed.INACTIVE_CARD)
    assert inactive.status == "error" and "60004" in str(inactive.content) and "inactive" in str(inactive.content)


# --- list_contact_identifiers -------------------------------------------------------------------------------------


def test_list_contact_identifiers_shows_the_default_card(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_contact_identifiers", contact_uuid=ids.JANE))
    by_value = {i["value"]: i for i in seen["identifiers"]}
    assert by_value[seed.JANE_CARD]["default"] is True and by_value[seed.JANE_QR]["default"] is False
    assert seed.TOM_CARD not in by_value


def test_list_contact_identifiers_of_an_unknown_contact_is_not_found(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "list_contact_identifiers", contact_uuid=UNKNOWN)
    assert message.status == "error" and "55031" in str(message.content)


# --- create_contact_identifier ------------------------------------------------------------------------------------


def test_create_contact_identifier_linked_at_once(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str, new_value: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    args = {"contact_identifier_value": new_value, "name": "Key fob", "contact_uuid": contact}
    seen = content(_invoke(toolkit, "create_contact_identifier", args))
    assert seen["created"] is True and seen["name"] == "Key fob" and seen["contact_uuid"] == contact
    assert _owner(client, new_value) == contact
    assert [i.value for i in client.contacts.list_identifiers(contact)] == [new_value]


def test_create_contact_identifier_unlinked_then_again_conflicts(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_value: str
) -> None:
    seen = content(call(toolkit, "create_contact_identifier", contact_identifier_value=new_value))
    assert seen["linked"] is False and seen["name"] == new_value
    again = call(toolkit, "create_contact_identifier", contact_identifier_value=new_value)
    assert again.status == "error" and "60006" in str(again.content) and "already exists" in str(again.content)
    assert len(_rows(sandbox, "contact_identifiers.create", new_value)) == 1
    assert _owner(client, new_value) is None


# --- link_contact_identifier --------------------------------------------------------------------------------------


def test_link_contact_identifier_links_an_unlinked_card(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str, new_value: str
) -> None:
    client.contact_identifiers.create(new_value)
    contact = client.contacts.create(new_email).uuid
    seen = content(call(toolkit, "link_contact_identifier", contact_identifier_value=new_value, contact_uuid=contact))
    assert seen["linked"] is True and seen["contact_uuid"] == contact and seen["contact"] == new_email
    assert _owner(client, new_value) == contact


def test_linking_a_card_that_is_linked_already_is_refused(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    message = call(toolkit, "link_contact_identifier", contact_identifier_value=seed.TOM_CARD, contact_uuid=contact)
    assert message.status == "error" and "60014" in str(message.content) and "already linked" in str(message.content)
    assert _owner(client, seed.TOM_CARD) == ids.TOM
    assert _rows(sandbox, "contact_identifiers.link", seed.TOM_CARD) == []


# --- unlink_contact_identifier ------------------------------------------------------------------------------------


def test_unlink_contact_identifier_with_the_right_owner(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str, new_value: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    client.contact_identifiers.create(new_value, contact_uuid=contact)
    seen = content(call(toolkit, "unlink_contact_identifier", contact_identifier_value=new_value, contact_uuid=contact))
    assert seen["unlinked"] is True and seen["linked"] is False
    assert _owner(client, new_value) is None
    assert client.contacts.list_identifiers(contact) == []


def test_unlink_contact_identifier_without_owner_check(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str, new_value: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    client.contact_identifiers.create(new_value, contact_uuid=contact)
    assert content(call(toolkit, "unlink_contact_identifier", contact_identifier_value=new_value))["unlinked"]
    assert _owner(client, new_value) is None


def test_unlink_refuses_a_card_of_another_contact_and_sends_no_unlink(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    message = call(toolkit, "unlink_contact_identifier", contact_identifier_value=seed.TOM_CARD, contact_uuid=ids.JANE)
    assert message.status == "error" and "ConflictError" in str(message.content)
    assert f"{seed.TOM_CARD} is not linked to contact {ids.JANE}" in str(message.content)
    assert _owner(client, seed.TOM_CARD) == ids.TOM
    assert _rows(sandbox, "contact_identifiers.unlink", seed.TOM_CARD) == []


def test_unlinking_an_unlinked_card_is_an_error(toolkit: PiggyToolkit, new_value: str, client: PiggyClient) -> None:
    client.contact_identifiers.create(new_value)
    message = call(toolkit, "unlink_contact_identifier", contact_identifier_value=new_value)
    assert message.status == "error" and "60011" in str(message.content)


async def test_identifier_tools_work_async(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str, new_value: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    created = content(
        await acall(toolkit, "create_contact_identifier", contact_identifier_value=new_value, contact_uuid=contact)
    )
    assert created["contact_uuid"] == contact
    found = content(await acall(toolkit, "find_contact_identifier", contact_identifier_value=new_value))
    assert found == content(call(toolkit, "find_contact_identifier", contact_identifier_value=new_value))
    refused = await acall(
        toolkit, "unlink_contact_identifier", contact_identifier_value=new_value, contact_uuid=ids.TOM
    )
    assert refused.status == "error" and _owner(client, new_value) == contact
    done = content(
        await acall(toolkit, "unlink_contact_identifier", contact_identifier_value=new_value, contact_uuid=contact)
    )
    assert done["unlinked"] and _owner(client, new_value) is None
    listed = content(await acall(toolkit, "list_contact_identifiers", contact_uuid=contact))
    assert listed == {"identifiers": [], "total": 0}


# --- invalid arguments: an error message, no request --------------------------------------------------------------

INVALID = [
    ("find_contact_identifier", {}, "contact_identifier_value is required"),
    ("find_contact_identifier", {"contact_identifier_value": "   "}, "contact_identifier_value"),
    ("find_contact_identifier", {"contact_identifier_value": 123}, "contact_identifier_value"),
    ("find_contact_identifier", {"contact_identifier_value": "X" * 256}, "contact_identifier_value"),
    ("list_contact_identifiers", {}, "contact_uuid is required"),
    ("list_contact_identifiers", {"contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("create_contact_identifier", {}, "contact_identifier_value is required"),
    ("create_contact_identifier", {"contact_identifier_value": "NEW-1", "contact_uuid": "../x"}, "contact_uuid"),
    ("create_contact_identifier", {"contact_identifier_value": "NEW-1", "name": ""}, "name"),
    ("link_contact_identifier", {"contact_identifier_value": seed.UNLINKED_CARD}, "contact_uuid is required"),
    ("link_contact_identifier", {"contact_uuid": ids.JANE}, "contact_identifier_value is required"),
    (
        "link_contact_identifier",
        {"contact_identifier_value": seed.UNLINKED_CARD, "contact_uuid": "../x"},
        "contact_uuid must be a UUID",
    ),
    ("unlink_contact_identifier", {}, "contact_identifier_value is required"),
    ("unlink_contact_identifier", {"contact_identifier_value": seed.JANE_CARD, "contact_uuid": "../x"}, "contact_uuid"),
    ("unlink_contact_identifier", {"contact_identifier_value": ["CARD-000123"]}, "contact_identifier_value"),
]


@pytest.mark.parametrize(("name", "args", "named"), INVALID)
def test_invalid_arguments_give_an_error_message_and_send_nothing(
    counted: tuple[PiggyToolkit, list[httpx.Request]], sandbox: Sandbox, name: str, args: dict[str, Any], named: str
) -> None:
    toolkit, sent = counted
    audit_before = len(sandbox.audit())
    message = _invoke(toolkit, name, args)
    assert message.status == "error"
    assert "invalid arguments" in str(message.content) and named in str(message.content)
    assert sent == [] and len(sandbox.audit()) == audit_before


# --- customer-scoped mode -----------------------------------------------------------------------------------------


@pytest.fixture
def scoped(make_toolkit: Any, client: PiggyClient, new_email: str) -> tuple[PiggyToolkit, str]:
    """A toolkit bound to a fresh customer who owns one card."""
    contact = client.contacts.create(new_email).uuid
    return make_toolkit(contact_uuid=contact, groups=["identifiers"]), contact


def test_scoped_identifier_tools_have_no_contact_argument(scoped: tuple[PiggyToolkit, str]) -> None:
    toolkit, _ = scoped
    assert {t.name for t in toolkit.get_tools()} == {
        "find_contact_identifier",
        "list_contact_identifiers",
        "create_contact_identifier",
        "link_contact_identifier",
        "unlink_contact_identifier",
    }
    assert all("contact_uuid" not in t.args for t in toolkit.get_tools())


def test_scoped_find_refuses_another_contacts_card_but_shows_unlinked_ones(scoped: tuple[PiggyToolkit, str]) -> None:
    toolkit, _ = scoped
    refused = call(toolkit, "find_contact_identifier", contact_identifier_value=seed.JANE_CARD)
    assert refused.status == "error" and "Not found for this customer" in str(refused.content)
    assert ids.JANE not in str(refused.content) and "jane" not in str(refused.content)
    assert (
        content(call(toolkit, "find_contact_identifier", contact_identifier_value=seed.UNLINKED_CARD))["linked"]
        is False
    )


def test_scoped_list_create_and_link_only_touch_the_bound_contact(
    scoped: tuple[PiggyToolkit, str], client: PiggyClient, new_value: str
) -> None:
    toolkit, mine = scoped
    # contact_uuid=JANE is not in the schema: ignored, never obeyed.
    assert content(call(toolkit, "list_contact_identifiers", contact_uuid=ids.JANE)) == {"identifiers": [], "total": 0}
    created = content(
        call(toolkit, "create_contact_identifier", contact_identifier_value=new_value, contact_uuid=ids.JANE)
    )
    assert created["contact_uuid"] == mine and _owner(client, new_value) == mine
    spare = new_value + "-2"
    client.contact_identifiers.create(spare)
    linked = content(call(toolkit, "link_contact_identifier", contact_identifier_value=spare, contact_uuid=ids.TOM))
    assert linked["contact_uuid"] == mine and _owner(client, spare) == mine
    # Linking Tom's card to oneself fails: it stays Tom's.
    stolen = call(toolkit, "link_contact_identifier", contact_identifier_value=seed.TOM_CARD)
    assert stolen.status == "error" and _owner(client, seed.TOM_CARD) == ids.TOM
    janes = {i.value for i in client.contacts.list_identifiers(ids.JANE)}
    assert {seed.JANE_CARD, seed.JANE_QR} <= janes and not {new_value, spare} & janes


def test_scoped_unlink_only_unlinks_the_customers_own_card(
    scoped: tuple[PiggyToolkit, str], client: PiggyClient, sandbox: Sandbox, new_value: str
) -> None:
    toolkit, mine = scoped
    for value, owner in ((seed.JANE_CARD, ids.JANE), (seed.TOM_CARD, ids.TOM)):
        refused = call(toolkit, "unlink_contact_identifier", contact_identifier_value=value, contact_uuid=owner)
        assert refused.status == "error" and "not linked to contact" in str(refused.content)
        assert _owner(client, value) == owner
        assert _rows(sandbox, "contact_identifiers.unlink", value) == []
    client.contact_identifiers.create(new_value, contact_uuid=mine)
    assert content(call(toolkit, "unlink_contact_identifier", contact_identifier_value=new_value))["unlinked"]
    assert _owner(client, new_value) is None
