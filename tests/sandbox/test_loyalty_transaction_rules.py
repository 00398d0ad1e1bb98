"""Edge rules of the loyalty endpoints over raw HTTP and the client: the exact meta format A of the transactions list,
1003 for bad filters, unknown references, identifiers on awards, a reversed claim in the history, reward_updated."""

from __future__ import annotations

from typing import Any

import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import InvalidRequestError, NotFoundError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.app import API_PREFIX
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.rewards import FREE_PASTRY

AMS = ids.SHOP_AMSTERDAM
LUCAS = ids.fixed("contact", "lucas")  # Gold; two seeded awards, then a seeded tote bag claim


def test_transactions_meta_is_format_a_with_a_numeric_limit(sandbox: Sandbox) -> None:
    with sandbox.http() as http:
        body = http.get(f"{API_PREFIX}/loyalty-transactions", params={"contact_uuid": LUCAS, "limit": 1}).json()
    total = body["meta"]["total"]
    assert total >= 3
    # Recorded (leat-openapi.yaml, List Loyalty Transactions): limit is a number here, unlike GET /contacts.
    assert body["meta"] == {
        "page": 1,
        "limit": 1,
        "viewing_from": 1,
        "viewing_to": 1,
        "last_page": total,
        "total": total,
    }
    assert body["data"][0]["type"] == "reward_reception"  # newest first by default


def test_date_bounds_are_inclusive_or_exclusive_as_named(sandbox: Sandbox) -> None:
    seeded_at = "2025-01-15T10:00:00+00:00"
    with sandbox.http() as http:

        def credits(**params: str) -> list[int]:
            query = {"contact_uuid": LUCAS, "type": "credit_receptions", "sort": "created_at", **params}
            return [t["credits"] for t in http.get(f"{API_PREFIX}/loyalty-transactions", params=query).json()["data"]]

        assert credits(**{"created_at[lte]": seeded_at})[:2] == [1100, 450]
        assert credits(**{"created_at[lt]": seeded_at}) == []
        assert 1100 not in credits(**{"created_at[gt]": seeded_at})
        assert credits(**{"created_at[gte]": "2025-01-15"})[:2] == [1100, 450]  # a date alone is midnight UTC


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "101"},
        {"limit": "0"},
        {"page": "0"},
        {"type": "credit_reception"},
        {"sort": "credits"},
        {"created_at[gte]": "yesterday"},
        {"created_at[after]": "2025-01-01"},
    ],
)
def test_bad_transaction_filters_are_1003(sandbox: Sandbox, params: dict[str, str]) -> None:
    with sandbox.http() as http:
        answer = http.get(f"{API_PREFIX}/loyalty-transactions", params=params)
    assert answer.status_code == 400
    assert answer.json()["code"] == 1003 and answer.json()["message"] == "Invalid input."


@pytest.mark.parametrize(
    ("filters", "code"),
    [({"contact_uuid": ids.fixed("contact", "ghost")}, 55031), ({"shop_uuid": ids.fixed("shop", "ghost")}, 1008)],
)
def test_filtering_by_an_unknown_contact_or_shop_names_it(
    client: PiggyClient, filters: dict[str, Any], code: int
) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.loyalty_transactions.list(**filters)
    assert caught.value.code == code


def test_an_identifier_used_for_an_award_is_echoed_and_an_unknown_one_is_60003(
    client: PiggyClient, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    card = f"CARD-{new_email[5:17]}"
    client.contact_identifiers.create(card, contact_uuid=contact)
    reception = client.credit_receptions.create(
        contact_uuid=contact, shop_uuid=AMS, credits=4, contact_identifier_value=card
    )
    assert reception.contact_identifier is not None and reception.contact_identifier["value"] == card
    with pytest.raises(NotFoundError) as caught:
        client.credit_receptions.create(
            contact_uuid=contact, shop_uuid=AMS, credits=4, contact_identifier_value="no-such-card"
        )
    assert caught.value.code == 60003
    assert client.contacts.get_credit_balance(contact).balance == 4


def test_calculate_with_an_unknown_unit_is_60007(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.credit_receptions.calculate(shop_uuid=AMS, unit_value=5, unit_name="no_such_unit")
    assert caught.value.code == 60007


def test_a_pos_transaction_link_is_refused_with_1027(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email).uuid
    with pytest.raises(NotFoundError) as caught:
        client.credit_receptions.create(
            contact_uuid=contact, shop_uuid=AMS, credits=4, pos_transaction_uuid=ids.fixed("pos", "x")
        )
    assert caught.value.code == 1027 and client.contacts.get_credit_balance(contact).balance == 0


def test_a_reversed_claim_shows_the_claim_and_its_refund(client: PiggyClient, new_email: str) -> None:
    contact = client.contacts.create(new_email).uuid
    client.credit_receptions.create(contact_uuid=contact, shop_uuid=AMS, credits=100)
    claim = client.reward_receptions.create(contact_uuid=contact, reward_uuid=FREE_PASTRY, shop_uuid=AMS)
    refund = client.reward_receptions.reverse(claim.uuid)
    items = client.loyalty_transactions.list(contact_uuid=contact, sort="created_at").items
    assert [(t.type, t.credits) for t in items] == [
        ("credit_reception", 100),
        ("reward_reception", -80),
        ("credit_reception", 80),
    ]
    assert items[2].uuid == refund.uuid
    assert client.contacts.get_credit_balance(contact).balance == 100


def test_an_attribute_may_not_shadow_a_reception_field(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.loyalty_transaction_attributes.create(name="credits", data_type="number")
    assert "name" in caught.value.errors


def test_updating_a_reward_emits_reward_updated(fresh_sandbox: Sandbox) -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    fresh_sandbox.store.add_listener(lambda kind, payload: events.append((kind, payload)))
    with PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url) as fresh:
        fresh.rewards.update(FREE_PASTRY, required_credits=90)
        assert fresh.rewards.get(FREE_PASTRY).required_credits == 90
    updated = [p["reward"] for kind, p in events if kind == "reward_updated"]
    assert [(r["uuid"], r["required_credits"]) for r in updated] == [(FREE_PASTRY, 90)]
    assert len(fresh_sandbox.audit("rewards.update")) == 1
