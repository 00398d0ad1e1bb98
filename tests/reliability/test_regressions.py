"""Regressions for the bugs the fuzz and fault-matrix work found; each test failed before its fix. Sandbox: numbers
that are not finite or overflow 64 bits, and very deep nesting, answered 500. Client: an unreadable 2xx to an award.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest

from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.errors import OutcomeUnknownError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from tests.reliability.fault_proxy import Fault, FaultProxy

API = "/api/v3/oauth/clients"


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    """A private sandbox: before the fixes some of these requests stored values that broke later answers."""
    with Sandbox.start(seed="demo", rate_limit=1_000_000_000) as sandbox:
        yield sandbox


def _send(
    sb: Sandbox, method: str, path: str, *, body: str | None = None, form: bool = False, **params: str
) -> httpx.Response:
    content_type = "application/x-www-form-urlencoded" if form else "application/json"
    # A fresh connection per request: before the fixes, the 500 closed the connection under the next request.
    headers = {"Authorization": f"Bearer {sb.api_key}", "Content-Type": content_type, "Connection": "close"}
    with httpx.Client(base_url=sb.base_url, headers=headers, timeout=30) as http:
        return http.request(method, API + path, content=body, params=params or None)


def _assert_invalid_input(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == 1003 and body["status_code"] == 400 and isinstance(body["message"], str), body
    assert isinstance(body.get("errors"), dict) and body["errors"], body


def _new_contact(sb: Sandbox) -> str:
    with PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as direct:
        return direct.contacts.create(f"regression-{uuid.uuid4().hex[:8]}@example.com").uuid


def _credit_writes(sb: Sandbox) -> int:
    return len(sb.audit("credit_receptions.create"))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_non_finite_unit_value_in_a_json_award_is_refused_with_1003_not_500(sb: Sandbox, number: str) -> None:
    before = _credit_writes(sb)
    body = f'{{"contact_uuid": "{ids.JANE}", "shop_uuid": "{ids.SHOP_AMSTERDAM}", "unit_value": {number}}}'
    _assert_invalid_input(_send(sb, "POST", "/credit-receptions", body=body))
    assert _credit_writes(sb) == before


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400"])
def test_a_non_finite_attribute_value_is_refused_and_the_contact_still_reads(sb: Sandbox, number: str) -> None:
    contact = _send(sb, "POST", "/contacts", body=json.dumps({"email": f"nan-{uuid.uuid4().hex[:8]}@example.com"}))
    contact_uuid = contact.json()["data"]["uuid"]
    _assert_invalid_input(
        _send(sb, "PUT", f"/contacts/{contact_uuid}", body=f'{{"attributes": {{"firstname": {number}}}}}')
    )
    assert _send(sb, "GET", f"/contacts/{contact_uuid}").status_code == 200


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "Infinity", "1e400"])
def test_a_non_finite_number_in_a_query_or_form_is_refused_with_1003_not_500(sb: Sandbox, text: str) -> None:
    _assert_invalid_input(
        _send(sb, "GET", "/credit-receptions/calculate", shop_uuid=ids.SHOP_AMSTERDAM, unit_value=text)
    )
    before = _credit_writes(sb)
    form = f"contact_uuid={ids.JANE}&shop_uuid={ids.SHOP_AMSTERDAM}&unit_value={text}"
    _assert_invalid_input(_send(sb, "POST", "/credit-receptions", body=form, form=True))
    assert _credit_writes(sb) == before


@pytest.mark.parametrize("amount", ["1" + "0" * 400], ids=["10**400"])
def test_an_amount_beyond_64_bits_is_refused_with_1003_not_500(sb: Sandbox, amount: str) -> None:
    before = len(sb.audit("prepaid_transactions.create"))
    body = f'{{"contact_uuid": "{ids.JANE}", "shop_uuid": "{ids.SHOP_AMSTERDAM}", "amount_in_cents": {amount}}}'
    _assert_invalid_input(_send(sb, "POST", "/prepaid-transactions", body=body))
    assert len(sb.audit("prepaid_transactions.create")) == before


def test_a_number_beyond_64_bits_reaching_a_route_validator_is_refused_with_1003_not_500(sb: Sandbox) -> None:
    """The loyalty-token validator turned 10**400 into a float (OverflowError): now refused before any validator."""
    body = {"version": "v2", "shop_uuid": ids.SHOP_AMSTERDAM, "unique_id": "r-1", "unit_name": "purchase_amount"}
    text = json.dumps({**body, "unit_value": "__N__"}).replace('"__N__"', "1" + "0" * 400)
    _assert_invalid_input(_send(sb, "POST", "/loyalty-tokens", body=text))


@pytest.mark.parametrize("where", ["value", "key"])
def test_a_lone_surrogate_in_a_json_string_is_refused_with_1003_not_500(sb: Sandbox, where: str) -> None:
    """Valid JSON but not text: it failed (UnicodeEncodeError) when stored or echoed."""
    contact = _new_contact(sb)
    attributes = '{"firstname": "\\ud800"}' if where == "value" else '{"\\ud800": "x"}'
    response = _send(sb, "PUT", f"/contacts/{contact}", body=f'{{"attributes": {attributes}}}')
    _assert_invalid_input(response)
    assert _send(sb, "GET", f"/contacts/{contact}").status_code == 200


@pytest.mark.parametrize("depth", [990, 100_000])
def test_deeply_nested_json_is_refused_with_1003_not_500(sb: Sandbox, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    _assert_invalid_input(_send(sb, "POST", "/contacts", body=f'{{"email": "deep@example.com", "x": {nested}}}'))
    before = _credit_writes(sb)
    award = f'{{"contact_uuid": "{ids.JANE}", "shop_uuid": "{ids.SHOP_AMSTERDAM}", "credits": 5, "x": {nested}}}'
    _assert_invalid_input(_send(sb, "POST", "/credit-receptions", body=award))
    assert _credit_writes(sb) == before


def test_deeply_nested_bracket_keys_in_a_form_or_query_are_refused_with_1003_not_500(sb: Sandbox) -> None:
    key = "attributes" + "[a]" * 3000
    _assert_invalid_input(_send(sb, "POST", "/contacts", body=f"{key}=1", form=True))
    _assert_invalid_input(_send(sb, "GET", "/contacts", **{key: "1"}))


def test_ordinary_nesting_and_numbers_still_work(sb: Sandbox) -> None:
    """The limits leave real payloads alone: bracket syntax, nested JSON, decimal strings."""
    made = _send(sb, "POST", "/contacts", body=f"email=ok-{uuid.uuid4().hex[:8]}@example.com", form=True)
    assert made.status_code == 200, made.text
    contact_uuid = made.json()["data"]["uuid"]
    updated = _send(sb, "PUT", f"/contacts/{contact_uuid}", body="attributes[firstname]=Jane", form=True)
    assert updated.status_code == 200, updated.text
    calculated = _send(sb, "GET", "/credit-receptions/calculate", shop_uuid=ids.SHOP_AMSTERDAM, unit_value="12.50")
    assert calculated.status_code == 200, calculated.text


# --- client ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", [Fault.MALFORMED_JSON, Fault.EMPTY_BODY], ids=["malformed-json", "empty-body"])
def test_an_unreadable_2xx_to_a_credit_award_raises_outcome_unknown_not_server_error(sb: Sandbox, fault: Fault) -> None:
    """Injected by the proxy: the award is processed, then its 200 answer is cut off or emptied."""
    contact = _new_contact(sb)
    with FaultProxy(sb.base_url, [fault]) as proxy, PiggyClient(api_key=sb.api_key, base_url=proxy.base_url) as client:
        with pytest.raises(OutcomeUnknownError) as info:
            client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=7)
        proxy.settle()
    assert "loyalty transactions" in info.value.how_to_check
    assert sum(1 for r in sb.audit("credit_receptions.create") if r["args"]["contact_uuid"] == contact) == 1


async def test_an_unreadable_2xx_to_a_credit_award_raises_outcome_unknown_async(sb: Sandbox) -> None:
    """Injected by the proxy: the award is processed, then its 200 answer is cut off."""
    contact = _new_contact(sb)
    with FaultProxy(sb.base_url, [Fault.MALFORMED_JSON]) as proxy:
        async with AsyncPiggyClient(api_key=sb.api_key, base_url=proxy.base_url) as client:
            with pytest.raises(OutcomeUnknownError):
                await client.credit_receptions.create(contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM, credits=7)
        proxy.settle()
