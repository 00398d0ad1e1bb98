"""Signed delivery from the sandbox to a real receiver: one test per event the sandbox API can cause, plus the
rules of delivery (HMAC signature, account-secret fallback, attribute filter, retries, stop on delete/deactivate)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from _webhook_receiver import Receiver

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.models.webhooks import WebhookSubscription
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.delivery import DeliveryEngine
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.server import free_port
from piggy_agent_tools.webhooks import ContactCreatedEvent, WebhookEvent

Subscribe = Callable[..., WebhookSubscription]
API = "/api/v3/oauth/clients"


def _api(sandbox: Sandbox, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call a Piggy path on the sandbox; skip when another area's route does not exist yet (404/405)."""
    with sandbox.http() as http:
        answer = http.request(method, API + path, json=body)
    if answer.status_code in (404, 405):
        pytest.skip(f"{method} {path} is not implemented in the sandbox yet")
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["data"]


def _raw_bodies(receiver: Receiver, path: str, needle: str) -> list[bytes]:
    return [r.body for r in receiver.raw if r.path == path and needle.encode() in r.body]


def _attempts(sandbox: Sandbox, subscription_uuid: str) -> list[dict[str, Any]]:
    with sandbox.http() as http:
        answer = http.get("/_sandbox/webhook-deliveries", params={"subscription_uuid": subscription_uuid, "wait": 5})
    assert answer.status_code == 200
    rows: list[dict[str, Any]] = answer.json()["data"]
    return rows


def _wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_contact_created_reaches_the_receivers_handler_as_a_typed_event(
    client: PiggyClient, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    subscribe(receiver.url + "/piggy/webhooks", "contact_created")
    ref = client.contacts.create(new_email)
    event = receiver.wait_for(lambda e: isinstance(e, ContactCreatedEvent) and e.contact.uuid == ref.uuid)
    assert event.contact.email == new_email


def test_delivery_is_a_json_post_signed_with_hmac_sha256_of_the_raw_body(
    client: PiggyClient, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    subscribe(receiver.url + "/raw/200", "contact_created", secret="raw-secret")
    ref = client.contacts.create(new_email)
    _wait_until(lambda: bool(_raw_bodies(receiver, "/raw/200", ref.uuid)))
    delivery = next(r for r in receiver.raw if ref.uuid.encode() in r.body)
    assert delivery.headers["content-type"] == "application/json"
    assert delivery.headers["signature"] == hmac.new(b"raw-secret", delivery.body, hashlib.sha256).hexdigest()
    body = json.loads(delivery.body)
    assert body["type"] == "contact_created" and body["data"]["contact"]["uuid"] == ref.uuid


def test_without_its_own_secret_a_subscription_is_signed_with_the_account_secret(
    client: PiggyClient, sandbox: Sandbox, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    subscribe(receiver.url + "/raw/200", "contact_created", secret=None)
    ref = client.contacts.create(new_email)
    _wait_until(lambda: bool(_raw_bodies(receiver, "/raw/200", ref.uuid)))
    delivery = next(r for r in receiver.raw if ref.uuid.encode() in r.body)
    with sandbox.store.tx() as tx:
        account_secret = (tx.get("account", "account") or {})["secret"]
    expected = hmac.new(account_secret.encode(), delivery.body, hashlib.sha256).hexdigest()
    assert delivery.headers["signature"] == expected


def test_contact_updated_is_delivered_only_when_a_chosen_attribute_changes(
    client: PiggyClient, engine: DeliveryEngine, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    subscribe(receiver.url + "/raw/200", "contact_updated", attributes=["firstname"])
    ref = client.contacts.create(new_email)
    client.contacts.update(ref.uuid, attributes={"lastname": "Ignored"})
    assert engine.wait_idle(5)
    assert _raw_bodies(receiver, "/raw/200", ref.uuid) == []
    client.contacts.update(ref.uuid, attributes={"firstname": "Chosen"})
    assert engine.wait_idle(5)
    (body,) = _raw_bodies(receiver, "/raw/200", ref.uuid)
    payload = json.loads(body)
    assert payload["type"] == "contact_updated"
    assert payload["data"]["contact"]["current_values"]["firstname"] == "Chosen"
    assert b'"_' not in body  # sandbox-only keys such as _changed_attributes are never delivered


def test_contact_updated_reaches_an_async_handler(
    client: PiggyClient, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    subscribe(receiver.url + "/piggy/webhooks", "contact_updated", attributes=["lastname"])
    ref = client.contacts.create(new_email)
    client.contacts.update(ref.uuid, attributes={"lastname": "Async"})
    event = receiver.wait_for(lambda e: e.type == "contact_updated" and e.contact.uuid == ref.uuid)
    assert event.contact.current_values["lastname"] == "Async"
    assert "async:contact_updated" in receiver.handler_calls


# -- one trigger per event type that another sandbox area causes; each returns the entity uuid to look for ----------


def _new_contact(client: PiggyClient) -> str:
    return client.contacts.create(f"hook-{uuid.uuid4().hex[:10]}@example.com").uuid


def _credit_reception(sandbox: Sandbox, client: PiggyClient) -> str:
    body = {"contact_uuid": _new_contact(client), "shop_uuid": ids.SHOP_AMSTERDAM, "unit_value": 12.5}
    return str(_api(sandbox, "POST", "/credit-receptions", body)["uuid"])


def _prepaid_transaction(sandbox: Sandbox, client: PiggyClient) -> str:
    body = {"contact_uuid": _new_contact(client), "amount_in_cents": 1500, "shop_uuid": ids.SHOP_WEB}
    return str(_api(sandbox, "POST", "/prepaid-transactions", body)["uuid"])


def _giftcard_transaction(sandbox: Sandbox, client: PiggyClient) -> str:
    program = ids.fixed("giftcard_program", "bean-there")
    card = _api(sandbox, "POST", "/giftcards", {"giftcard_program_uuid": program, "type": 1})
    body = {"giftcard_uuid": card["uuid"], "amount_in_cents": 2500, "shop_uuid": ids.SHOP_WEB}
    return str(_api(sandbox, "POST", "/giftcard-transactions", body)["uuid"])


def _contact_identifier(sandbox: Sandbox, client: PiggyClient) -> str:
    value = f"CARD-{uuid.uuid4().hex[:10]}"
    _api(
        sandbox,
        "POST",
        "/contact-identifiers",
        {"contact_identifier_value": value, "contact_uuid": _new_contact(client)},
    )
    return value


def _voucher(sandbox: Sandbox, client: PiggyClient) -> dict[str, Any]:
    promotions = _api(sandbox, "GET", "/promotions")
    if not promotions:
        pytest.skip("the demo seed has no promotion yet")
    body = {"promotion_uuid": promotions[0]["uuid"], "contact_uuid": _new_contact(client)}
    voucher: dict[str, Any] = _api(sandbox, "POST", "/vouchers", body)
    return voucher


def _voucher_created(sandbox: Sandbox, client: PiggyClient) -> str:
    return str(_voucher(sandbox, client)["uuid"])


def _voucher_updated(sandbox: Sandbox, client: PiggyClient) -> str:
    voucher = _voucher(sandbox, client)
    _api(sandbox, "PUT", f"/vouchers/{voucher['uuid']}", {"status": "DEACTIVATED"})
    return str(voucher["uuid"])


def _voucher_redeemed(sandbox: Sandbox, client: PiggyClient) -> str:
    voucher = _voucher(sandbox, client)
    body = {"code": voucher["code"], "shop_uuid": ids.SHOP_AMSTERDAM, "contact_uuid": voucher["contact"]["uuid"]}
    _api(sandbox, "POST", "/vouchers/redeem", body)
    return str(voucher["uuid"])


def _reward_updated(sandbox: Sandbox, client: PiggyClient) -> str:
    rewards = _api(sandbox, "GET", "/rewards")
    if not rewards:
        pytest.skip("the demo seed has no reward yet")
    reward = rewards[0]
    _api(sandbox, "PUT", f"/rewards/{reward['uuid']}", {"description": f"changed {uuid.uuid4().hex[:6]}"})
    _api(sandbox, "PUT", f"/rewards/{reward['uuid']}", {"description": reward.get("description") or ""})
    return str(reward["uuid"])


TRIGGERS: dict[str, tuple[Callable[[Sandbox, PiggyClient], str], str]] = {
    "credit_reception_created": (_credit_reception, "uuid"),
    "prepaid_transaction_created": (_prepaid_transaction, "uuid"),
    "giftcard_transaction_created": (_giftcard_transaction, "uuid"),
    "contact_identifier_created": (_contact_identifier, "value"),
    "voucher_created": (_voucher_created, "uuid"),
    "voucher_updated": (_voucher_updated, "uuid"),
    "voucher_redeemed": (_voucher_redeemed, "uuid"),
    "reward_updated": (_reward_updated, "uuid"),
}
ENTITY = {
    "credit_reception_created": "credit_reception",
    "prepaid_transaction_created": "prepaid_transaction",
    "giftcard_transaction_created": "giftcard_transaction",
    "contact_identifier_created": "contact_identifier",
    "voucher_created": "voucher",
    "voucher_updated": "voucher",
    "voucher_redeemed": "voucher",
    "reward_updated": "reward",
}


@pytest.mark.parametrize("event_type", list(TRIGGERS))
def test_events_caused_through_the_api_reach_the_receiver_typed(
    event_type: str, client: PiggyClient, sandbox: Sandbox, receiver: Receiver, subscribe: Subscribe
) -> None:
    trigger, key = TRIGGERS[event_type]
    subscribe(receiver.url + "/piggy/webhooks", event_type)
    wanted = trigger(sandbox, client)

    def match(event: WebhookEvent) -> bool:
        entity = getattr(event, ENTITY[event_type], None)
        return event.type == event_type and entity is not None and getattr(entity, key) == wanted

    receiver.wait_for(match)
    assert f"default:{event_type}" in receiver.handler_calls


# -- delivery rules -------------------------------------------------------------------------------------------------


def test_an_inactive_subscription_receives_nothing_until_reactivated(
    client: PiggyClient, engine: DeliveryEngine, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    sub = subscribe(receiver.url + "/raw/200", "contact_created", status="INACTIVE")
    paused = client.contacts.create(new_email)
    assert engine.wait_idle(5)
    assert _raw_bodies(receiver, "/raw/200", paused.uuid) == []
    client.webhook_subscriptions.update(sub.uuid, status="ACTIVE")
    resumed = client.contacts.create("again-" + new_email)
    _wait_until(lambda: bool(_raw_bodies(receiver, "/raw/200", resumed.uuid)))


def test_a_receiver_that_fails_twice_is_retried_until_it_succeeds(
    client: PiggyClient, sandbox: Sandbox, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    receiver.failures_left = 2
    sub = subscribe(receiver.url + "/flaky", "contact_created")
    ref = client.contacts.create(new_email)
    receiver.wait_for(lambda e: getattr(e, "contact", None) is not None and e.contact.uuid == ref.uuid, path="/flaky")
    attempts = _attempts(sandbox, sub.uuid)
    assert [(a["attempt"], a["status_code"], a["succeeded"]) for a in attempts] == [
        (1, 500, False),
        (2, 500, False),
        (3, 200, True),
    ]
    assert [a["will_retry"] for a in attempts] == [True, True, False]
    assert {a["event_type"] for a in attempts} == {"contact_created"} and attempts[0]["url"] == receiver.url + "/flaky"


def test_delivery_gives_up_after_five_retries(
    client: PiggyClient, sandbox: Sandbox, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    sub = subscribe(receiver.url + "/raw/503", "contact_created")
    client.contacts.create(new_email)
    attempts = _attempts(sandbox, sub.uuid)
    assert [a["attempt"] for a in attempts] == [1, 2, 3, 4, 5, 6]
    assert all(a["status_code"] == 503 for a in attempts) and attempts[-1]["will_retry"] is False


def test_connection_errors_are_recorded_and_retried(
    client: PiggyClient, sandbox: Sandbox, subscribe: Subscribe, new_email: str
) -> None:
    sub = subscribe(f"http://127.0.0.1:{free_port()}/nobody-listens", "contact_created")
    client.contacts.create(new_email)
    attempts = _attempts(sandbox, sub.uuid)
    assert len(attempts) == 6
    assert all(a["status_code"] is None and a["error"] for a in attempts)


@pytest.mark.parametrize("stop", ["delete", "deactivate"])
def test_deleting_or_deactivating_a_subscription_cancels_its_pending_retries(
    stop: str,
    client: PiggyClient,
    sandbox: Sandbox,
    engine: DeliveryEngine,
    receiver: Receiver,
    subscribe: Subscribe,
    new_email: str,
) -> None:
    engine.base_delay = 0.5
    sub = subscribe(receiver.url + "/raw/500", "contact_created")
    client.contacts.create(new_email)
    _wait_until(lambda: len(engine.attempts(subscription_uuid=sub.uuid)) == 1)
    if stop == "delete":
        client.webhook_subscriptions.delete(sub.uuid)
    else:
        client.webhook_subscriptions.update(sub.uuid, status="INACTIVE")
    assert engine.wait_idle(5)
    assert len(_attempts(sandbox, sub.uuid)) == 1


def test_a_slow_receiver_never_slows_the_api_call(
    client: PiggyClient, engine: DeliveryEngine, receiver: Receiver, subscribe: Subscribe, new_email: str
) -> None:
    sub = subscribe(receiver.url + "/slow", "contact_created")
    started = time.monotonic()
    client.contacts.create(new_email)
    assert time.monotonic() - started < 1.0
    assert engine.wait_idle(10)
    assert [a["status_code"] for a in engine.attempts(subscription_uuid=sub.uuid)] == [200]


def test_reset_drops_pending_deliveries_and_their_history(fresh_sandbox: Sandbox, receiver: Receiver) -> None:
    engine: DeliveryEngine = fresh_sandbox.app.state.webhooks
    engine.base_delay = 30
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as c:
        c.webhook_subscriptions.create(name="r", url=receiver.url + "/raw/500", event_type="contact_created")
        c.contacts.create(f"reset-{uuid.uuid4().hex[:8]}@example.com")
        _wait_until(lambda: len(engine.attempts()) == 1)
        assert engine.pending() == 1  # the first retry waits 30 s
        fresh_sandbox.reset()
        assert engine.pending() == 0 and engine.attempts() == []
        assert c.webhook_subscriptions.list(status="ACTIVE") == []


def test_stopping_the_sandbox_stops_the_delivery_worker(receiver: Receiver) -> None:
    sandbox = Sandbox.start(seed="empty")
    engine: DeliveryEngine = sandbox.app.state.webhooks
    try:
        with PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as c:
            c.webhook_subscriptions.create(name="s", url=receiver.url + "/raw/200", event_type="contact_created")
            c.contacts.create(f"stop-{uuid.uuid4().hex[:8]}@example.com")
        assert engine.wait_idle(5) and engine.running
    finally:
        sandbox.stop()
    assert not engine.running


def test_the_deliveries_route_needs_the_sandbox_key(sandbox: Sandbox) -> None:
    import httpx

    assert httpx.get(sandbox.base_url + "/_sandbox/webhook-deliveries").status_code == 401
    with sandbox.http() as http:
        answer = http.get("/_sandbox/webhook-deliveries", params={"wait": 1})
    assert answer.status_code == 200 and isinstance(answer.json()["data"], list)
    assert answer.json()["meta"]["idle"] is True
