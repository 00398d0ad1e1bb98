"""Webhook subscriptions CRUD through the real client (sync and async) against the sandbox: shapes, filters,
validation rules (1003), unknown ids (80300), and the audit trail of each write."""

from __future__ import annotations

import pytest

from piggy_agent_tools import AsyncPiggyClient, InvalidRequestError, NotFoundError, PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.webhooks import EXAMPLE_SUBSCRIPTION

HOOK = "https://hooks.example.com/piggy"
API = "/api/v3/oauth/clients/webhook-subscriptions"


def test_create_get_update_delete_round_trip(client: PiggyClient, sandbox: Sandbox) -> None:
    created = client.webhook_subscriptions.create(
        name="CRM", url=HOOK, event_type="voucher_redeemed", status="INACTIVE"
    )
    assert created.name == "CRM" and created.event_type == "voucher_redeemed" and created.url == HOOK
    assert created.status == "INACTIVE" and created.version == "V1" and created.properties == []
    assert client.webhook_subscriptions.get(created.uuid) == created

    updated = client.webhook_subscriptions.update(created.uuid, name="CRM v2", url=HOOK + "/v2", status="ACTIVE")
    assert (updated.name, updated.url, updated.status) == ("CRM v2", HOOK + "/v2", "ACTIVE")
    assert client.webhook_subscriptions.get(created.uuid).name == "CRM v2"
    assert any(
        r["args"].get("webhook_subscription_uuid") == created.uuid
        for r in sandbox.audit("webhook_subscriptions.update")
    )

    client.webhook_subscriptions.delete(created.uuid)
    with pytest.raises(NotFoundError) as caught:
        client.webhook_subscriptions.get(created.uuid)
    assert caught.value.code == 80300 and "Webhook subscription not found." in str(caught.value)
    assert any(
        r["args"].get("webhook_subscription_uuid") == created.uuid
        for r in sandbox.audit("webhook_subscriptions.delete")
    )


def test_create_answers_201_and_delete_answers_the_recorded_empty_envelope(sandbox: Sandbox) -> None:
    with sandbox.http() as http:
        made = http.post(API, json={"name": "raw", "url": HOOK, "event_type": "contact_created", "status": "INACTIVE"})
        assert made.status_code == 201
        body = made.json()
        assert body["meta"] == [] and set(body["data"]) == {
            "uuid", "name", "event_type", "url", "properties", "status", "version", "created_at"
        }  # fmt: skip
        gone = http.delete(f"{API}/{body['data']['uuid']}")
        assert gone.status_code == 200 and gone.json() == {"data": [], "meta": {}}


def test_the_secret_is_masked_in_the_audit_and_never_returned(client: PiggyClient, sandbox: Sandbox) -> None:
    sub = client.webhook_subscriptions.create(
        name="secret", url=HOOK, event_type="contact_created", secret="s3cr3t-value", status="INACTIVE"
    )
    try:
        with sandbox.http() as http:
            assert "s3cr3t-value" not in http.get(f"{API}/{sub.uuid}").text
            assert "s3cr3t-value" not in http.get(API).text
        rows = [r for r in sandbox.audit("webhook_subscriptions.create") if r["args"].get("name") == "secret"]
        assert rows and rows[-1]["args"]["secret"] == "***"
    finally:
        client.webhook_subscriptions.delete(sub.uuid)


def test_list_filters_by_event_type_and_status(client: PiggyClient) -> None:
    active = client.webhook_subscriptions.create(name="a", url=HOOK, event_type="reward_updated", status="INACTIVE")
    other = client.webhook_subscriptions.create(name="b", url=HOOK, event_type="promotion_updated", status="INACTIVE")
    try:
        client.webhook_subscriptions.update(active.uuid, status="ACTIVE")
        rewards = client.webhook_subscriptions.list(event_type="reward_updated")
        assert active.uuid in {s.uuid for s in rewards} and all(s.event_type == "reward_updated" for s in rewards)
        inactive = client.webhook_subscriptions.list(status="INACTIVE")
        assert other.uuid in {s.uuid for s in inactive} and active.uuid not in {s.uuid for s in inactive}
        everything = {s.uuid for s in client.webhook_subscriptions.list()}
        assert {active.uuid, other.uuid} <= everything
    finally:
        client.webhook_subscriptions.delete(active.uuid)
        client.webhook_subscriptions.delete(other.uuid)


def test_demo_seed_has_one_inactive_example_and_nothing_active(fresh_sandbox: Sandbox) -> None:
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as c:
        assert c.webhook_subscriptions.list(status="ACTIVE") == []
        (example,) = c.webhook_subscriptions.list()
    assert example.uuid == EXAMPLE_SUBSCRIPTION and example.status == "INACTIVE"
    assert example.event_type == "contact_updated" and example.properties == ["email", "firstname", "lastname"]


def test_contact_updated_requires_attributes_with_1003(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.webhook_subscriptions.create(name="x", url=HOOK, event_type="contact_updated")
    assert caught.value.code == 1003 and "attributes" in (caught.value.errors or {})


def test_contact_updated_rejects_unknown_attribute_names(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.webhook_subscriptions.create(
            name="x", url=HOOK, event_type="contact_updated", attributes=["firstname", "shoe_size"]
        )
    assert caught.value.code == 1003 and set(caught.value.errors or {}) == {"attributes.1"}


def test_contact_updated_keeps_its_trigger_attributes_and_refuses_an_empty_list(client: PiggyClient) -> None:
    sub = client.webhook_subscriptions.create(
        name="x", url=HOOK, event_type="contact_updated", attributes=["firstname", "email"], status="INACTIVE"
    )
    try:
        assert sub.properties == ["firstname", "email"]
        renamed = client.webhook_subscriptions.update(sub.uuid, name="renamed")
        assert renamed.properties == ["firstname", "email"]
        assert client.webhook_subscriptions.update(sub.uuid, attributes=["lastname"]).properties == ["lastname"]
        with pytest.raises(InvalidRequestError):
            client.webhook_subscriptions.update(sub.uuid, attributes=[])
        assert client.webhook_subscriptions.get(sub.uuid).properties == ["lastname"]
    finally:
        client.webhook_subscriptions.delete(sub.uuid)


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("event_type", {"name": "x", "url": HOOK, "event_type": "contact_deleted"}),
        ("url", {"name": "x", "url": "not a url", "event_type": "contact_created"}),
        ("url", {"name": "x", "url": "ftp://example.com/hook", "event_type": "contact_created"}),
        ("name", {"url": HOOK, "event_type": "contact_created"}),
        ("status", {"name": "x", "url": HOOK, "event_type": "contact_created", "status": "PAUSED"}),
    ],
)
def test_create_validates_its_fields_with_1003(sandbox: Sandbox, field: str, body: dict[str, str]) -> None:
    with sandbox.http() as http:
        answer = http.post(API, json=body)
    assert answer.status_code == 400
    assert answer.json()["code"] == 1003 and field in answer.json()["errors"]


def test_event_type_and_secret_cannot_be_changed_by_update(client: PiggyClient, sandbox: Sandbox) -> None:
    sub = client.webhook_subscriptions.create(name="x", url=HOOK, event_type="voucher_created", status="INACTIVE")
    try:
        with sandbox.http() as http:
            answer = http.put(f"{API}/{sub.uuid}", json={"event_type": "voucher_redeemed", "secret": "new"})
        assert answer.status_code == 200 and answer.json()["data"]["event_type"] == "voucher_created"
    finally:
        client.webhook_subscriptions.delete(sub.uuid)


def test_unknown_subscription_is_80300_for_get_update_and_delete(client: PiggyClient) -> None:
    unknown = ids.fixed("webhook_subscription", "nobody")
    for call in (
        lambda: client.webhook_subscriptions.get(unknown),
        lambda: client.webhook_subscriptions.update(unknown, name="x"),
        lambda: client.webhook_subscriptions.delete(unknown),
    ):
        with pytest.raises(NotFoundError) as caught:
            call()
        assert caught.value.code == 80300


async def test_async_client_manages_subscriptions(aclient: AsyncPiggyClient) -> None:
    sub = await aclient.webhook_subscriptions.create(
        name="async", url=HOOK, event_type="referral_completed", secret="abc", status="INACTIVE"
    )
    assert sub.status == "INACTIVE"
    assert (await aclient.webhook_subscriptions.get(sub.uuid)).name == "async"
    listed = await aclient.webhook_subscriptions.list(event_type="referral_completed", status="INACTIVE")
    assert sub.uuid in {s.uuid for s in listed}
    assert (await aclient.webhook_subscriptions.update(sub.uuid, status="ACTIVE")).status == "ACTIVE"
    await aclient.webhook_subscriptions.delete(sub.uuid)
    with pytest.raises(NotFoundError):
        await aclient.webhook_subscriptions.get(sub.uuid)
