"""Voucher tools against the sandbox: what the model sees (content or error) and what really happened (state, audit).

Vouchers that change state are created by the test itself; the seeded codes (seed/vouchers.py) are only read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed import vouchers as seed
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import Risk
from tests.tools.helpers import acall, call, content

MakeToolkit = Callable[..., PiggyToolkit]
UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"
VOUCHER_TOOLS = {
    "list_promotions",
    "list_vouchers",
    "find_voucher",
    "validate_voucher",
    "create_voucher",
    "update_voucher",
    "redeem_voucher",
    "reverse_voucher_redemption",
}


def _counting(sandbox: Sandbox, **kwargs: Any) -> Iterator[tuple[PiggyToolkit, list[httpx.Request]]]:
    """A toolkit whose HTTP client records every request it sends (real HTTP to the sandbox, no mock)."""
    sent: list[httpx.Request] = []
    with httpx.Client(timeout=30, event_hooks={"request": [sent.append]}) as http:
        client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
        toolkit = PiggyToolkit(client=client, **kwargs)
        toolkit.get_tools()
        sent.clear()  # the first get_tools() may list the shops (the single-shop default)
        yield toolkit, sent


@pytest.fixture
def counted(sandbox: Sandbox) -> Iterator[tuple[PiggyToolkit, list[httpx.Request]]]:
    yield from _counting(sandbox)


@pytest.fixture
def counted_jane(sandbox: Sandbox) -> Iterator[tuple[PiggyToolkit, list[httpx.Request]]]:
    """Jane's customer-scoped toolkit, recording its requests."""
    yield from _counting(sandbox, contact_uuid=ids.JANE)


def _code() -> str:
    return f"TEST-{uuid.uuid4().hex[:10].upper()}"


def _voucher(client: PiggyClient, contact_uuid: str | None = None) -> str:
    """A new single-use spring voucher (10% off), optionally assigned; returns its code."""
    return client.vouchers.create(seed.PROMO_SPRING, code=_code(), contact_uuid=contact_uuid).code


def _rows(sandbox: Sandbox, operation: str, voucher_uuid: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit(operation) if r["args"].get("voucher_uuid") == voucher_uuid]


def _error(message: Any, *parts: str) -> None:
    assert message.status == "error", message.content
    for part in parts:
        assert part in str(message.content), (part, message.content)


# --- list_promotions ----------------------------------------------------------------------------------------------


def test_list_promotions_names_every_campaign_with_its_uuid(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_promotions"))
    by_uuid = {p["uuid"]: p for p in seen["promotions"]}
    assert by_uuid[seed.PROMO_SPRING]["name"] == "Spring 10% off"
    assert {seed.PROMO_FREE_COFFEE, seed.PROMO_COFFEE_CARD, seed.PROMO_XMAS} <= set(by_uuid)
    assert seen["total"] == len(seen["promotions"])


def test_list_promotions_with_a_uuid_gives_that_promotions_details(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_promotions", promotion_uuid=seed.PROMO_SPRING))
    promotion = seen["promotion"]
    assert promotion["uuid"] == seed.PROMO_SPRING and promotion["name"] == "Spring 10% off"
    assert promotion["voucher_limit"] == 5000 and promotion["valid_days"] == 90
    assert promotion["attributes"]["discount_pct"] == "10"
    card = content(call(toolkit, "list_promotions", promotion_uuid=seed.PROMO_COFFEE_CARD))["promotion"]
    assert card["redemptions_per_voucher"] == 5


def test_list_promotions_with_an_unknown_uuid_is_not_found(toolkit: PiggyToolkit) -> None:
    _error(call(toolkit, "list_promotions", promotion_uuid=UNKNOWN), "NotFoundError", "Promotion not found", "80002")


# --- list_vouchers ------------------------------------------------------------------------------------------------


def test_list_vouchers_of_a_customer_shows_codes_and_statuses(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_vouchers", contact_uuid=ids.JANE, limit=100))
    by_code = {v["code"]: v for v in seen["vouchers"]}
    assert by_code[seed.VOUCHER_SPRING]["status"] == "ACTIVE"
    assert by_code[seed.VOUCHER_SPRING]["promotion"] == "Spring 10% off"
    assert by_code[seed.VOUCHER_XMAS]["status"] == "EXPIRED"
    assert by_code[seed.VOUCHER_COFFEE_CARD]["redemptions_remaining"] == 3
    assert all(v["contact_uuid"] == ids.JANE for v in seen["vouchers"])


def test_list_vouchers_filters_by_status_and_promotion_and_pages(toolkit: PiggyToolkit) -> None:
    expired = content(call(toolkit, "list_vouchers", status="EXPIRED"))["vouchers"]
    assert seed.VOUCHER_XMAS in {v["code"] for v in expired} and {v["status"] for v in expired} == {"EXPIRED"}
    coffee = content(call(toolkit, "list_vouchers", promotion_uuid=seed.PROMO_FREE_COFFEE))["vouchers"]
    assert {seed.VOUCHER_COFFEE_TOM, seed.VOUCHER_COFFEE_LOCKED} <= {v["code"] for v in coffee}
    first = content(call(toolkit, "list_vouchers", limit=1))
    assert len(first["vouchers"]) == 1 and first["page"] == 1 and "page=2" in first["more"]


def test_list_vouchers_of_an_unknown_contact_is_not_found(toolkit: PiggyToolkit) -> None:
    _error(call(toolkit, "list_vouchers", contact_uuid=UNKNOWN), "NotFoundError", "55031")


# --- find_voucher -------------------------------------------------------------------------------------------------


def test_find_voucher_shows_status_promotion_and_expiry(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "find_voucher", code=seed.VOUCHER_SPRING))
    assert seen["code"] == seed.VOUCHER_SPRING and seen["status"] == "ACTIVE"
    assert seen["promotion"] == "Spring 10% off" and seen["contact_uuid"] == ids.JANE
    assert seen["expiration_date"].startswith("2099-12-31")
    assert content(call(toolkit, "find_voucher", code=seed.VOUCHER_COFFEE_TOM))["status"] == "REDEEMED"
    assert content(call(toolkit, "find_voucher", code=f" {seed.VOUCHER_XMAS} "))["status"] == "EXPIRED"


def test_find_voucher_with_an_unknown_code_is_not_found(toolkit: PiggyToolkit) -> None:
    _error(call(toolkit, "find_voucher", code="NO-SUCH-CODE"), "NotFoundError", "Voucher not found", "80004")


async def test_find_voucher_async_matches_sync(toolkit: PiggyToolkit) -> None:
    sync = content(call(toolkit, "find_voucher", code=seed.VOUCHER_COFFEE_CARD))
    async_ = content(await acall(toolkit, "find_voucher", code=seed.VOUCHER_COFFEE_CARD))
    assert sync == async_ and async_["redemptions_remaining"] == 3


# --- validate_voucher ---------------------------------------------------------------------------------------------


def test_validate_voucher_says_valid_and_writes_nothing(toolkit: PiggyToolkit, sandbox: Sandbox) -> None:
    before = len(sandbox.audit())
    seen = content(call(toolkit, "validate_voucher", code=seed.VOUCHER_SPRING, shop_uuid=ids.SHOP_AMSTERDAM))
    assert seen["valid"] is True and seen["code"] == seed.VOUCHER_SPRING and seen["status"] == "ACTIVE"
    # An open voucher needs the customer who would redeem it.
    seen = content(
        call(toolkit, "validate_voucher", code=seed.VOUCHER_SPRING_OPEN, contact_uuid=ids.TOM, shop_uuid=ids.SHOP_WEB)
    )
    assert seen["valid"] is True
    # The demo account has two shops: without one the tool asks which, naming both, instead of picking one.
    asked = call(toolkit, "validate_voucher", code=seed.VOUCHER_SPRING_OPEN, contact_uuid=ids.TOM)
    _error(asked, "InvalidRequestError", "2 shops", ids.SHOP_AMSTERDAM, ids.SHOP_WEB)
    assert len(sandbox.audit()) == before


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (seed.VOUCHER_XMAS, "Voucher has expired. (Piggy code 80006)"),
        (seed.VOUCHER_COFFEE_TOM, "80005"),
        (seed.VOUCHER_SPRING_OFF, "Voucher is deactivated. (Piggy code 80012)"),
        (seed.VOUCHER_SPRING_LATER, "Voucher is inactive. (Piggy code 80014)"),
        (seed.VOUCHER_COFFEE_LOCKED, "80017"),
        (seed.VOUCHER_SUMMER, "Promotion is inactive. (Piggy code 80020)"),
    ],
)
def test_validate_voucher_says_why_a_voucher_cannot_be_redeemed(
    toolkit: PiggyToolkit, sandbox: Sandbox, code: str, expected: str
) -> None:
    before = len(sandbox.audit())
    message = call(toolkit, "validate_voucher", code=code, contact_uuid=None, shop_uuid=ids.SHOP_AMSTERDAM)
    _error(message, "ConflictError", expected)
    assert len(sandbox.audit()) == before


def test_validate_an_open_voucher_without_a_contact_names_contact_uuid(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "validate_voucher", code=seed.VOUCHER_SPRING_OPEN, shop_uuid=ids.SHOP_AMSTERDAM)
    _error(message, "InvalidRequestError", "contact_uuid")


def test_validate_someone_elses_voucher_for_a_contact_is_refused_before_validating(
    counted: tuple[PiggyToolkit, list[httpx.Request]],
) -> None:
    toolkit, sent = counted
    message = call(toolkit, "validate_voucher", code=seed.VOUCHER_SPRING, contact_uuid=ids.TOM)
    _error(message, "NotFoundError", "Voucher not found for this customer")
    assert [r.url.path.rsplit("/", 1)[-1] for r in sent] == ["find"]


async def test_validate_voucher_async(toolkit: PiggyToolkit) -> None:
    seen = content(await acall(toolkit, "validate_voucher", code=seed.VOUCHER_COFFEE_CARD, shop_uuid=ids.SHOP_WEB))
    assert seen["valid"] is True and seen["redemptions_remaining"] == 3
    _error(await acall(toolkit, "validate_voucher", code=seed.VOUCHER_XMAS, shop_uuid=ids.SHOP_AMSTERDAM), "80006")


# --- create_voucher -----------------------------------------------------------------------------------------------


def test_create_voucher_for_a_customer_with_a_custom_code(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    code = _code()
    seen = content(call(toolkit, "create_voucher", promotion_uuid=seed.PROMO_SPRING, contact_uuid=ids.TOM, code=code))
    assert seen["created"] is True and seen["code"] == code and seen["status"] == "ACTIVE"
    assert seen["promotion"] == "Spring 10% off" and seen["expiration_date"]
    voucher = client.vouchers.find(code)
    assert voucher.uuid == seen["uuid"] and voucher.contact is not None and voucher.contact.uuid == ids.TOM
    rows = [r for r in sandbox.audit("vouchers.create") if r["args"].get("contact_uuid") == ids.TOM]
    assert rows and rows[-1]["args"]["promotion_uuid"] == seed.PROMO_SPRING


def test_create_voucher_generates_a_code_for_an_open_voucher(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    seen = content(call(toolkit, "create_voucher", promotion_uuid=seed.PROMO_SPRING))
    assert seen["code"] and "contact_uuid" not in seen
    assert client.vouchers.find(seen["code"]).contact is None


async def test_create_voucher_async(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    seen = content(await acall(toolkit, "create_voucher", promotion_uuid=seed.PROMO_SPRING, contact_uuid=ids.JANE))
    assert client.vouchers.find(seen["code"]).status == "ACTIVE"


def test_create_voucher_with_a_taken_code_creates_nothing(toolkit: PiggyToolkit, sandbox: Sandbox) -> None:
    before = len(sandbox.audit("vouchers.create"))
    message = call(toolkit, "create_voucher", promotion_uuid=seed.PROMO_SPRING, code=seed.VOUCHER_SPRING)
    _error(message, "ConflictError", "Voucher already exists", "80003")
    _error(call(toolkit, "create_voucher", promotion_uuid=UNKNOWN), "NotFoundError", "Promotion not found", "80002")
    assert len(sandbox.audit("vouchers.create")) == before


# --- update_voucher -----------------------------------------------------------------------------------------------


def test_update_voucher_deactivates_and_reactivates(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    voucher = client.vouchers.find(_voucher(client, ids.JANE))
    seen = content(call(toolkit, "update_voucher", voucher_uuid=voucher.uuid, status="DEACTIVATED"))
    assert seen["updated"] is True and seen["status"] == "DEACTIVATED"
    assert client.vouchers.find(voucher.code).status == "DEACTIVATED"
    _error(call(toolkit, "redeem_voucher", code=voucher.code, shop_uuid=ids.SHOP_WEB), "80012")
    assert content(call(toolkit, "update_voucher", voucher_uuid=voucher.uuid, status="ACTIVE"))["status"] == "ACTIVE"
    assert client.vouchers.find(voucher.code).status == "ACTIVE"


def test_update_voucher_moves_the_expiration_date(toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox) -> None:
    voucher = client.vouchers.find(_voucher(client))
    seen = content(
        call(toolkit, "update_voucher", voucher_uuid=voucher.uuid, expiration_date="2031-06-30T22:00:00+00:00")
    )
    assert seen["expiration_date"].startswith("2031-06-30")
    assert str(client.vouchers.find(voucher.code).expiration_date).startswith("2031-06-30")
    assert [r["path"] for r in sandbox.audit("vouchers.update")][-1].endswith(voucher.uuid)


def test_update_voucher_unknown_or_redeemed_is_an_error(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    _error(call(toolkit, "update_voucher", voucher_uuid=UNKNOWN, status="ACTIVE"), "Voucher not found", "80004")
    tom = client.vouchers.find(seed.VOUCHER_COFFEE_TOM)
    _error(call(toolkit, "update_voucher", voucher_uuid=tom.uuid, status="DEACTIVATED"), "ConflictError", "80005")
    assert client.vouchers.find(seed.VOUCHER_COFFEE_TOM).status == "REDEEMED"


# --- redeem_voucher -----------------------------------------------------------------------------------------------


def test_redeem_voucher_uses_it_once_and_returns_the_redemption(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    voucher = client.vouchers.find(_voucher(client, ids.TOM))
    seen = content(call(toolkit, "redeem_voucher", code=voucher.code, shop_uuid=ids.SHOP_AMSTERDAM))
    assert seen["redeemed"] is True and seen["status"] == "REDEEMED" and seen["voucher_redemption_uuid"]
    assert client.vouchers.find(voucher.code).is_redeemed
    again = call(toolkit, "redeem_voucher", code=voucher.code, shop_uuid=ids.SHOP_AMSTERDAM)
    _error(again, "ConflictError", "80005")
    rows = _rows(sandbox, "vouchers.redeem", voucher.uuid)
    assert len(rows) == 1 and rows[0]["args"]["shop_uuid"] == ids.SHOP_AMSTERDAM


def test_redeem_an_open_voucher_for_a_customer(toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox) -> None:
    code = _voucher(client)
    _error(call(toolkit, "redeem_voucher", code=code, shop_uuid=ids.SHOP_WEB), "InvalidRequestError", "contact_uuid")
    seen = content(call(toolkit, "redeem_voucher", code=code, shop_uuid=ids.SHOP_WEB, contact_uuid=ids.TOM))
    assert seen["status"] == "REDEEMED"
    [row] = _rows(sandbox, "vouchers.redeem", seen["uuid"])
    assert row["args"]["contact_uuid"] == ids.TOM


def test_redeem_a_multi_use_voucher_shows_uses_left(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    code = client.vouchers.create(seed.PROMO_COFFEE_CARD, contact_uuid=ids.TOM).code
    seen = content(call(toolkit, "redeem_voucher", code=code, shop_uuid=ids.SHOP_WEB))
    assert seen["status"] == "ACTIVE" and seen["redemptions_remaining"] == 4


def test_redeem_expired_or_unknown_voucher_redeems_nothing(toolkit: PiggyToolkit, sandbox: Sandbox) -> None:
    before = len(sandbox.audit("vouchers.redeem"))
    _error(call(toolkit, "redeem_voucher", code=seed.VOUCHER_XMAS, shop_uuid=ids.SHOP_WEB), "80006")
    _error(call(toolkit, "redeem_voucher", code="NO-SUCH-CODE", shop_uuid=ids.SHOP_WEB), "Voucher not found", "80004")
    _error(call(toolkit, "redeem_voucher", code=seed.VOUCHER_SPRING, shop_uuid=UNKNOWN), "1008")
    assert len(sandbox.audit("vouchers.redeem")) == before


def test_redeem_someone_elses_voucher_for_a_contact_is_refused(
    counted: tuple[PiggyToolkit, list[httpx.Request]], client: PiggyClient, sandbox: Sandbox
) -> None:
    toolkit, sent = counted
    voucher = client.vouchers.find(_voucher(client, ids.JANE))
    message = call(toolkit, "redeem_voucher", code=voucher.code, shop_uuid=ids.SHOP_WEB, contact_uuid=ids.TOM)
    _error(message, "NotFoundError", "Voucher not found for this customer")
    assert [r.url.path.rsplit("/", 1)[-1] for r in sent] == ["find"]
    assert client.vouchers.find(voucher.code).status == "ACTIVE"
    assert _rows(sandbox, "vouchers.redeem", voucher.uuid) == []


def test_redeem_with_a_default_shop_needs_no_shop_argument(make_toolkit: MakeToolkit, client: PiggyClient) -> None:
    toolkit = make_toolkit(default_shop_uuid=ids.SHOP_WEB)
    assert "shop_uuid" not in {t.name: t for t in toolkit.get_tools()}["redeem_voucher"].args
    seen = content(call(toolkit, "redeem_voucher", code=_voucher(client, ids.TOM)))
    assert seen["status"] == "REDEEMED"


def test_redeem_and_reverse_are_destructive_and_interrupt(toolkit: PiggyToolkit) -> None:
    assert toolkit.risk_of({"name": "redeem_voucher", "args": {"code": "X", "shop_uuid": ids.SHOP_WEB}}) is (
        Risk.DESTRUCTIVE
    )
    assert toolkit.risk_of({"name": "reverse_voucher_redemption", "args": {}}) is Risk.DESTRUCTIVE
    assert toolkit.risk_of({"name": "find_voucher", "args": {"code": "X"}}) is Risk.READ
    assert toolkit.risk_of({"name": "validate_voucher", "args": {"code": "X"}}) is Risk.READ
    assert toolkit.risk_of({"name": "create_voucher", "args": {"promotion_uuid": UNKNOWN}}) is Risk.WRITE
    assert toolkit.risk_of({"name": "update_voucher", "args": {"status": "DEACTIVATED"}}) is Risk.DESTRUCTIVE
    mapping = toolkit.interrupt_on()
    assert {"redeem_voucher", "reverse_voucher_redemption"} <= set(mapping)
    assert not {"create_voucher", "update_voucher", "find_voucher"} & set(mapping)


# --- reverse_voucher_redemption -----------------------------------------------------------------------------------


def test_reverse_voucher_redemption_makes_it_usable_again(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    code = _voucher(client, ids.TOM)
    redeemed = content(call(toolkit, "redeem_voucher", code=code, shop_uuid=ids.SHOP_WEB))
    redemption = redeemed["voucher_redemption_uuid"]
    seen = content(call(toolkit, "reverse_voucher_redemption", voucher_redemption_uuid=redemption))
    assert seen["reversed"] == redemption and seen["status"] == "ACTIVE" and seen["code"] == code
    assert client.vouchers.find(code).status == "ACTIVE"
    assert sandbox.audit("vouchers.reverse")[-1]["path"].endswith(f"/vouchers/{redemption}/reverse")
    again = call(toolkit, "reverse_voucher_redemption", voucher_redemption_uuid=redemption)
    _error(again, "InvalidRequestError", "already been reversed")
    assert len([r for r in sandbox.audit("vouchers.reverse") if redemption in r["path"]]) == 1


def test_reverse_an_unknown_redemption_is_not_found(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "reverse_voucher_redemption", voucher_redemption_uuid=UNKNOWN)
    _error(message, "NotFoundError", "Voucher not found", "80004")


async def test_redeem_and_reverse_async(toolkit: PiggyToolkit, client: PiggyClient) -> None:
    code = _voucher(client, ids.JANE)
    redeemed = content(await acall(toolkit, "redeem_voucher", code=code, shop_uuid=ids.SHOP_AMSTERDAM))
    assert client.vouchers.find(code).status == "REDEEMED"
    redemption = redeemed["voucher_redemption_uuid"]
    reversed_ = content(await acall(toolkit, "reverse_voucher_redemption", voucher_redemption_uuid=redemption))
    assert reversed_["status"] == "ACTIVE" and client.vouchers.find(code).status == "ACTIVE"


async def test_list_promotions_and_vouchers_async(toolkit: PiggyToolkit) -> None:
    promotions = content(await acall(toolkit, "list_promotions"))["promotions"]
    assert seed.PROMO_SPRING in {p["uuid"] for p in promotions}
    vouchers = content(await acall(toolkit, "list_vouchers", contact_uuid=ids.JANE, limit=100))["vouchers"]
    assert seed.VOUCHER_SPRING in {v["code"] for v in vouchers}
    _error(await acall(toolkit, "update_voucher", voucher_uuid=UNKNOWN, status="ACTIVE"), "80004")


# --- invalid arguments: an error message naming the field, and nothing sent -------------------------------------

BAD_ARGUMENTS = [
    ("list_promotions", {"promotion_uuid": "../x"}, "promotion_uuid"),
    ("list_promotions", {"promotion_uuid": 123}, "promotion_uuid"),
    ("list_vouchers", {"limit": -1}, "limit"),
    ("list_vouchers", {"page": 0}, "page"),
    ("list_vouchers", {"limit": "many"}, "limit"),
    ("list_vouchers", {"contact_uuid": "../x"}, "contact_uuid"),
    ("list_vouchers", {"status": "USED"}, "status"),
    ("find_voucher", {}, "code is required"),
    ("find_voucher", {"code": "../x"}, "code must be a voucher code"),
    ("find_voucher", {"code": 42}, "code"),
    ("find_voucher", {"code": "   "}, "code"),
    ("validate_voucher", {}, "code is required"),
    ("validate_voucher", {"code": "SPRING-10-JANE", "shop_uuid": "../x"}, "shop_uuid"),
    ("validate_voucher", {"code": "SPRING-10-JANE", "contact_uuid": 5}, "contact_uuid"),
    ("create_voucher", {}, "promotion_uuid is required"),
    ("create_voucher", {"promotion_uuid": "../x"}, "promotion_uuid"),
    ("create_voucher", {"promotion_uuid": seed.PROMO_SPRING, "code": "../x"}, "code must be a voucher code"),
    ("create_voucher", {"promotion_uuid": seed.PROMO_SPRING, "contact_uuid": "x/../y"}, "contact_uuid"),
    ("update_voucher", {"voucher_uuid": UNKNOWN}, "give status, expiration_date or both"),
    ("update_voucher", {"voucher_uuid": "../x", "status": "ACTIVE"}, "voucher_uuid"),
    ("update_voucher", {"voucher_uuid": UNKNOWN, "status": "PAUSED"}, "status"),
    ("update_voucher", {"voucher_uuid": UNKNOWN, "expiration_date": "next week"}, "expiration_date must be an ISO"),
    ("update_voucher", {"status": "ACTIVE"}, "voucher_uuid is required"),
    ("redeem_voucher", {"code": "SPRING-10-JANE"}, "shop_uuid is required"),
    ("redeem_voucher", {"code": "SPRING-10-JANE", "shop_uuid": "../x"}, "shop_uuid"),
    ("redeem_voucher", {"code": "", "shop_uuid": ids.SHOP_WEB}, "code"),
    ("redeem_voucher", {"code": "A/B", "shop_uuid": ids.SHOP_WEB}, "code must be a voucher code"),
    ("redeem_voucher", {"code": "SPRING-10-OPEN", "shop_uuid": ids.SHOP_WEB, "contact_uuid": "../x"}, "contact_uuid"),
    ("reverse_voucher_redemption", {}, "voucher_redemption_uuid is required"),
    ("reverse_voucher_redemption", {"voucher_redemption_uuid": "../x"}, "voucher_redemption_uuid"),
    ("reverse_voucher_redemption", {"voucher_redemption_uuid": 12}, "voucher_redemption_uuid"),
]


def test_bad_arguments_cover_every_voucher_tool() -> None:
    assert {name for name, _, _ in BAD_ARGUMENTS} == VOUCHER_TOOLS


@pytest.mark.parametrize(("name", "args", "named"), BAD_ARGUMENTS)
def test_invalid_arguments_are_an_error_message_and_send_nothing(
    counted: tuple[PiggyToolkit, list[httpx.Request]], sandbox: Sandbox, name: str, args: dict[str, Any], named: str
) -> None:
    toolkit, sent = counted
    before = len(sandbox.audit())
    message = call(toolkit, name, **args)
    _error(message, f"Error in {name}: invalid arguments", named, "nothing was sent")
    assert sent == [] and len(sandbox.audit()) == before


# --- customer-scoped mode -----------------------------------------------------------------------------------------


def test_scoped_toolkit_keeps_only_the_voucher_tools_that_cannot_reach_others(make_toolkit: MakeToolkit) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE, groups=["vouchers"])
    tools = {t.name: t for t in scoped.get_tools()}
    assert set(tools) == {"list_promotions", "list_vouchers", "find_voucher", "validate_voucher", "redeem_voucher"}
    assert all("contact_uuid" not in t.args for t in tools.values())


def test_scoped_list_vouchers_only_ever_lists_the_bound_contact(make_toolkit: MakeToolkit) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE)
    for args in ({}, {"contact_uuid": ids.TOM}, {"promotion_uuid": seed.PROMO_FREE_COFFEE}, {"status": "REDEEMED"}):
        seen = content(call(scoped, "list_vouchers", limit=100, **args))
        assert all(v["contact_uuid"] == ids.JANE for v in seen["vouchers"]), args
    codes = {v["code"] for v in content(call(scoped, "list_vouchers", contact_uuid=ids.TOM, limit=100))["vouchers"]}
    assert seed.VOUCHER_SPRING in codes and seed.VOUCHER_COFFEE_TOM not in codes


def test_scoped_find_and_validate_refuse_another_contacts_voucher(
    counted_jane: tuple[PiggyToolkit, list[httpx.Request]],
) -> None:
    scoped, sent = counted_jane
    assert content(call(scoped, "find_voucher", code=seed.VOUCHER_SPRING))["code"] == seed.VOUCHER_SPRING
    assert content(call(scoped, "find_voucher", code=seed.VOUCHER_SPRING_OPEN))["status"] == "ACTIVE"
    for code in (seed.VOUCHER_COFFEE_TOM, seed.VOUCHER_SPRING_OFF):
        for name in ("find_voucher", "validate_voucher"):
            message = call(scoped, name, code=code)
            _error(message, "NotFoundError", "for this customer")
            assert "@" not in str(message.content) and ids.TOM not in str(message.content)
    stray = call(scoped, "find_voucher", code=seed.VOUCHER_COFFEE_TOM, contact_uuid=ids.TOM)
    _error(stray, "contact_uuid is not an argument of this tool")
    assert not any(r.url.path.endswith("/validate") for r in sent)
    checked = call(scoped, "validate_voucher", code=seed.VOUCHER_SPRING_OPEN, shop_uuid=ids.SHOP_AMSTERDAM)
    assert content(checked)["valid"] is True


def test_scoped_redeem_never_touches_another_contacts_voucher(
    counted_jane: tuple[PiggyToolkit, list[httpx.Request]], client: PiggyClient, sandbox: Sandbox
) -> None:
    scoped, sent = counted_jane
    voucher = client.vouchers.find(_voucher(client, ids.TOM))
    for args in ({}, {"contact_uuid": ids.TOM}):
        message = call(scoped, "redeem_voucher", code=voucher.code, shop_uuid=ids.SHOP_WEB, **args)
        _error(message, "NotFoundError", "Not found for this customer.")  # reads the same as a code that does not exist
    assert not any(r.url.path.endswith("/redeem") for r in sent)
    assert client.vouchers.find(voucher.code).status == "ACTIVE"
    assert _rows(sandbox, "vouchers.redeem", voucher.uuid) == []


def test_scoped_redeem_of_an_open_voucher_is_for_the_bound_contact(
    make_toolkit: MakeToolkit, client: PiggyClient, sandbox: Sandbox
) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE)
    code = _voucher(client)
    seen = content(call(scoped, "redeem_voucher", code=code, shop_uuid=ids.SHOP_WEB, contact_uuid=ids.TOM))
    assert seen["status"] == "REDEEMED"
    [row] = _rows(sandbox, "vouchers.redeem", seen["uuid"])
    assert row["args"]["contact_uuid"] == ids.JANE
    own = _voucher(client, ids.JANE)
    assert content(call(scoped, "redeem_voucher", code=own, shop_uuid=ids.SHOP_WEB))["status"] == "REDEEMED"


async def test_scoped_redeem_async_refuses_another_contacts_voucher(
    make_toolkit: MakeToolkit, client: PiggyClient
) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE)
    code = _voucher(client, ids.TOM)
    _error(await acall(scoped, "redeem_voucher", code=code, shop_uuid=ids.SHOP_WEB), "for this customer")
    assert client.vouchers.find(code).status == "ACTIVE"
