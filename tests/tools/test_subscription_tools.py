"""Contact extra tools against the sandbox: attribute definitions, subscriptions, claiming anonymous contacts and
the Contacts Portal link, as the model sees them and as they really happened.

Contacts that change are created by the test itself; the seeded ones (Jane, Tom, the seeded anonymous contact) are
only read or used for refusals that change nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from langchain_core.messages import ToolMessage

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.attributes import (
    SUBSCRIPTION_FUNCTIONAL,
    SUBSCRIPTION_MARKETING,
    SUBSCRIPTION_NEWSLETTER,
)
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import Risk
from tests.tools.helpers import acall, call, content, tool

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"
NEW_TOOLS = {
    "list_contact_attributes": Risk.READ,
    "list_subscription_types": Risk.READ,
    "list_contact_subscriptions": Risk.READ,
    "subscribe_contact": Risk.WRITE,
    "unsubscribe_contact": Risk.DESTRUCTIVE,  # overwrites a subscription: not additive
    "claim_anonymous_contact": Risk.DESTRUCTIVE,  # an irreversible merge
    "get_contacts_portal_url": Risk.READ,
}


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
def wrong_key(sandbox: Sandbox) -> Iterator[PiggyToolkit]:
    """A toolkit with an API key the sandbox does not accept."""
    with PiggyClient(api_key="not-the-key", base_url=sandbox.base_url, max_retries=0) as client:
        yield PiggyToolkit(client=client)


@pytest.fixture
def contact(client: PiggyClient, new_email: str) -> str:
    """A fresh contact this test may change."""
    return client.contacts.create(new_email).uuid


def _invoke(toolkit: PiggyToolkit, name: str, args: dict[str, Any]) -> ToolMessage:
    message = tool(toolkit, name).invoke({"type": "tool_call", "id": uuid.uuid4().hex, "name": name, "args": args})
    assert isinstance(message, ToolMessage)
    return message


def _statuses(client: PiggyClient, contact_uuid: str) -> dict[str | None, Any]:
    return {
        s.subscription_type.uuid: s.status
        for s in client.contact_subscriptions.list(contact_uuid)
        if s.subscription_type
    }


def _rows(sandbox: Sandbox, operation: str, contact_uuid: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit(operation) if r["args"].get("contact_uuid") == contact_uuid]


def test_the_new_tools_are_registered_with_their_risk_and_scope(toolkit: PiggyToolkit) -> None:
    specs = {s.name: s for s in toolkit.specs if s.name in NEW_TOOLS}
    assert {n: s.risk for n, s in specs.items()} == NEW_TOOLS
    assert all(s.group == "profile" and s.risk_by_args is None for s in specs.values())
    assert specs["list_contact_attributes"].scope == specs["list_subscription_types"].scope == "shared"
    assert specs["claim_anonymous_contact"].scope == "exclude"
    for name in ("list_contact_subscriptions", "subscribe_contact", "unsubscribe_contact", "get_contacts_portal_url"):
        assert specs[name].scope == "contact" and "contact_uuid" in specs[name].args.model_fields
    assert toolkit.risk_of({"name": "subscribe_contact", "args": {}}) is Risk.WRITE
    assert toolkit.risk_of({"name": "get_contacts_portal_url", "args": {"contact_uuid": ids.JANE}}) is Risk.READ
    # The policy: a merge and a login link always need a person's decision; the rest never does.
    assert set(toolkit.interrupt_on()) & set(NEW_TOOLS) == {"claim_anonymous_contact", "get_contacts_portal_url"}


# --- list_contact_attributes ----------------------------------------------------------------------------------------


def test_list_contact_attributes_shows_writable_names_with_options(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    seen = content(call(toolkit, "list_contact_attributes"))
    by_name = {a["name"]: a for a in seen["attributes"]}
    assert by_name["firstname"] == {"name": "firstname", "label": "First name", "type": "text"}
    assert by_name["favourite_drink"]["type"] == "select"
    assert by_name["favourite_drink"]["options"] == ["espresso", "cappuccino", "latte", "tea"]
    assert {"email", "loyalty_balance", "tier", "created_at"} <= set(seen["read_only"])
    assert set(by_name).isdisjoint(seen["read_only"])
    definitions = client.contact_attributes.list()
    assert seen["total"] == len(by_name) and len(by_name) + len(seen["read_only"]) == len(definitions)


def test_list_contact_attributes_with_a_bad_key_names_the_credentials(wrong_key: PiggyToolkit) -> None:
    message = call(wrong_key, "list_contact_attributes")
    assert message.status == "error" and "AuthenticationError" in str(message.content)
    assert "credentials" in str(message.content)


# --- list_subscription_types ----------------------------------------------------------------------------------------


def test_list_subscription_types_shows_uuid_and_strategy(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_subscription_types"))
    by_uuid = {t["uuid"]: t for t in seen["subscription_types"]}
    assert by_uuid[SUBSCRIPTION_MARKETING]["name"] == "Marketing"
    assert by_uuid[SUBSCRIPTION_MARKETING]["strategy"] == "OPT_IN"
    assert by_uuid[SUBSCRIPTION_FUNCTIONAL]["strategy"] == "OPT_OUT"
    assert by_uuid[SUBSCRIPTION_NEWSLETTER]["strategy"] == "DOUBLE_OPT_IN"
    assert seen["total"] == len(by_uuid) >= 3


def test_list_subscription_types_with_a_bad_key_is_an_error(wrong_key: PiggyToolkit) -> None:
    message = call(wrong_key, "list_subscription_types")
    assert message.status == "error" and "AuthenticationError" in str(message.content)


# --- list_contact_subscriptions -------------------------------------------------------------------------------------


def test_list_contact_subscriptions_shows_defaults_of_a_new_contact(toolkit: PiggyToolkit, contact: str) -> None:
    seen = content(call(toolkit, "list_contact_subscriptions", contact_uuid=contact))
    by_uuid = {s["subscription_type_uuid"]: s for s in seen["subscriptions"]}
    assert by_uuid[SUBSCRIPTION_FUNCTIONAL] == {
        "subscription_type_uuid": SUBSCRIPTION_FUNCTIONAL,
        "name": "Functional",
        "status": "SUBSCRIBED",
    }
    assert by_uuid[SUBSCRIPTION_MARKETING]["status"] == "UNSUBSCRIBED"
    assert by_uuid[SUBSCRIPTION_NEWSLETTER]["status"] == "UNSUBSCRIBED"


def test_list_contact_subscriptions_of_an_unknown_contact_is_not_found(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "list_contact_subscriptions", contact_uuid=UNKNOWN)
    assert message.status == "error" and "55031" in str(message.content) and "Contact not found" in str(message.content)


# --- subscribe_contact ----------------------------------------------------------------------------------------------


def test_subscribe_contact_to_an_opt_in_type(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, contact: str
) -> None:
    seen = content(
        call(toolkit, "subscribe_contact", contact_uuid=contact, subscription_type_uuid=SUBSCRIPTION_MARKETING)
    )
    assert seen == {
        "contact_uuid": contact,
        "subscription_type_uuid": SUBSCRIPTION_MARKETING,
        "name": "Marketing",
        "status": "SUBSCRIBED",
    }
    assert _statuses(client, contact)[SUBSCRIPTION_MARKETING] == "SUBSCRIBED"
    rows = _rows(sandbox, "contact_subscriptions.subscribe", contact)
    assert [r["args"]["subscription_type_uuid"] for r in rows] == [SUBSCRIPTION_MARKETING]


def test_subscribe_contact_to_double_opt_in_waits_for_confirmation(
    toolkit: PiggyToolkit, client: PiggyClient, contact: str
) -> None:
    seen = content(
        call(toolkit, "subscribe_contact", contact_uuid=contact, subscription_type_uuid=SUBSCRIPTION_NEWSLETTER)
    )
    assert seen["status"] == "PENDING_CONFIRMATION" and "confirm" in seen["note"]
    assert _statuses(client, contact)[SUBSCRIPTION_NEWSLETTER] == "PENDING_CONFIRMATION"


def test_subscribe_contact_to_an_unknown_type_changes_nothing(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, contact: str
) -> None:
    before = _statuses(client, contact)
    message = call(toolkit, "subscribe_contact", contact_uuid=contact, subscription_type_uuid=UNKNOWN)
    assert message.status == "error" and "55030" in str(message.content)
    assert "Subscription type not found" in str(message.content)
    assert _statuses(client, contact) == before
    assert _rows(sandbox, "contact_subscriptions.subscribe", contact) == []


def test_subscribe_an_unknown_contact_is_not_found(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "subscribe_contact", contact_uuid=UNKNOWN, subscription_type_uuid=SUBSCRIPTION_MARKETING)
    assert message.status == "error" and "55031" in str(message.content)


# --- unsubscribe_contact --------------------------------------------------------------------------------------------


def test_unsubscribe_contact_from_an_opt_out_type(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, contact: str
) -> None:
    assert _statuses(client, contact)[SUBSCRIPTION_FUNCTIONAL] == "SUBSCRIBED"
    seen = content(
        call(toolkit, "unsubscribe_contact", contact_uuid=contact, subscription_type_uuid=SUBSCRIPTION_FUNCTIONAL)
    )
    assert seen["status"] == "UNSUBSCRIBED" and seen["name"] == "Functional" and "note" not in seen
    assert _statuses(client, contact)[SUBSCRIPTION_FUNCTIONAL] == "UNSUBSCRIBED"
    assert len(_rows(sandbox, "contact_subscriptions.unsubscribe", contact)) == 1


def test_unsubscribe_contact_from_an_unknown_type_changes_nothing(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, contact: str
) -> None:
    message = call(toolkit, "unsubscribe_contact", contact_uuid=contact, subscription_type_uuid=UNKNOWN)
    assert message.status == "error" and "55030" in str(message.content)
    assert _statuses(client, contact)[SUBSCRIPTION_FUNCTIONAL] == "SUBSCRIBED"
    assert _rows(sandbox, "contact_subscriptions.unsubscribe", contact) == []


# --- claim_anonymous_contact ----------------------------------------------------------------------------------------


def test_claim_anonymous_contact_gives_it_the_email(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    anonymous = client.contacts.create_anonymous().uuid
    seen = content(call(toolkit, "claim_anonymous_contact", contact_uuid=anonymous, email=new_email))
    assert seen["uuid"] == anonymous and seen["email"] == new_email and seen["claimed"] is True
    assert "merged_into_existing" not in seen and "anonymous" not in seen
    assert client.contacts.get(anonymous).email == new_email
    assert client.contacts.find_by_email(new_email).uuid == anonymous
    assert [r["args"]["email"] for r in _rows(sandbox, "contacts.claim", anonymous)] == [new_email]


def test_claim_with_an_existing_email_merges_into_that_contact(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    existing = client.contacts.create(new_email).uuid
    anonymous = client.contacts.create_anonymous().uuid
    seen = content(call(toolkit, "claim_anonymous_contact", contact_uuid=anonymous, email=new_email))
    assert seen["uuid"] == existing and seen["merged_into_existing"] is True
    gone = call(toolkit, "get_contact", contact_uuid=anonymous)
    assert gone.status == "error" and "55031" in str(gone.content)


def test_claim_a_contact_that_is_not_anonymous_is_refused(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    message = call(toolkit, "claim_anonymous_contact", contact_uuid=ids.TOM, email=new_email)
    assert message.status == "error" and "60016" in str(message.content)
    assert "not anonymous" in str(message.content)
    assert client.contacts.get(ids.TOM).email == "tom.berg@example.com"
    assert _rows(sandbox, "contacts.claim", ids.TOM) == []


def test_claim_an_unknown_contact_is_not_found(toolkit: PiggyToolkit, new_email: str) -> None:
    message = call(toolkit, "claim_anonymous_contact", contact_uuid=UNKNOWN, email=new_email)
    assert message.status == "error" and "55031" in str(message.content)


# --- get_contacts_portal_url ----------------------------------------------------------------------------------------


def _token(url: str) -> str:
    return parse_qs(urlparse(url).query)["token"][0]


def test_get_contacts_portal_url_logs_in_as_that_contact(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, contact: str
) -> None:
    seen = content(call(toolkit, "get_contacts_portal_url", contact_uuid=contact))
    assert set(seen) == {"contact_uuid", "url"} and seen["contact_uuid"] == contact
    assert seen["url"].startswith("https://") and "token=" in seen["url"]
    session = client.contact_session_tokens.get(_token(seen["url"]))
    assert session.contact is not None and session.contact.uuid == contact and session.status == "active"
    assert len(_rows(sandbox, "contacts_portal.auth_url", contact)) == 1


def test_get_contacts_portal_url_of_an_unknown_contact_is_not_found(toolkit: PiggyToolkit, sandbox: Sandbox) -> None:
    message = call(toolkit, "get_contacts_portal_url", contact_uuid=UNKNOWN)
    assert message.status == "error" and "55031" in str(message.content) and "token=" not in str(message.content)
    assert _rows(sandbox, "contacts_portal.auth_url", UNKNOWN) == []


# --- async ----------------------------------------------------------------------------------------------------------


async def test_contact_extra_tools_work_async(
    toolkit: PiggyToolkit, client: PiggyClient, contact: str, new_email: str
) -> None:
    assert content(await acall(toolkit, "list_contact_attributes")) == content(call(toolkit, "list_contact_attributes"))
    types = content(await acall(toolkit, "list_subscription_types"))
    assert types == content(call(toolkit, "list_subscription_types"))
    subscribed = content(
        await acall(toolkit, "subscribe_contact", contact_uuid=contact, subscription_type_uuid=SUBSCRIPTION_MARKETING)
    )
    assert subscribed["status"] == "SUBSCRIBED"
    unsubscribed = content(
        await acall(
            toolkit, "unsubscribe_contact", contact_uuid=contact, subscription_type_uuid=SUBSCRIPTION_FUNCTIONAL
        )
    )
    assert unsubscribed["status"] == "UNSUBSCRIBED"
    listed = content(await acall(toolkit, "list_contact_subscriptions", contact_uuid=contact))
    assert {s["subscription_type_uuid"]: s["status"] for s in listed["subscriptions"]} == _statuses(client, contact)
    portal = content(await acall(toolkit, "get_contacts_portal_url", contact_uuid=contact))
    assert client.contact_session_tokens.get(_token(portal["url"])).contact.uuid == contact  # type: ignore[union-attr]
    refused = await acall(toolkit, "claim_anonymous_contact", contact_uuid=contact, email=new_email)
    assert refused.status == "error" and "60016" in str(refused.content)
    anonymous = client.contacts.create_anonymous().uuid
    claimed = content(await acall(toolkit, "claim_anonymous_contact", contact_uuid=anonymous, email="x" + new_email))
    assert claimed["uuid"] == anonymous and client.contacts.get(anonymous).email == "x" + new_email
    missing = await acall(toolkit, "subscribe_contact", contact_uuid=contact, subscription_type_uuid=UNKNOWN)
    assert missing.status == "error" and "55030" in str(missing.content)


# --- invalid arguments: an error message, no request ----------------------------------------------------------------

M, F = SUBSCRIPTION_MARKETING, SUBSCRIPTION_FUNCTIONAL
INVALID = [
    ("list_contact_subscriptions", {}, "contact_uuid is required"),
    ("list_contact_subscriptions", {"contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("list_contact_subscriptions", {"contact_uuid": 123}, "contact_uuid"),
    ("list_contact_subscriptions", {"contact_uuid": -1}, "contact_uuid"),
    ("subscribe_contact", {"contact_uuid": ids.JANE}, "subscription_type_uuid is required"),
    ("subscribe_contact", {"subscription_type_uuid": M}, "contact_uuid is required"),
    ("subscribe_contact", {"contact_uuid": "../x", "subscription_type_uuid": M}, "contact_uuid must be a UUID"),
    ("subscribe_contact", {"contact_uuid": ids.JANE, "subscription_type_uuid": "../x"}, "subscription_type_uuid must"),
    ("subscribe_contact", {"contact_uuid": ids.JANE, "subscription_type_uuid": ["x"]}, "subscription_type_uuid"),
    ("unsubscribe_contact", {}, "contact_uuid is required"),
    ("unsubscribe_contact", {"contact_uuid": ids.JANE, "subscription_type_uuid": None}, "subscription_type_uuid"),
    ("unsubscribe_contact", {"contact_uuid": f"{ids.JANE}/../x", "subscription_type_uuid": F}, "contact_uuid"),
    ("claim_anonymous_contact", {"contact_uuid": ids.ANON}, "email is required"),
    ("claim_anonymous_contact", {"email": "new@example.com"}, "contact_uuid is required"),
    ("claim_anonymous_contact", {"contact_uuid": ids.ANON, "email": "not-an-email"}, "email"),
    ("claim_anonymous_contact", {"contact_uuid": ids.ANON, "email": 42}, "email"),
    ("claim_anonymous_contact", {"contact_uuid": "../x", "email": "new@example.com"}, "contact_uuid must be a UUID"),
    ("get_contacts_portal_url", {}, "contact_uuid is required"),
    ("get_contacts_portal_url", {"contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("get_contacts_portal_url", {"contact_uuid": "jane.doe@example.com"}, "contact_uuid must be a UUID"),
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
    assert "nothing was sent" in str(message.content)
    assert sent == [] and len(sandbox.audit()) == audit_before


@pytest.mark.parametrize("name", ["list_contact_attributes", "list_subscription_types"])
def test_argument_free_tools_refuse_stray_arguments_and_write_nothing(
    counted: tuple[PiggyToolkit, list[httpx.Request]], sandbox: Sandbox, name: str
) -> None:
    toolkit, sent = counted
    audit_before = len(sandbox.audit())
    refused = _invoke(toolkit, name, {"contact_uuid": "../x", "limit": -1})
    assert refused.status == "error" and "contact_uuid, limit is not an argument" in str(refused.content)
    assert sent == []
    seen = content(_invoke(toolkit, name, {}))
    assert seen["total"] > 0
    assert [r.method for r in sent] == ["GET"] and len(sandbox.audit()) == audit_before
