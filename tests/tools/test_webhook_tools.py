"""Webhook subscription tools against the sandbox: what the model sees, and what Piggy really stored or removed.

Every subscription a test creates is deleted afterwards, so no active subscription is left behind in the shared sandbox.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langchain_core.messages import ToolMessage

from piggy_agent_tools import NotFoundError, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.webhooks import EXAMPLE_SUBSCRIPTION
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import Risk
from tests.tools.helpers import content, tool

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"
WEBHOOK_TOOLS = {"list_webhook_subscriptions", "create_webhook_subscription", "delete_webhook_subscription"}


@pytest.fixture
def made(client: PiggyClient) -> Iterator[list[str]]:
    """Uuids of subscriptions the test created; deleted at the end (already deleted is fine)."""
    uuids: list[str] = []
    yield uuids
    for uuid in uuids:
        try:
            client.webhook_subscriptions.delete(uuid)
        except NotFoundError:
            pass


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


def call(toolkit: PiggyToolkit, tool_name: str, **args: Any) -> ToolMessage:
    """Like ``tests.tools.helpers.call``, whose ``name`` parameter collides with this area's ``name`` argument."""
    message = tool(toolkit, tool_name).invoke(
        {"type": "tool_call", "id": uuidlib.uuid4().hex, "name": tool_name, "args": args}
    )
    assert isinstance(message, ToolMessage)
    return message


async def acall(toolkit: PiggyToolkit, tool_name: str, **args: Any) -> ToolMessage:
    message = await tool(toolkit, tool_name).ainvoke(
        {"type": "tool_call", "id": uuidlib.uuid4().hex, "name": tool_name, "args": args}
    )
    assert isinstance(message, ToolMessage)
    return message


def _url() -> str:
    """A unique receiver URL, so audit rows of this test can be told apart."""
    return f"https://hooks.example.com/{uuidlib.uuid4().hex[:12]}"


def _creates(sandbox: Sandbox, url: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit("webhook_subscriptions.create") if r["args"].get("url") == url]


def _deletes(sandbox: Sandbox, uuid: str) -> list[dict[str, Any]]:
    return [
        r for r in sandbox.audit("webhook_subscriptions.delete") if r["args"].get("webhook_subscription_uuid") == uuid
    ]


def test_list_webhook_subscriptions_shows_the_seeded_example_with_its_watched_attributes(
    toolkit: PiggyToolkit,
) -> None:
    seen = content(call(toolkit, "list_webhook_subscriptions", event_type="contact_updated", status="INACTIVE"))
    example = next(s for s in seen["subscriptions"] if s["uuid"] == EXAMPLE_SUBSCRIPTION)
    assert example == {
        "uuid": EXAMPLE_SUBSCRIPTION,
        "name": "CRM sync (example)",
        "event_type": "contact_updated",
        "url": "https://hooks.example.com/piggy",
        "status": "INACTIVE",
        "attributes": ["email", "firstname", "lastname"],
    }
    assert seen["total"] == len(seen["subscriptions"])


def test_list_webhook_subscriptions_filters_by_event_type_and_status(
    toolkit: PiggyToolkit, client: PiggyClient, made: list[str]
) -> None:
    url = _url()
    made.append(client.webhook_subscriptions.create(name="filters", url=url, event_type="referral_completed").uuid)
    active = content(call(toolkit, "list_webhook_subscriptions", event_type="referral_completed", status="ACTIVE"))
    assert [s["url"] for s in active["subscriptions"]] == [url]
    # Lower case is accepted rather than sending the model round in circles.
    paused = content(call(toolkit, "list_webhook_subscriptions", event_type="referral_completed", status="inactive"))
    assert paused == {"subscriptions": [], "total": 0}


def test_list_webhook_subscriptions_refuses_a_filter_it_does_not_have(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "list_webhook_subscriptions", url="https://hooks.example.com/piggy")
    assert message.status == "error" and "url is not an argument of this tool" in str(message.content)


def test_create_webhook_subscription_subscribes_the_url_once(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, made: list[str]
) -> None:
    url = _url()
    seen = content(
        call(toolkit, "create_webhook_subscription", name="Welcome flow", event_type="contact_created", url=url)
    )
    made.append(seen["uuid"])
    assert seen == {
        "created": True,
        "uuid": seen["uuid"],
        "name": "Welcome flow",
        "event_type": "contact_created",
        "url": url,
        "status": "ACTIVE",
    }
    stored = client.webhook_subscriptions.get(seen["uuid"])
    assert (stored.event_type, stored.url, stored.status) == ("contact_created", url, "ACTIVE")
    assert len(_creates(sandbox, url)) == 1


def test_create_webhook_subscription_for_contact_updated_keeps_the_watched_attributes(
    toolkit: PiggyToolkit, client: PiggyClient, made: list[str]
) -> None:
    url = _url()
    seen = content(
        call(
            toolkit,
            "create_webhook_subscription",
            name="CRM",
            event_type="contact_updated",
            url=url,
            attributes=["firstname", "email"],
        )
    )
    made.append(seen["uuid"])
    assert seen["attributes"] == ["firstname", "email"]
    assert client.webhook_subscriptions.get(seen["uuid"]).properties == ["firstname", "email"]


def test_create_webhook_subscription_with_an_unknown_attribute_is_refused_by_piggy(
    toolkit: PiggyToolkit, sandbox: Sandbox
) -> None:
    url = _url()
    message = call(
        toolkit, "create_webhook_subscription", name="CRM", event_type="contact_updated", url=url, attributes=["shoe"]
    )
    assert message.status == "error"
    assert "InvalidRequestError" in str(message.content) and "1003" in str(message.content)
    assert "attributes.0" in str(message.content)
    assert _creates(sandbox, url) == []


def test_delete_webhook_subscription_stops_and_removes_it(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, made: list[str]
) -> None:
    uuid = client.webhook_subscriptions.create(name="old", url=_url(), event_type="voucher_redeemed").uuid
    made.append(uuid)
    seen = content(call(toolkit, "delete_webhook_subscription", webhook_subscription_uuid=uuid))
    assert seen == {"deleted": uuid}
    with pytest.raises(NotFoundError):
        client.webhook_subscriptions.get(uuid)
    assert len(_deletes(sandbox, uuid)) == 1


def test_delete_webhook_subscription_unknown_is_an_actionable_not_found(
    toolkit: PiggyToolkit, sandbox: Sandbox
) -> None:
    message = call(toolkit, "delete_webhook_subscription", webhook_subscription_uuid=UNKNOWN)
    assert message.status == "error"
    assert "NotFoundError" in str(message.content) and "80300" in str(message.content)
    assert "Webhook subscription not found." in str(message.content)
    assert _deletes(sandbox, UNKNOWN) == []


async def test_webhook_tools_work_async(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, made: list[str]
) -> None:
    url = _url()
    created = content(
        await acall(toolkit, "create_webhook_subscription", name="async", event_type="reward_updated", url=url)
    )
    made.append(created["uuid"])
    listed = content(await acall(toolkit, "list_webhook_subscriptions", event_type="reward_updated"))
    assert created["uuid"] in {s["uuid"] for s in listed["subscriptions"]}
    assert content(call(toolkit, "list_webhook_subscriptions", event_type="reward_updated")) == listed
    deleted = content(await acall(toolkit, "delete_webhook_subscription", webhook_subscription_uuid=created["uuid"]))
    assert deleted == {"deleted": created["uuid"]} and len(_deletes(sandbox, created["uuid"])) == 1
    again = await acall(toolkit, "delete_webhook_subscription", webhook_subscription_uuid=created["uuid"])
    assert again.status == "error" and "80300" in str(again.content)


_CREATE = {"name": "x", "event_type": "contact_created", "url": "https://hooks.example.com/x"}
INVALID = [
    ("list_webhook_subscriptions", {"event_type": "contact_deleted"}, "event_type input should be"),
    ("list_webhook_subscriptions", {"status": "PAUSED"}, "status input should be"),
    ("list_webhook_subscriptions", {"status": 5}, "status"),
    ("list_webhook_subscriptions", {"limit": -1}, "limit is not an argument of this tool"),
    ("create_webhook_subscription", {"event_type": "contact_created", "url": "https://a.example"}, "name is required"),
    ("create_webhook_subscription", {"name": "x", "url": "https://a.example"}, "event_type is required"),
    ("create_webhook_subscription", {"name": "x", "event_type": "contact_created"}, "url is required"),
    ("create_webhook_subscription", {**_CREATE, "name": "  "}, "name must be 1 to 255 characters"),
    ("create_webhook_subscription", {**_CREATE, "name": 7}, "name"),
    ("create_webhook_subscription", {**_CREATE, "event_type": "everything"}, "event_type input should be"),
    ("create_webhook_subscription", {**_CREATE, "url": "../x"}, "url must be an absolute http or https URL"),
    ("create_webhook_subscription", {**_CREATE, "url": "ftp://files.example"}, "url must be an absolute http"),
    ("create_webhook_subscription", {**_CREATE, "url": ["https://a.example"]}, "url"),
    (
        "create_webhook_subscription",
        {**_CREATE, "event_type": "contact_updated"},
        "attributes is required for contact_updated",
    ),
    ("create_webhook_subscription", {**_CREATE, "attributes": ["email"]}, "attributes only applies to contact_updated"),
    ("create_webhook_subscription", {**_CREATE, "secret": "s3cret"}, "secret is not an argument of this tool"),
    ("delete_webhook_subscription", {}, "webhook_subscription_uuid is required"),
    ("delete_webhook_subscription", {"webhook_subscription_uuid": "../x"}, "webhook_subscription_uuid must be a UUID"),
    ("delete_webhook_subscription", {"webhook_subscription_uuid": 42}, "webhook_subscription_uuid"),
    (
        "delete_webhook_subscription",
        {"webhook_subscription_uuid": f"{EXAMPLE_SUBSCRIPTION}/../x"},
        "webhook_subscription_uuid must be a UUID",
    ),
]


@pytest.mark.parametrize(("tool_name", "args", "named"), INVALID)
def test_invalid_arguments_give_an_error_message_and_send_nothing(
    counted: tuple[PiggyToolkit, list[httpx.Request]],
    sandbox: Sandbox,
    tool_name: str,
    args: dict[str, Any],
    named: str,
) -> None:
    toolkit, sent = counted
    audit_before = len(sandbox.audit())
    message = call(toolkit, tool_name, **args)
    assert message.status == "error"
    assert "invalid arguments" in str(message.content) and named in str(message.content)
    assert sent == [] and len(sandbox.audit()) == audit_before


def test_risks_and_approval_mapping(toolkit: PiggyToolkit) -> None:
    risk = {n: toolkit.risk_of({"name": n, "args": {}}) for n in WEBHOOK_TOOLS}
    assert risk == {
        "list_webhook_subscriptions": Risk.READ,
        "create_webhook_subscription": Risk.WRITE,
        "delete_webhook_subscription": Risk.DESTRUCTIVE,
    }
    # Data egress: a new subscription always needs a person's decision (the approval policy).
    assert WEBHOOK_TOOLS & set(toolkit.interrupt_on()) == {"create_webhook_subscription", "delete_webhook_subscription"}
    tools = {t.name: t for t in toolkit.get_tools() if t.name in WEBHOOK_TOOLS}
    assert tools["list_webhook_subscriptions"].metadata is not None
    assert tools["list_webhook_subscriptions"].metadata["readOnlyHint"] is True
    assert tools["delete_webhook_subscription"].metadata["destructiveHint"] is True  # type: ignore[index]


def test_customer_scoped_toolkits_have_no_webhook_tool_whatever_is_asked(make_toolkit: Any) -> None:
    """Subscriptions are account-wide (a contact_created hook sees every customer), so scoped agents get none."""
    scoped = make_toolkit(contact_uuid=ids.JANE)
    assert WEBHOOK_TOOLS.isdisjoint({t.name for t in scoped.get_tools()})
    assert make_toolkit(contact_uuid=ids.JANE, groups=["webhooks"]).get_tools() == []
    assert make_toolkit(contact_uuid=ids.JANE, include=sorted(WEBHOOK_TOOLS)).get_tools() == []
    # Even a call made up by the model cannot reach them: unknown to the scoped toolkit, so destructive (reviewed).
    assert scoped.risk_of({"name": "list_webhook_subscriptions", "args": {}}) is Risk.DESTRUCTIVE
