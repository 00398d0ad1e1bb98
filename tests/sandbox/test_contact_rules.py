"""Business rules of the contacts area in the sandbox: attribute validation, delete and GDPR erasure, merge and
claim moving balances, anonymous contacts and identifiers, subscriptions, login codes and session tokens.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from piggy_agent_tools import NotFoundError, PiggyClient
from piggy_agent_tools.errors import AuthenticationError, ConflictError, InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.domain.contacts import find_by_email
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception, credit_reception_view
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.attributes import SUBSCRIPTION_FUNCTIONAL, SUBSCRIPTION_NEWSLETTER

API = "/api/v3/oauth/clients"


def _earn(sandbox: Sandbox, contact_uuid: str, credits: int) -> str:
    """Give the contact credits through a real credit reception; returns the reception's uuid."""
    with sandbox.store.tx() as tx:
        contact, shop, unit = (
            tx.get("contact", contact_uuid),
            tx.get("shop", ids.SHOP_AMSTERDAM),
            tx.get("unit", ids.UNIT_PURCHASE),
        )
        assert contact and shop and unit
        return str(create_credit_reception(tx, contact, shop, unit, credits=credits, unit_value=float(credits))["uuid"])


def _doc(sandbox: Sandbox, kind: str, uuid_: str) -> dict[str, Any] | None:
    with sandbox.store.tx() as tx:
        return tx.get(kind, uuid_)


def _events(sandbox: Sandbox) -> list[tuple[str, dict[str, Any]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    sandbox.store.add_listener(lambda event, payload: seen.append((event, payload)))
    return seen


# --- update ---


@pytest.mark.parametrize("name", ["email", "loyalty_balance", "created_at", "channel", "tier"])
def test_updating_a_system_defined_value_fails_with_1003_naming_it(client: PiggyClient, name: str) -> None:
    before = client.contacts.get(ids.TOM)
    with pytest.raises(InvalidRequestError) as caught:
        client.contacts.update(ids.TOM, attributes={name: "1"})
    assert caught.value.code == 1003 and f"attributes.{name}" in caught.value.errors
    after = client.contacts.get(ids.TOM)
    assert after.current_values.get(name) == before.current_values.get(name)


def test_updating_an_unknown_attribute_fails_and_changes_nothing(client: PiggyClient, new_email: str) -> None:
    ref = client.contacts.create(new_email)
    with pytest.raises(InvalidRequestError) as caught:
        client.contacts.update(ref.uuid, attributes={"firstname": "Sam", "firstName": "Sam"})
    assert list(caught.value.errors) == ["attributes.firstName"]
    assert client.contacts.get(ref.uuid).current_values["firstname"] is None


def test_a_custom_select_only_takes_its_options(client: PiggyClient, new_email: str) -> None:
    ref = client.contacts.create(new_email)
    with pytest.raises(InvalidRequestError) as caught:
        client.contacts.update(ref.uuid, attributes={"favourite_drink": "cola"})
    assert "attributes.favourite_drink" in caught.value.errors
    updated = client.contacts.update(ref.uuid, attributes={"favourite_drink": "latte", "newsletter_opt_in": "1"})
    assert updated.current_values["favourite_drink"] == "latte"
    assert updated.current_values["newsletter_opt_in"] is True


def test_update_emits_contact_updated_with_only_the_changed_attributes(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    ref = client.contacts.create(new_email)
    client.contacts.update(ref.uuid, attributes={"firstname": "Ann"})
    seen = _events(sandbox)
    client.contacts.update(ref.uuid, attributes={"firstname": "Ann", "lastname": "Lee"})
    client.contacts.update(ref.uuid, attributes={"lastname": "Lee"})  # no change: no event
    mine = [p for e, p in seen if e == "contact_updated" and p["contact"]["uuid"] == ref.uuid]
    assert [p["_changed_attributes"] for p in mine] == [["lastname"]]
    assert mine[0]["contact"]["current_values"]["lastname"] == "Lee"


# --- delete ---


def test_default_delete_removes_the_contact_and_unlinks_its_identifiers(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    ref = client.contacts.create(new_email)
    with sandbox.store.tx() as tx:
        card = tx.insert(
            "contact_identifier", {"name": "Card", "value": f"C-{ref.uuid}", "active": True, "contact_uuid": ref.uuid}
        )
    with sandbox.http() as http:
        answer = http.post(f"{API}/contacts/{ref.uuid}/delete", json={"type": "DEFAULT"})
    assert answer.status_code == 200 and answer.json() == {"data": None, "meta": {}}
    with pytest.raises(NotFoundError) as caught:
        client.contacts.get(ref.uuid)
    assert caught.value.code == 55031
    assert (_doc(sandbox, "contact_identifier", card["uuid"]) or {})["contact_uuid"] is None
    assert [r["args"]["type"] for r in sandbox.audit("contacts.delete") if r["args"]["contact_uuid"] == ref.uuid] == [
        "DEFAULT"
    ]


def test_default_delete_keeps_transactions_readable_with_their_data(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    ref = client.contacts.create(new_email)
    reception = _earn(sandbox, ref.uuid, 25)
    client.contacts.delete(ref.uuid)
    with sandbox.store.tx() as tx:
        doc = tx.get("credit_reception", reception)
        assert doc is not None
        view = credit_reception_view(tx, doc)
    assert view["credits"] == 25 and view["contact"]["uuid"] == ref.uuid


def test_gdpr_delete_erases_personal_data_from_the_contacts_transactions(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    ref = client.contacts.create(new_email)
    reception = _earn(sandbox, ref.uuid, 10)
    with sandbox.store.tx() as tx:
        giftcard_tx = tx.insert(
            "giftcard_transaction",
            {
                "contact_uuid": ref.uuid,
                "amount_in_cents": 500,
                "contact": {"email": new_email, "name": "Sam Lee"},
                "email": new_email,
            },
        )
        other = tx.insert("giftcard_transaction", {"contact_uuid": ids.TOM, "email": "tom.berg@example.com"})
    client.contacts.delete(ref.uuid, type="GDPR")
    scrubbed = _doc(sandbox, "giftcard_transaction", giftcard_tx["uuid"]) or {}
    assert scrubbed["email"] is None and scrubbed["contact"] == {"email": None, "name": None}
    assert scrubbed["amount_in_cents"] == 500
    assert (_doc(sandbox, "giftcard_transaction", other["uuid"]) or {})["email"] == "tom.berg@example.com"
    with sandbox.store.tx() as tx:
        doc = tx.get("credit_reception", reception)
        assert doc is not None
        view = credit_reception_view(tx, doc)  # the contact is gone: the view must still work
    assert view["contact"]["email"] is None and view["credits"] == 10
    rows = [r for r in sandbox.audit("contacts.erase_personal_data") if r["args"]["contact_uuid"] == ref.uuid]
    erased = {e["uuid"]: set(e["fields"]) for e in rows[0]["args"]["erased"]}
    assert erased[giftcard_tx["uuid"]] == {"email", "contact.email", "contact.name"}
    with pytest.raises(NotFoundError):
        client.contacts.get(ref.uuid)


def test_deleting_an_unknown_contact_is_55031(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.contacts.delete(str(uuid.uuid4()), type="GDPR")
    assert caught.value.code == 55031


# --- merge and claim ---


def test_merge_moves_balances_and_transactions_to_the_destination(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    source = client.contacts.create(new_email)
    destination = client.contacts.create(f"d-{new_email}")
    moved = _earn(sandbox, source.uuid, 40)
    _earn(sandbox, destination.uuid, 15)
    client.contacts.update(source.uuid, attributes={"firstname": "Source", "city": "Utrecht"})
    client.contacts.update(destination.uuid, attributes={"firstname": "Dest"})
    client.contacts.merge(source_contact_uuid=source.uuid, destination_contact_uuid=destination.uuid)
    merged = client.contacts.get(destination.uuid)
    assert client.contacts.get_credit_balance(destination.uuid).balance == 55
    assert merged.current_values["loyalty_number_of_transactions"] == 2
    assert merged.current_values["firstname"] == "Dest" and merged.current_values["city"] == "Utrecht"
    assert (_doc(sandbox, "credit_reception", moved) or {})["contact_uuid"] == destination.uuid
    with pytest.raises(NotFoundError):
        client.contacts.get(source.uuid)


def test_merging_a_contact_into_itself_is_refused(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError):
        client.contacts.merge(source_contact_uuid=ids.TOM, destination_contact_uuid=ids.TOM)
    assert client.contacts.get(ids.TOM).uuid == ids.TOM


def test_claiming_with_an_existing_email_merges_into_that_contact(
    client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    existing = client.contacts.create(new_email)
    _earn(sandbox, existing.uuid, 5)
    anonymous = client.contacts.create_anonymous()
    _earn(sandbox, anonymous.uuid, 30)
    claimed = client.contacts.claim(anonymous.uuid, email=new_email)
    assert claimed.uuid == existing.uuid
    assert claimed.credit_balance is not None and claimed.credit_balance.balance == 35
    with pytest.raises(NotFoundError):
        client.contacts.get(anonymous.uuid)


def test_a_claimed_contact_cannot_be_claimed_again(client: PiggyClient, new_email: str) -> None:
    anonymous = client.contacts.create_anonymous()
    client.contacts.claim(anonymous.uuid, email=new_email)
    with pytest.raises(ConflictError) as caught:
        client.contacts.claim(anonymous.uuid, email=f"x-{new_email}")
    assert caught.value.code == 60016


def test_claim_emits_contact_updated_for_email(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    anonymous = client.contacts.create_anonymous()
    seen = _events(sandbox)
    client.contacts.claim(anonymous.uuid, email=new_email)
    changes = [
        p["_changed_attributes"] for e, p in seen if e == "contact_updated" and p["contact"]["uuid"] == anonymous.uuid
    ]
    assert changes == [["email", "is_anonymous"]]


# --- anonymous contacts and identifiers ---


@pytest.mark.parametrize(
    ("identifier", "code"),
    [
        (None, 60003),
        ({"active": True, "contact_uuid": ids.JANE}, 60014),
        ({"active": False, "contact_uuid": None}, 60004),
    ],
)
def test_anonymous_contact_with_an_unusable_identifier_creates_nothing(
    client: PiggyClient, sandbox: Sandbox, identifier: dict[str, Any] | None, code: int
) -> None:
    value = f"QR-{uuid.uuid4().hex[:10]}"
    if identifier is not None:
        with sandbox.store.tx() as tx:
            tx.insert("contact_identifier", {"name": value, "value": value, **identifier})
    with sandbox.store.tx() as tx:
        before = len(tx.all("contact"))
    with pytest.raises((NotFoundError, ConflictError)) as caught:
        client.contacts.create_anonymous(contact_identifier_value=value)
    assert caught.value.code == code
    with sandbox.store.tx() as tx:
        assert len(tx.all("contact")) == before


def test_anonymous_create_answers_meta_object(sandbox: Sandbox) -> None:
    with sandbox.http() as http:
        body = http.post(f"{API}/contacts/anonymous").json()
    assert set(body) == {"data", "meta"} and set(body["data"]) == {"uuid"} and body["meta"] == {}


# --- subscriptions ---


def test_opt_out_types_start_subscribed_and_unsubscribing_sticks(client: PiggyClient, new_email: str) -> None:
    ref = client.contacts.create(new_email)
    status = {s.subscription_type.uuid: s for s in client.contact_subscriptions.list(ref.uuid) if s.subscription_type}
    functional = status[SUBSCRIPTION_FUNCTIONAL]
    assert functional.status == "SUBSCRIBED"
    client.contact_subscriptions.unsubscribe(ref.uuid, subscription_type_uuid=SUBSCRIPTION_FUNCTIONAL)
    contact = client.contacts.get(ref.uuid)
    type_id = functional.subscription_type.id if functional.subscription_type else None
    assert contact.current_values[f"subscription_status_{type_id}"] == "UNSUBSCRIBED"


def test_double_opt_in_stays_pending_when_subscribed_twice(client: PiggyClient, new_email: str) -> None:
    ref = client.contacts.create(new_email)
    client.contact_subscriptions.subscribe(ref.uuid, subscription_type_uuid=SUBSCRIPTION_NEWSLETTER)
    again = client.contact_subscriptions.subscribe(ref.uuid, subscription_type_uuid=SUBSCRIPTION_NEWSLETTER)
    assert again.status == "PENDING_CONFIRMATION" and again.is_subscribed is False


def test_subscription_for_unknown_contact_is_55031(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.contact_subscriptions.subscribe(str(uuid.uuid4()), subscription_type_uuid=SUBSCRIPTION_FUNCTIONAL)
    assert caught.value.code == 55031


def test_subscription_list_meta_is_an_object_as_recorded(sandbox: Sandbox) -> None:
    with sandbox.http() as http:
        body = http.get(f"{API}/contact-subscriptions/{ids.JANE}").json()
    assert body["meta"] == {} and len(body["data"]) >= 3


# --- login codes and session tokens ---


def _code(sandbox: Sandbox, email: str) -> str:
    with sandbox.store.tx() as tx:
        return str(tx.find("contact_verification_code", email=email)[-1]["code"])


def test_a_login_code_works_once(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    client.contacts.create(new_email)
    client.contact_verification.send(new_email)
    code = _code(sandbox, new_email)
    client.contact_verification.verify(email=new_email, code=code)
    with pytest.raises(NotFoundError) as caught:
        client.contact_verification.verify(email=new_email, code=code)
    assert caught.value.code == 13010
    assert all(code not in str(r["args"]) for r in sandbox.audit("contact_verification.verify"))


def test_a_new_code_replaces_the_previous_one(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    client.contacts.create(new_email)
    client.contact_verification.send(new_email)
    first = _code(sandbox, new_email)
    client.contact_verification.send(new_email)
    second = _code(sandbox, new_email)
    if first != second:
        with pytest.raises(NotFoundError):
            client.contact_verification.verify(email=new_email, code=first)
    assert client.contact_verification.verify(email=new_email, code=second).uuid


def test_an_expired_code_is_13010(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    client.contacts.create(new_email)
    client.contact_verification.send(new_email)
    with sandbox.store.tx() as tx:
        doc = tx.find("contact_verification_code", email=new_email)[-1]
        doc["expires_at"] = "2000-01-01T00:00:00+00:00"
        tx.put("contact_verification_code", doc)
    with pytest.raises(NotFoundError) as caught:
        client.contact_verification.verify(email=new_email, code=str(doc["code"]))
    assert caught.value.code == 13010


def test_a_code_for_another_email_is_13010(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    client.contacts.create(new_email)
    client.contact_verification.send(new_email)
    with pytest.raises(NotFoundError):
        client.contact_verification.verify(email="jane.doe@example.com", code=_code(sandbox, new_email))


def test_an_expired_session_token_is_3000(client: PiggyClient, sandbox: Sandbox) -> None:
    token = client.contact_verification.get_auth_token(ids.TOM).auth_token
    with sandbox.store.tx() as tx:
        doc = tx.find_one("contact_session_token", token=token)
        assert doc is not None
        doc["expires_at"] = "2000-01-01T00:00:00+00:00"
        tx.put("contact_session_token", doc)
    with pytest.raises(AuthenticationError) as caught:
        client.contact_session_tokens.use(token)
    assert caught.value.code == 3000


def test_deleting_a_contact_ends_its_session_tokens(client: PiggyClient, new_email: str) -> None:
    ref = client.contacts.create(new_email)
    token = client.contact_verification.get_auth_token(ref.uuid).auth_token
    client.contacts.delete(ref.uuid)
    with pytest.raises(NotFoundError):
        client.contact_session_tokens.get(token)


def test_find_by_email_is_case_insensitive_after_claim(client: PiggyClient, sandbox: Sandbox, new_email: str) -> None:
    anonymous = client.contacts.create_anonymous()
    client.contacts.claim(anonymous.uuid, email=new_email.upper())
    with sandbox.store.tx() as tx:
        found = find_by_email(tx, new_email)
    assert found is not None and found["uuid"] == anonymous.uuid
