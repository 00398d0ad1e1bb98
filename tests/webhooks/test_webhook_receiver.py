"""The receiving side: ``verify_signature`` and ``parse_event`` units, ``webhook_router`` over real HTTP (401 on a
bad signature, sync/async/default handlers, 500 when a handler fails), and all 13 event types end to end."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from _webhook_receiver import SECRET, Receiver

from piggy_agent_tools.models.webhooks import EVENT_TYPES
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.webhooks import (
    EVENT_MODELS,
    ContactCreatedEvent,
    GenericEvent,
    VoucherRedeemedEvent,
    WebhookPayloadError,
    compute_signature,
    parse_event,
    verify_signature,
    webhook_router,
)

BODY = b'{"type":"voucher_redeemed","data":{"voucher":{"uuid":"v-1","code":"ABC","is_redeemed":true}}}'


def _entity(key: str, uuid: str) -> dict[str, Any]:
    entity: dict[str, Any] = {"uuid": uuid}
    if key == "contact":
        entity["email"] = f"{uuid}@example.com"
    return entity


# -- verify_signature ----------------------------------------------------------------------------------------------


def test_a_correct_signature_verifies() -> None:
    assert verify_signature(BODY, compute_signature(BODY, "k"), "k")
    assert verify_signature(BODY, compute_signature(BODY, "k").upper(), "k")


@pytest.mark.parametrize(
    ("body", "signature", "secret"),
    [
        (BODY + b" ", compute_signature(BODY, "k"), "k"),  # body changed by one byte
        (BODY, compute_signature(BODY, "k"), "other"),  # wrong secret
        (BODY, "", "k"),  # missing header
        (BODY, None, "k"),
        (BODY, compute_signature(BODY, ""), ""),  # no secret configured never verifies
        (BODY, "é" * 64, "k"),  # non-ASCII garbage is rejected, not an exception
    ],
)
def test_a_wrong_or_missing_signature_does_not_verify(body: bytes, signature: str | None, secret: str) -> None:
    assert verify_signature(body, signature, secret) is False


def test_the_signature_is_hex_hmac_sha256_of_the_raw_bytes() -> None:
    assert compute_signature(b"abc", "key") == "9c196e32dc0175f86f4b1cb89289d6619de6bee699e4c378e68309ed97a1a6ab"


# -- parse_event ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_documented_event_type_parses_to_its_own_model(event_type: str) -> None:
    model, key = EVENT_MODELS[event_type]
    raw = json.dumps({"type": event_type, "data": {key: _entity(key, "u-1")}}).encode()
    event = parse_event(raw)
    assert type(event) is model and event.type == event_type
    assert getattr(event, key).uuid == "u-1" and event.data[key]["uuid"] == "u-1"


def test_all_thirteen_event_types_are_known() -> None:
    assert len(EVENT_TYPES) == 13 and set(EVENT_MODELS) == set(EVENT_TYPES)


def test_a_voucher_event_exposes_the_voucher_typed() -> None:
    event = parse_event(BODY)
    assert isinstance(event, VoucherRedeemedEvent)
    assert event.voucher.code == "ABC" and event.voucher.is_redeemed is True


def test_an_unknown_event_type_becomes_a_generic_event() -> None:
    event = parse_event(b'{"type":"voucher_deleted","data":{"voucher":{"uuid":"v-9"}}}')
    assert isinstance(event, GenericEvent) and event.type == "voucher_deleted"
    assert event.data == {"voucher": {"uuid": "v-9"}}


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"data": {}}',
        b'{"type": "contact_created", "data": "x"}',
        b'{"type": "contact_created", "data": {}}',  # a known type without its entity
        b'{"type": "contact_created", "data": {"contact": {"email": "no-uuid@example.com"}}}',
    ],
)
def test_a_body_that_is_not_an_event_raises_a_value_error(raw: bytes) -> None:
    with pytest.raises(WebhookPayloadError) as caught:
        parse_event(raw)
    assert isinstance(caught.value, ValueError)


def test_an_entity_given_directly_under_data_is_accepted() -> None:
    event = parse_event(b'{"type":"credit_reception_created","data":{"uuid":"cr-1","credits":5}}')
    assert event.credit_reception.credits == 5


# -- webhook_router over HTTP --------------------------------------------------------------------------------------


def _post(receiver: Receiver, path: str, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Signature"] = signature
    return httpx.post(receiver.url + path, content=body, headers=headers)


def _contact_body(uuid: str, event_type: str = "contact_created") -> bytes:
    return json.dumps({"type": event_type, "data": {"contact": {"uuid": uuid, "email": "r@example.com"}}}).encode()


@pytest.mark.parametrize("signature", [None, "", "0" * 64, compute_signature(b"other body", SECRET)])
def test_the_router_rejects_a_bad_or_missing_signature_with_401(receiver: Receiver, signature: str | None) -> None:
    body = _contact_body(f"bad-sig-{signature!s:.8}")
    answer = _post(receiver, "/piggy/webhooks", body, signature)
    assert answer.status_code == 401
    assert (
        receiver.matching(lambda e: isinstance(e, ContactCreatedEvent) and e.contact.uuid.startswith("bad-sig")) == []
    )


def test_the_router_dispatches_a_signed_event_to_its_sync_handler(receiver: Receiver) -> None:
    body = _contact_body("router-sync")
    answer = _post(receiver, "/piggy/webhooks", body, compute_signature(body, SECRET))
    assert answer.status_code == 200 and answer.json()["type"] == "contact_created"
    receiver.wait_for(lambda e: isinstance(e, ContactCreatedEvent) and e.contact.uuid == "router-sync", timeout=1)
    assert "sync:contact_created" in receiver.handler_calls


def test_events_without_a_handler_go_to_the_default_or_are_acknowledged(receiver: Receiver) -> None:
    body = b'{"type":"brand_new_event","data":{"thing":{"uuid":"t-1"}}}'
    assert _post(receiver, "/piggy/webhooks", body, compute_signature(body, SECRET)).status_code == 200
    receiver.wait_for(lambda e: isinstance(e, GenericEvent) and e.type == "brand_new_event", timeout=1)
    assert "default:brand_new_event" in receiver.handler_calls
    ignored = _post(receiver, "/only-contacts", BODY, compute_signature(BODY, SECRET))
    assert ignored.status_code == 200 and ignored.json()["status"] == "ignored"


def test_a_failing_handler_answers_500_so_piggy_retries(receiver: Receiver) -> None:
    receiver.failures_left = 1
    body = _contact_body("router-flaky")
    assert _post(receiver, "/flaky", body, compute_signature(body, SECRET)).status_code == 500
    assert _post(receiver, "/flaky", body, compute_signature(body, SECRET)).status_code == 200


def test_a_signed_body_that_is_not_an_event_answers_400(receiver: Receiver) -> None:
    body = b"{broken"
    assert _post(receiver, "/piggy/webhooks", body, compute_signature(body, SECRET)).status_code == 400


def test_the_router_refuses_to_be_built_without_a_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        webhook_router("", {})


# -- every event type, end to end through the sandbox's delivery engine ---------------------------------------------


def test_every_event_type_the_store_emits_arrives_signed_and_typed(fresh_sandbox: Sandbox, receiver: Receiver) -> None:
    """Events go in where routes emit them (a write transaction), so this covers types whose routes are pending."""
    with httpx.Client(
        base_url=fresh_sandbox.base_url, headers={"Authorization": f"Bearer {fresh_sandbox.api_key}"}
    ) as h:
        for event_type in EVENT_TYPES:
            body: dict[str, Any] = {"name": event_type, "url": receiver.url + "/piggy/webhooks", "secret": SECRET}
            body |= {"event_type": event_type, "attributes": ["firstname"]}
            assert h.post("/api/v3/oauth/clients/webhook-subscriptions", json=body).status_code == 201
    with fresh_sandbox.store.tx("test.emit_all") as tx:
        for event_type in EVENT_TYPES:
            _, key = EVENT_MODELS[event_type]
            payload: dict[str, Any] = {key: _entity(key, f"e2e-{event_type}")}
            if event_type == "contact_updated":
                payload["_changed_attributes"] = ["firstname"]
            tx.emit(event_type, payload)
    assert fresh_sandbox.app.state.webhooks.wait_idle(10)
    for event_type in EVENT_TYPES:
        model, key = EVENT_MODELS[event_type]
        event = receiver.wait_for(lambda e, t=event_type, k=key: e.type == t and getattr(e, k).uuid == f"e2e-{t}")
        assert type(event) is model
