"""The request sent for each recorded operation: placeholders filled with seeded or freshly created objects.

The collection records bodies with ``{{placeholders}}`` but no query strings, so reads that need a query (find by
code, list by contact) say so here. Writes act on objects created for the check, never on the demo's own data;
operations that change account-wide settings (default unit, a reward's price, webhooks) run on a private sandbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from piggy_agent_tools.sandbox.seed import ids
from tests.conformance._env import Env, Request
from tests.conformance._reference import Operation

Builder = Callable[[Env, Operation], Request]
PLANS: dict[str, Builder] = {}
FRESH: set[str] = set()
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def plan(key: str, *, fresh: bool = False) -> Callable[[Builder], Builder]:
    """Register the request builder of one operation (``fresh``: run it on a private sandbox)."""

    def register(fn: Builder) -> Builder:
        PLANS[key] = fn
        if fresh:
            FRESH.add(key)
        return fn

    return register


def recorded(op: Operation, **values: Any) -> dict[str, Any]:
    """The recorded request body with ``{{placeholders}}`` replaced by ``values`` (keys not given are dropped)."""
    body: dict[str, Any] = {}
    for key, value in (op.request_body or {}).items():
        if isinstance(value, str):
            match = _PLACEHOLDER.fullmatch(value.strip())
            if match:
                if match.group(1) in values:
                    body[key] = values[match.group(1)]
                continue
        body[key] = value
    return body


def build(env: Env, op: Operation) -> Request:
    """The request for ``op``: its registered plan, or the recorded call with the demo's ids filled in."""
    if op.key in PLANS:
        return PLANS[op.key](env, op)
    path = op.path.replace("{contact_uuid}", ids.JANE).replace("{shop_uuid}", env.shop_uuid)
    values = {"contact_uuid": ids.JANE, "shop_uuid": env.shop_uuid}
    body = recorded(op, **values) if op.request_body is not None else None
    return Request(path.rstrip("/") or "/", body=body, encoding=op.request_encoding or "json")


def _req(op: Operation, path: str, body: dict[str, Any] | None = None, **params: Any) -> Request:
    return Request(path, params=params, body=body, encoding=op.request_encoding or "json")


# --- automations, attributes -------------------------------------------------------------------------------------


@plan("POST /automations/runs")
def _automation_run(env: Env, op: Operation) -> Request:
    automation = env.first("/automations")
    contact = env.new_contact()
    return _req(op, "/automations/runs", recorded(op, contact_uuid=contact["uuid"], automation_uuid=automation["uuid"]))


@plan("POST /contact-attributes")
def _contact_attribute(env: Env, op: Operation) -> Request:
    return _req(op, "/contact-attributes", {**recorded(op), "name": env.unique("favorite_color")})


@plan("POST /custom-attributes")
def _custom_attribute(env: Env, op: Operation) -> Request:
    body = {**recorded(op), "name": env.unique("testing")}
    body.pop("group_name", None)  # the recorded group belongs to Leat's test account
    return _req(op, "/custom-attributes", body)


@plan("GET /custom-attributes")
def _custom_attributes(env: Env, op: Operation) -> Request:
    # ``entity`` is required (custom-attributes.md, List); the recorded attributes are voucher attributes.
    return _req(op, "/custom-attributes", entity="voucher")


@plan("GET /custom-attribute-groups")
def _custom_attribute_groups(env: Env, op: Operation) -> Request:
    return _req(op, "/custom-attribute-groups", entity="voucher")


@plan("POST /custom-attribute-groups")
def _custom_attribute_group(env: Env, op: Operation) -> Request:
    return _req(op, "/custom-attribute-groups", {**recorded(op), "name": env.unique("integration_values")})


@plan("POST /loyalty-transaction-attributes")
def _lt_attribute(env: Env, op: Operation) -> Request:
    return _req(op, "/loyalty-transaction-attributes", {**recorded(op), "name": env.unique("favorite_color")})


@plan("GET /loyalty-transaction-attributes/")
def _lt_attributes(env: Env, op: Operation) -> Request:
    # The collection records a trailing slash; Piggy's routes are declared without it (loyalty-transactions.md).
    return _req(op, "/loyalty-transaction-attributes")


@plan("POST /promotion-attributes")
def _promotion_attribute(env: Env, op: Operation) -> Request:
    return _req(op, "/promotion-attributes", {**recorded(op), "name": env.unique("some_random_attribute")})


@plan("POST /reward-attributes")
def _reward_attribute(env: Env, op: Operation) -> Request:
    return _req(op, "/reward-attributes", {**recorded(op), "name": env.unique("middle_name")})


# --- contacts ----------------------------------------------------------------------------------------------------


@plan("POST /contacts")
def _create_contact(env: Env, op: Operation) -> Request:
    return _req(op, "/contacts", recorded(op, some_new_contact=env.new_email()))


@plan("POST /contacts/anonymous")
def _create_anonymous(env: Env, op: Operation) -> Request:
    # The identifier must exist and be unlinked (60003 otherwise, contacts.md §2.7): create one first.
    return _req(op, "/contacts/anonymous", recorded(op, contact_identifier_value=env.identifier()))


@plan("PUT /contacts/{anonymous_contact_uuid}/claim")
def _claim(env: Env, op: Operation) -> Request:
    anonymous = env.ok("POST", "/contacts/anonymous", {})
    body = recorded(op, some_real_contact_email_address=env.new_email())
    return _req(op, f"/contacts/{anonymous['uuid']}/claim", body)


@plan("PUT /contacts/{contact_uuid}")
def _update_contact(env: Env, op: Operation) -> Request:
    return _req(op, f"/contacts/{env.new_contact()['uuid']}", recorded(op))


@plan("GET /contacts/find-one-by")
def _find_one_by(env: Env, op: Operation) -> Request:
    return _req(op, "/contacts/find-one-by", email="jane.doe@example.com")


@plan("GET /contacts/find-or-create")
def _find_or_create(env: Env, op: Operation) -> Request:
    return _req(op, "/contacts/find-or-create", email=env.new_email())


@plan("GET /contacts/find-or-create/async")
def _find_or_create_async(env: Env, op: Operation) -> Request:
    return _req(op, "/contacts/find-or-create/async", email=env.new_email())


@plan("POST /contacts/{some_contact_uuid}/delete")
def _delete_contact(env: Env, op: Operation) -> Request:
    return _req(op, f"/contacts/{env.new_contact()['uuid']}/delete", recorded(op))


@plan("GET /contacts-portal/auth-url")
def _portal_url(env: Env, op: Operation) -> Request:
    return _req(op, "/contacts-portal/auth-url", contact_uuid=ids.JANE)


@plan("PUT /contact-subscriptions/{contact_uuid}/subscribe")
def _subscribe(env: Env, op: Operation) -> Request:
    kind = env.first("/subscription-types")
    contact = env.new_contact()
    body = recorded(op, subscription_type_uuid=kind["uuid"])
    return _req(op, f"/contact-subscriptions/{contact['uuid']}/subscribe", body)


@plan("PUT /contact-subscriptions/{contact_uuid}/unsubscribe")
def _unsubscribe(env: Env, op: Operation) -> Request:
    # The recorded body is empty; the subscription type is required (contacts.md, contact subscriptions).
    kind = env.first("/subscription-types")
    contact = env.new_contact()
    return _req(op, f"/contact-subscriptions/{contact['uuid']}/unsubscribe", {"subscription_type_uuid": kind["uuid"]})


@plan("POST /contact-verification/send")
def _verification_send(env: Env, op: Operation) -> Request:
    # The recorded body is an empty string; ``email`` is the documented parameter (contacts.md §5.1).
    return Request("/contact-verification/send", body={"email": env.new_contact()["email"]}, encoding="json")


@plan("POST /contact-verification/verify")
def _verification_verify(env: Env, op: Operation) -> Request:
    contact = env.new_contact()
    code = env.login_code(contact["email"])
    return _req(
        op, "/contact-verification/verify", recorded(op, login_code=code, contact_email_address=contact["email"])
    )


def _session_token(env: Env) -> str:
    data = env.ok("GET", f"/contact-verification/auth-token/{env.new_contact()['uuid']}")
    return str(data["auth_token"] if isinstance(data, dict) else data)


@plan("GET /contact-session-tokens/{contact_session_token}")
def _get_session_token(env: Env, op: Operation) -> Request:
    return _req(op, f"/contact-session-tokens/{_session_token(env)}")


@plan("POST /contact-session-tokens/{contact_session_token}/use")
def _use_session_token(env: Env, op: Operation) -> Request:
    # The recorded body (code, email) is copied from verify; DOCS list no body (contacts.md §6.2).
    return Request(f"/contact-session-tokens/{_session_token(env)}/use", body={}, encoding="multipart")


# --- identifiers -------------------------------------------------------------------------------------------------


@plan("POST /contact-identifiers")
def _create_identifier(env: Env, op: Operation) -> Request:
    contact = env.new_contact()
    body = recorded(op, contact_identifier_value=env.unique("card"), contact_uuid=contact["uuid"])
    return _req(op, "/contact-identifiers", body)


@plan("GET /contact-identifiers/find")
def _find_identifier(env: Env, op: Operation) -> Request:
    return _req(op, "/contact-identifiers/find", contact_identifier_value=env.identifier())


@plan("PUT /contact-identifiers/link")
def _link_identifier(env: Env, op: Operation) -> Request:
    body = recorded(op, contact_identifier_value=env.identifier(), contact_uuid=env.new_contact()["uuid"])
    return _req(op, "/contact-identifiers/link", body)


# --- credits, rewards, loyalty -----------------------------------------------------------------------------------


@plan("POST /credit-receptions")
def _credit_reception(env: Env, op: Operation) -> Request:
    # The recorded form sends credits and unit_value together plus a foreign identifier and POS transaction;
    # the documented contract takes one of credits / unit_value (credit-receptions.md, Create).
    body = {"contact_uuid": env.new_contact()["uuid"], "shop_uuid": env.shop_uuid, "credits": "10"}
    return _req(op, "/credit-receptions", body)


@plan("POST /credit-receptions/{credit_reception_uuid}/reverse")
def _reverse_credit_reception(env: Env, op: Operation) -> Request:
    contact = env.new_contact()
    created = env.ok(
        "POST", "/credit-receptions", {"contact_uuid": contact["uuid"], "shop_uuid": env.shop_uuid, "credits": 10}
    )
    return _req(op, f"/credit-receptions/{created['uuid']}/reverse", {})


@plan("GET /credit-receptions/calculate")
def _calculate(env: Env, op: Operation) -> Request:
    return _req(op, "/credit-receptions/calculate", shop_uuid=env.shop_uuid, unit_value="10.40")


@plan("GET /loyalty-transactions")
def _loyalty_transactions(env: Env, op: Operation) -> Request:
    contact = env.credited_contact(25)
    return _req(op, "/loyalty-transactions", contact_uuid=contact["uuid"])


@plan("POST /units", fresh=True)
def _create_unit(env: Env, op: Operation) -> Request:
    return _req(op, "/units", {**recorded(op), "name": env.unique("calories")})


@plan("POST /loyalty-tokens")
def _create_token(env: Env, op: Operation) -> Request:
    unit = env.first("/units")
    body = {**recorded(op, shop_uuid=env.shop_uuid), "unique_id": env.unique("token"), "unit_name": unit["name"]}
    return _req(op, "/loyalty-tokens", body)


@plan("POST /loyalty-tokens/claim")
def _claim_token(env: Env, op: Operation) -> Request:
    unit = env.first("/units")
    created = env.ok(
        "POST",
        "/loyalty-tokens",
        {
            "version": "v3",
            "shop_uuid": env.shop_uuid,
            "unique_id": env.unique("token"),
            "unit_name": unit["name"],
            "unit_value": "1.15",
        },
    )
    claim: dict[str, Any] = dict(parse_qsl(urlsplit(str(created)).query))
    claim["contact_uuid"] = env.new_contact()["uuid"]
    return _req(op, "/loyalty-tokens/claim", claim)


@plan("GET /rewards/{reward_uuid}")
def _get_reward(env: Env, op: Operation) -> Request:
    return _req(op, f"/rewards/{env.reward()['uuid']}")


@plan("PUT /rewards/{reward_uuid}", fresh=True)
def _update_reward(env: Env, op: Operation) -> Request:
    return _req(op, f"/rewards/{env.reward()['uuid']}", recorded(op))


@plan("POST /reward-receptions")
def _reward_reception(env: Env, op: Operation) -> Request:
    contact = env.credited_contact(10_000)
    body = recorded(op, reward_uuid=env.reward()["uuid"], shop_uuid=env.shop_uuid, contact_uuid=contact["uuid"])
    return _req(op, "/reward-receptions", body)


@plan("POST /reward-receptions/{reward_reception_uuid}/reverse")
def _reverse_reward_reception(env: Env, op: Operation) -> Request:
    reception = env.reward_reception()["reception"]
    return _req(op, f"/reward-receptions/{reception['uuid']}/reverse", {})


@plan("GET /collectable-rewards")
def _collectables(env: Env, op: Operation) -> Request:
    claimed = env.reward_reception("PHYSICAL")
    return _req(op, "/collectable-rewards", contact_uuid=claimed["contact"]["uuid"])


@plan("PUT /collectable-rewards/collect/{loyalty_transaction_uuid}")
def _collect(env: Env, op: Operation) -> Request:
    reception = env.reward_reception("PHYSICAL")["reception"]
    return _req(op, f"/collectable-rewards/collect/{reception['uuid']}", {})


@plan("POST /collectable-rewards/{collectable_reward_redemption_uuid}/reverse")
def _reverse_collect(env: Env, op: Operation) -> Request:
    reception = env.reward_reception("PHYSICAL")["reception"]
    collected = env.ok("PUT", f"/collectable-rewards/collect/{reception['uuid']}", {})
    return _req(op, f"/collectable-rewards/{collected['uuid']}/reverse", {})


_PERK_OPTIONS = [
    {"label": "Option 1", "value": "true", "default": True},
    {"label": "Option 2", "value": "false", "default": False},
]


@plan("POST /perks", fresh=True)
def _create_perk(env: Env, op: Operation) -> Request:
    # The recorded request marks both options default; exactly one must be (loyalty-program.md, Create perk).
    return _req(op, "/perks", {**recorded(op), "name": env.unique("new_perk"), "options": _PERK_OPTIONS})


def _perk(env: Env) -> str:
    body = {"label": "Conformance perk", "name": env.unique("perk"), "data_type": "boolean", "options": _PERK_OPTIONS}
    return str(env.ok("POST", "/perks", body)["uuid"])


@plan("PUT /perks/3154fe6a-104f-4b75-bc2a-2cf2b0e5f5f2", fresh=True)
def _update_perk(env: Env, op: Operation) -> Request:
    return _req(op, f"/perks/{_perk(env)}", recorded(op))


@plan("DELETE /perks/3154fe6a-104f-4b75-bc2a-2cf2b0e5f5f2", fresh=True)
def _delete_perk(env: Env, op: Operation) -> Request:
    return _req(op, f"/perks/{_perk(env)}")


# --- vouchers and promotions -------------------------------------------------------------------------------------


@plan("POST /vouchers/batch")
def _voucher_batch(env: Env, op: Operation) -> Request:
    # The recorded body is empty; promotion_uuid and quantity are required (promotions-vouchers.md, batch).
    return Request("/vouchers/batch", body={"promotion_uuid": env.promotion_uuid(), "quantity": 30}, encoding="json")


@plan("GET /vouchers/find")
def _find_voucher(env: Env, op: Operation) -> Request:
    return _req(op, "/vouchers/find", code=env.voucher()["code"])


@plan("PUT /vouchers/{voucher_uuid}")
def _update_voucher(env: Env, op: Operation) -> Request:
    return _req(op, f"/vouchers/{env.voucher()['uuid']}", recorded(op))


@plan("POST /vouchers/{voucher_uuid}/lock")
def _lock_voucher(env: Env, op: Operation) -> Request:
    return _req(op, f"/vouchers/{env.voucher()['uuid']}/lock", {})


@plan("POST /vouchers/{voucher_uuid}/release")
def _release_voucher(env: Env, op: Operation) -> Request:
    voucher = env.voucher()
    lock = env.ok("POST", f"/vouchers/{voucher['uuid']}/lock", {})
    return _req(op, f"/vouchers/{voucher['uuid']}/release", {"release_key": lock["lock"]["release_key"]})


@plan("POST /vouchers/redeem")
def _redeem_voucher(env: Env, op: Operation) -> Request:
    # The recorded body is empty; code and shop_uuid are required, contact_uuid for a voucher without a contact.
    body = {"code": env.voucher()["code"], "shop_uuid": env.shop_uuid, "contact_uuid": env.new_contact()["uuid"]}
    return Request("/vouchers/redeem", body=body, encoding="multipart")


# --- gift cards and prepaid --------------------------------------------------------------------------------------


@plan("POST /giftcards")
def _create_giftcard(env: Env, op: Operation) -> Request:
    program = env.first("/giftcard-programs")
    return _req(op, "/giftcards", recorded(op, giftcard_program_uuid=program["uuid"]))


@plan("POST /giftcards/daaa5611-f87f-3308-9f81-a270c8a57517/send-by-email")
def _send_giftcard(env: Env, op: Operation) -> Request:
    # The recorded body is copied from create; contact_uuid is the documented parameter (giftcards.md, send).
    card = env.giftcard()
    return _req(op, f"/giftcards/{card['uuid']}/send-by-email", {"contact_uuid": env.new_contact()["uuid"]})


@plan("GET /giftcards/find-one-by")
def _find_giftcard(env: Env, op: Operation) -> Request:
    return _req(op, "/giftcards/find-one-by", hash=env.giftcard()["hash"])


@plan("GET /giftcards/{giftcard_uuid}")
def _get_giftcard(env: Env, op: Operation) -> Request:
    return _req(op, f"/giftcards/{env.giftcard()['uuid']}")


@plan("GET /giftcard-transactions")
def _list_giftcard_transactions(env: Env, op: Operation) -> Request:
    transaction = env.giftcard_transaction()
    return _req(op, "/giftcard-transactions", giftcard_uuid=transaction["card"]["uuid"])


@plan("POST /giftcard-transactions")
def _create_giftcard_transaction(env: Env, op: Operation) -> Request:
    body = recorded(op, giftcard_uuid=env.giftcard()["uuid"], shop_uuid=env.shop_uuid)
    return _req(op, "/giftcard-transactions", body)


@plan("GET /giftcard-transactions/{giftcard_transaction_uuid}")
def _get_giftcard_transaction(env: Env, op: Operation) -> Request:
    return _req(op, f"/giftcard-transactions/{env.giftcard_transaction()['uuid']}")


@plan("POST /giftcard-transactions/{giftcard_transaction_uuid}/correct")
def _correct_giftcard_transaction(env: Env, op: Operation) -> Request:
    return _req(op, f"/giftcard-transactions/{env.giftcard_transaction()['uuid']}/correct", {})


@plan("POST /prepaid-transactions")
def _create_prepaid(env: Env, op: Operation) -> Request:
    # A top-up on a new contact: the recorded payment (-1000) needs a balance, and its identifier is Leat's.
    body = {"contact_uuid": env.new_contact()["uuid"], "amount_in_cents": "1000", "shop_uuid": env.shop_uuid}
    return _req(op, "/prepaid-transactions", body)


@plan("GET /prepaid-transactions")
def _list_prepaid(env: Env, op: Operation) -> Request:
    contact = env.new_contact()
    body = {"contact_uuid": contact["uuid"], "amount_in_cents": 1000, "shop_uuid": env.shop_uuid}
    env.ok("POST", "/prepaid-transactions", body)
    return _req(op, "/prepaid-transactions", contact_uuid=contact["uuid"])


# --- portal sessions, webhooks -----------------------------------------------------------------------------------


@plan("POST /portal-sessions")
def _create_portal_session(env: Env, op: Operation) -> Request:
    return _req(op, "/portal-sessions", recorded(op, contact_uuid=ids.JANE, shop_uuid=env.shop_uuid))


@plan("GET /portal-sessions/{portal_session_uuid}")
def _get_portal_session(env: Env, op: Operation) -> Request:
    created = env.ok("POST", "/portal-sessions", {"contact_uuid": ids.JANE, "shop_uuid": env.shop_uuid})
    return _req(op, f"/portal-sessions/{created['uuid']}")


# Webhook subscriptions run on a private sandbox: a contact_created subscription would otherwise deliver events
# for every contact the rest of the suite creates.
@plan("POST /webhook-subscriptions", fresh=True)
def _create_webhook(env: Env, op: Operation) -> Request:
    return _req(op, "/webhook-subscriptions", recorded(op))


def _webhook(env: Env) -> str:
    body = {"name": "Some Webhook", "url": "http://127.0.0.1:9/hook", "event_type": "contact_created"}
    return str(env.ok("POST", "/webhook-subscriptions", body)["uuid"])


@plan("GET /webhook-subscriptions", fresh=True)
def _list_webhooks(env: Env, op: Operation) -> Request:
    _webhook(env)
    return _req(op, "/webhook-subscriptions")


@plan("PUT /webhook-subscriptions/{webhook_uuid}", fresh=True)
def _update_webhook(env: Env, op: Operation) -> Request:
    return _req(op, f"/webhook-subscriptions/{_webhook(env)}", recorded(op))


@plan("DELETE /webhook-subscriptions/{webhook_uuid}", fresh=True)
def _delete_webhook(env: Env, op: Operation) -> Request:
    return _req(op, f"/webhook-subscriptions/{_webhook(env)}")
