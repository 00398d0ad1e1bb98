"""Engagement tools against the sandbox: forms, referrals and their programme, portal sessions, custom attributes
and perks, as the model sees them (content or error message) and what really happened (state and audit)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.seed.engagement import (
    FORM_CATERING,
    FORM_SURVEY,
    PERK_BIRTHDAY_TREAT,
    PERK_FREE_REFILL,
    REFERRAL_JANE_TOM,
    REFERRAL_SOFIA_LIAM,
)
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import Risk
from tests.tools.helpers import acall, call, content

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"
SOFIA = ids.fixed("contact", "sofia")
LIAM = ids.fixed("contact", "liam")
NO_ARGUMENT_TOOLS = ["list_forms", "get_referral_settings", "list_perks"]
ENGAGEMENT_TOOLS = {
    "list_forms",
    "list_referrals",
    "get_referral_settings",
    "create_portal_session",
    "list_custom_attributes",
    "list_perks",
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


def _referrer_with_friend(client: PiggyClient, email: str) -> tuple[str, str, str]:
    """A new referrer and a new friend who signed up with the referrer's code: (referrer, friend, friend email)."""
    referrer = client.contacts.create(email).uuid
    friend_email = "friend-" + email
    code = referrer[:8].upper()  # the sandbox's referral code rule (domain/referrals.py)
    friend = client.contacts.create(friend_email, referral_code=code).uuid
    return referrer, friend, friend_email


def _everything_seen(message: Any) -> str:
    """What the model sees and what the application receives (content and artifact), as one text."""
    return str(message.content) + json.dumps(message.artifact, default=str)


# --- list_forms ---------------------------------------------------------------------------------------------------


def test_list_forms_shows_status_type_and_url(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_forms"))
    forms = {f["uuid"]: f for f in seen["forms"]}
    assert forms[FORM_SURVEY] == {
        "uuid": FORM_SURVEY,
        "name": "Customer survey",
        "status": "PUBLISHED",
        "type": "PUBLIC",
        "url": f"https://bean-there.piggy.eu/forms/{FORM_SURVEY}",
    }
    assert forms[FORM_CATERING]["status"] == "DRAFT" and forms[FORM_CATERING]["type"] == "PRIVATE"
    assert seen["total"] == 2


# --- list_referrals -----------------------------------------------------------------------------------------------


def test_list_referrals_shows_both_sides_and_status_for_staff(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_referrals", limit=100))
    referrals = {r["uuid"]: r for r in seen["referrals"]}
    assert referrals[REFERRAL_JANE_TOM] == {
        "uuid": REFERRAL_JANE_TOM,
        "referrer": {"uuid": ids.JANE, "email": "jane.doe@example.com"},
        "referred": {"uuid": ids.TOM, "email": "tom.berg@example.com"},
        "status": "completed",
    }
    assert referrals[REFERRAL_SOFIA_LIAM]["referrer"]["uuid"] == SOFIA
    assert referrals[REFERRAL_SOFIA_LIAM]["referred"]["uuid"] == LIAM


def test_list_referrals_of_one_referrer_masks_the_friends(
    toolkit: PiggyToolkit, client: PiggyClient, new_email: str
) -> None:
    referrer, friend, friend_email = _referrer_with_friend(client, new_email)
    message = call(toolkit, "list_referrals", contact_uuid=referrer)
    seen = content(message)
    assert seen["referrer_uuid"] == referrer and seen["page"] == 1 and "more" not in seen
    assert [(r["friend"], r["status"]) for r in seen["referrals"]] == [("f***@example.com", "pending")]
    assert friend not in _everything_seen(message) and friend_email not in _everything_seen(message)
    # What Piggy holds: the same one referral, with the real friend behind it.
    (stored,) = client.referrals.list(referring_contact_uuid=referrer)
    assert stored.uuid == seen["referrals"][0]["uuid"] and stored.referred_contact.uuid == friend  # type: ignore[union-attr]


def test_list_referrals_pages_while_a_page_comes_back_full(toolkit: PiggyToolkit) -> None:
    first = content(call(toolkit, "list_referrals", limit=1))
    assert [r["uuid"] for r in first["referrals"]] == [REFERRAL_JANE_TOM]
    assert "page=2" in first["more"]
    second = content(call(toolkit, "list_referrals", limit=1, page=2))
    assert [r["uuid"] for r in second["referrals"]] == [REFERRAL_SOFIA_LIAM] and second["page"] == 2


def test_list_referrals_of_a_contact_who_referred_nobody_is_empty_not_an_error(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_referrals", contact_uuid=UNKNOWN))
    assert seen["referrals"] == [] and "more" not in seen


# --- get_referral_settings ----------------------------------------------------------------------------------------


def test_get_referral_settings_explains_completion_and_rewards(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "get_referral_settings"))
    assert seen == {
        "completes_when": {"type": "loyalty_transaction", "number_of_transactions": 2},
        "limit_per_contact": 10,
        "new_customer_gets": {"type": "loyalty_points", "points": 50, "shop": "Bean There Amsterdam"},
        "referrer_gets": {"type": "loyalty_points", "points": 100, "shop": "Bean There Amsterdam"},
    }


def test_an_account_without_programme_forms_or_perks_says_so() -> None:
    with Sandbox.start(seed="empty", rate_limit=1_000_000) as empty:
        with PiggyClient(api_key=empty.api_key, base_url=empty.base_url) as client:
            toolkit = PiggyToolkit(client=client, groups=["engagement"])
            settings = content(call(toolkit, "get_referral_settings"))
            assert settings["configured"] is False and "no referral programme" in settings["note"]
            assert content(call(toolkit, "list_forms")) == {"forms": [], "total": 0}
            assert content(call(toolkit, "list_perks")) == {"perks": [], "total": 0}
            assert content(call(toolkit, "list_referrals")) == {"referrals": [], "page": 1}


# --- create_portal_session ----------------------------------------------------------------------------------------


def test_create_portal_session_presets_the_customer_and_shop(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    seen = content(call(toolkit, "create_portal_session", contact_uuid=contact, shop_uuid=ids.SHOP_AMSTERDAM))
    session = seen["portal_session_uuid"]
    assert seen["url"].endswith(session) and seen["contact_uuid"] == contact
    assert seen["shop"] == "Bean There Amsterdam" and seen["created_at"]
    stored = client.portal_sessions.get(session)
    assert stored.contact is not None and stored.contact.uuid == contact
    assert stored.shop is not None and stored.shop.uuid == ids.SHOP_AMSTERDAM
    writes = [r for r in sandbox.audit("portal_sessions.create_generic") if r["args"].get("contact_uuid") == contact]
    assert [(w["args"]["shop_uuid"], w["path"]) for w in writes] == [
        (ids.SHOP_AMSTERDAM, "/api/v3/oauth/clients/portal-sessions")
    ]


def test_create_portal_session_for_an_unknown_contact_is_not_found_and_creates_nothing(
    toolkit: PiggyToolkit, sandbox: Sandbox
) -> None:
    before = len(sandbox.audit("portal_sessions.create_generic"))
    message = call(toolkit, "create_portal_session", contact_uuid=UNKNOWN, shop_uuid=ids.SHOP_WEB)
    assert message.status == "error"
    assert "NotFoundError" in str(message.content) and "Contact not found" in str(message.content)
    assert "55031" in str(message.content)
    assert len(sandbox.audit("portal_sessions.create_generic")) == before


def test_create_portal_session_at_an_unknown_shop_is_not_found(toolkit: PiggyToolkit, sandbox: Sandbox) -> None:
    before = len(sandbox.audit("portal_sessions.create_generic"))
    message = call(toolkit, "create_portal_session", contact_uuid=ids.JANE, shop_uuid=UNKNOWN)
    assert message.status == "error" and "NotFoundError" in str(message.content) and "1008" in str(message.content)
    assert len(sandbox.audit("portal_sessions.create_generic")) == before


# --- list_custom_attributes ---------------------------------------------------------------------------------------


def test_list_custom_attributes_of_vouchers_shows_types_and_options(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_custom_attributes", entity="voucher"))
    assert seen["entity"] == "voucher" and seen["total"] >= 2  # other tests may add voucher attributes
    fields = {a["name"]: a for a in seen["attributes"]}
    assert fields["table_number"]["type"] == "number" and fields["table_number"]["label"] == "Table number"
    assert fields["serving_size"]["options"] == ["small", "large"]


def test_list_custom_attributes_defaults_to_contact_and_marks_read_only_ones(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_custom_attributes"))
    assert seen["entity"] == "contact"
    fields = {a["name"]: a for a in seen["attributes"]}
    assert fields["firstname"]["type"] == "text" and "read_only" not in fields["firstname"]
    assert fields["email"]["read_only"] is True


def test_list_custom_attributes_of_an_unknown_entity_names_the_valid_ones(
    counted: tuple[PiggyToolkit, list[httpx.Request]],
) -> None:
    toolkit, sent = counted
    message = call(toolkit, "list_custom_attributes", entity="customer")
    assert message.status == "error" and "entity" in str(message.content) and "'voucher'" in str(message.content)
    assert sent == []


# --- list_perks ---------------------------------------------------------------------------------------------------


def test_list_perks_shows_options_and_default(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_perks"))
    perks = {p["uuid"]: p for p in seen["perks"]}
    assert perks[PERK_FREE_REFILL] == {
        "uuid": PERK_FREE_REFILL,
        "name": "free_refill",
        "label": "Free refill",
        "type": "boolean",
        "options": ["Yes", "No"],
        "default": "No",
    }
    assert perks[PERK_BIRTHDAY_TREAT]["options"] == ["Cookie", "Cake slice", "Lunch"]
    assert perks[PERK_BIRTHDAY_TREAT]["default"] == "Cookie"


# --- errors from Piggy for the account-wide reads -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"), [*((n, {}) for n in NO_ARGUMENT_TOOLS), ("list_referrals", {}), ("list_custom_attributes", {})]
)
def test_reads_with_bad_credentials_say_a_person_must_fix_them(
    sandbox: Sandbox, name: str, args: dict[str, Any]
) -> None:
    with PiggyClient(api_key="not-the-key", base_url=sandbox.base_url) as client:
        message = call(PiggyToolkit(client=client, groups=["engagement"]), name, **args)
    assert message.status == "error"
    assert "AuthenticationError" in str(message.content) and "credentials are not valid" in str(message.content)


# --- async --------------------------------------------------------------------------------------------------------


async def test_engagement_tools_work_async_like_sync(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    for name, args in [
        ("list_forms", {}),
        ("list_referrals", {"contact_uuid": ids.JANE}),
        ("get_referral_settings", {}),
        ("list_custom_attributes", {"entity": "giftcard"}),
        ("list_perks", {}),
    ]:
        assert content(await acall(toolkit, name, **args)) == content(call(toolkit, name, **args)), name
    contact = client.contacts.create(new_email).uuid
    seen = content(await acall(toolkit, "create_portal_session", contact_uuid=contact, shop_uuid=ids.SHOP_WEB))
    assert client.portal_sessions.get(seen["portal_session_uuid"]).contact.uuid == contact  # type: ignore[union-attr]
    failed = await acall(toolkit, "create_portal_session", contact_uuid=UNKNOWN, shop_uuid=ids.SHOP_WEB)
    assert failed.status == "error" and "55031" in str(failed.content)


# --- invalid arguments: an error message, no request --------------------------------------------------------------

INVALID = [
    ("list_referrals", {"contact_uuid": "../x"}, "contact_uuid must be a UUID"),
    ("list_referrals", {"contact_uuid": 7}, "contact_uuid"),
    ("list_referrals", {"limit": -5}, "limit"),
    ("list_referrals", {"limit": 101}, "limit"),
    ("list_referrals", {"limit": "many"}, "limit"),
    ("list_referrals", {"page": 0}, "page"),
    ("list_referrals", {"page": -1}, "page"),
    ("create_portal_session", {"shop_uuid": ids.SHOP_WEB}, "contact_uuid is required"),
    ("create_portal_session", {"contact_uuid": ids.JANE}, "shop_uuid is required"),
    ("create_portal_session", {}, "contact_uuid is required; shop_uuid is required"),
    ("create_portal_session", {"contact_uuid": "../x", "shop_uuid": ids.SHOP_WEB}, "contact_uuid must be a UUID"),
    ("create_portal_session", {"contact_uuid": ids.JANE, "shop_uuid": "shops/../x"}, "shop_uuid must be a UUID"),
    ("create_portal_session", {"contact_uuid": ids.JANE, "shop_uuid": ["a"]}, "shop_uuid"),
    ("list_custom_attributes", {"entity": "../x"}, "entity"),
    ("list_custom_attributes", {"entity": 3}, "entity"),
]


@pytest.mark.parametrize(("name", "args", "named"), INVALID)
def test_invalid_arguments_give_an_error_message_and_send_nothing(
    counted: tuple[PiggyToolkit, list[httpx.Request]], sandbox: Sandbox, name: str, args: dict[str, Any], named: str
) -> None:
    toolkit, sent = counted
    audit_before = len(sandbox.audit())
    message = call(toolkit, name, **args)
    assert message.status == "error"
    assert "invalid arguments" in str(message.content) and named in str(message.content)
    assert "nothing was sent" in str(message.content)
    assert sent == [] and len(sandbox.audit()) == audit_before


@pytest.mark.parametrize("name", NO_ARGUMENT_TOOLS)
def test_arguments_given_to_a_tool_without_arguments_are_refused_by_name_and_send_nothing(
    counted: tuple[PiggyToolkit, list[httpx.Request]], sandbox: Sandbox, name: str
) -> None:
    toolkit, sent = counted
    audit_before = len(sandbox.audit())
    refused = call(toolkit, name, contact_uuid="../x", limit=-1, status="BIN")
    assert refused.status == "error" and "contact_uuid, limit, status is not an argument" in str(refused.content)
    assert "accepts: no arguments" in str(refused.content) and sent == []
    content(call(toolkit, name))
    assert all(r.method == "GET" for r in sent) and len(sandbox.audit()) == audit_before


# --- risk ---------------------------------------------------------------------------------------------------------


def test_only_create_portal_session_writes_and_only_it_needs_approval(toolkit: PiggyToolkit) -> None:
    risks = {s.name: s.max_risk for s in toolkit.specs if s.group == "engagement"}
    assert set(risks) == ENGAGEMENT_TOOLS
    assert {n for n, r in risks.items() if r is not Risk.READ} == {"create_portal_session"}
    assert risks["create_portal_session"] is Risk.WRITE
    assert ENGAGEMENT_TOOLS & set(toolkit.interrupt_on()) == {"create_portal_session"}  # mints a session (policy)
    call_args = {"contact_uuid": ids.JANE, "shop_uuid": ids.SHOP_WEB}
    assert toolkit.risk_of({"name": "create_portal_session", "args": call_args}) is Risk.WRITE
    assert toolkit.risk_of({"name": "list_referrals", "args": {"limit": -1}}) is Risk.READ


# --- customer-scoped mode -----------------------------------------------------------------------------------------


def test_scoped_engagement_tools_never_read_or_act_for_another_contact(
    make_toolkit: Any, client: PiggyClient, sandbox: Sandbox
) -> None:
    scoped = make_toolkit(contact_uuid=ids.JANE, groups=["engagement"])
    assert {t.name for t in scoped.get_tools()} == ENGAGEMENT_TOOLS
    for tool in scoped.get_tools():
        assert "contact_uuid" not in tool.args, tool.name
    others = [ids.TOM, "tom.berg@example.com", SOFIA, "sofia.janssen@example.com", LIAM, "liam.devries@example.com"]
    # Asking for Tom's or Sofia's referrals: the argument is not in the schema and is ignored, never obeyed.
    attempts: list[dict[str, Any]] = [
        {},
        {"contact_uuid": ids.TOM},
        {"contact_uuid": SOFIA, "limit": 100},
        {"page": 1, "limit": 100},
    ]
    for args in attempts:
        message = call(scoped, "list_referrals", **args)
        seen = content(message)
        assert seen["referrer_uuid"] == ids.JANE
        assert [(r["uuid"], r["friend"]) for r in seen["referrals"]] == [(REFERRAL_JANE_TOM, "t***@example.com")]
        assert not any(other in _everything_seen(message) for other in others)
    # Tom, scoped, sees none: he referred nobody, and naming Jane does not show hers.
    as_tom = make_toolkit(contact_uuid=ids.TOM, groups=["engagement"])
    assert content(call(as_tom, "list_referrals", contact_uuid=ids.JANE))["referrals"] == []
    # A portal session is always for the bound contact.
    before = {r["id"] for r in sandbox.audit("portal_sessions.create_generic")}
    seen = content(call(scoped, "create_portal_session", contact_uuid=ids.TOM, shop_uuid=ids.SHOP_WEB))
    assert seen["contact_uuid"] == ids.JANE
    assert client.portal_sessions.get(seen["portal_session_uuid"]).contact.uuid == ids.JANE  # type: ignore[union-attr]
    new = [r for r in sandbox.audit("portal_sessions.create_generic") if r["id"] not in before]
    assert [r["args"]["contact_uuid"] for r in new] == [ids.JANE]


class _IgnoreReferrerFilter(httpx.BaseTransport):
    """Fault injection (a mock transport, on purpose): a Piggy that ignores ``referring_contact_uuid`` and returns
    every referral. Requests still go over real HTTP to the sandbox."""

    def __init__(self) -> None:
        self._real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/referrals"):
            request.url = request.url.copy_remove_param("referring_contact_uuid")
        return self._real.handle_request(request)

    def close(self) -> None:
        self._real.close()


def test_scoped_list_referrals_refuses_rather_than_leaks_when_piggy_ignores_the_filter(sandbox: Sandbox) -> None:
    with httpx.Client(transport=_IgnoreReferrerFilter(), timeout=30) as http:
        client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
        assert len(client.referrals.list(referring_contact_uuid=ids.JANE)) >= 2  # the fault is in place
        scoped = PiggyToolkit(client=client, contact_uuid=ids.JANE, groups=["engagement"])
        message = call(scoped, "list_referrals")
    assert message.status == "error" and "Not found for this customer" in str(message.content)
    assert "tom.berg" not in str(message.content) and "sofia" not in str(message.content)
