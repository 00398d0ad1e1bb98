"""The approval policy's rules, call by call (no network): thresholds, signs, principals, operator settings, hints."""

from __future__ import annotations

from typing import Any

import pytest

from piggy_agent_tools.policy import STAFF, ApprovalPolicy, Principal, Verdict, mask_secrets
from piggy_agent_tools.tools import REGISTRY

SPECS = {s.name: s for s in REGISTRY}
CUSTOMER = Principal("c0ffee00-0000-4000-8000-000000000001")
DEFAULT = ApprovalPolicy()


def verdict(name: str, args: dict[str, Any], who: Principal = STAFF, policy: ApprovalPolicy = DEFAULT) -> Verdict:
    return policy.decide(SPECS[name], args, who).verdict


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("award_credits", {"credits": 500}, Verdict.RUN),
        ("award_credits", {"credits": 501}, Verdict.DECIDE),
        ("award_credits", {"unit_value": 50.0}, Verdict.RUN),  # a €50 purchase: 5,000 cents, at the limit
        ("award_credits", {"unit_value": 50.01}, Verdict.DECIDE),
        ("create_prepaid_transaction", {"amount_in_cents": 5_000}, Verdict.RUN),
        ("create_prepaid_transaction", {"amount_in_cents": 5_001}, Verdict.DECIDE),
        ("create_prepaid_transaction", {"amount_in_cents": -1}, Verdict.DECIDE),  # spends
        ("create_prepaid_transaction", {"amount_in_cents": "lots"}, Verdict.DECIDE),  # unreadable: a person checks
        ("create_prepaid_transaction", {}, Verdict.DECIDE),
        ("create_giftcard_transaction", {"amount_in_cents": 50_000}, Verdict.DECIDE),
        ("create_webhook_subscription", {"url": "https://hooks.example.com/x"}, Verdict.DECIDE),  # egress, always
        ("get_contacts_portal_url", {}, Verdict.DECIDE),
        ("claim_anonymous_contact", {}, Verdict.DECIDE),  # irreversible merge
        ("delete_contact", {}, Verdict.DECIDE),
        ("update_contact", {}, Verdict.RUN),  # an overwrite: marked destructive for MCP, but no decision
        ("get_contact", {}, Verdict.RUN),
    ],
)
def test_staff_rules(name: str, args: dict[str, Any], expected: Verdict) -> None:
    assert verdict(name, args) is expected


def test_a_customer_never_creates_value_without_staff() -> None:
    assert verdict("create_prepaid_transaction", {"amount_in_cents": 1}, CUSTOMER) is Verdict.REFUSE
    assert verdict("create_prepaid_transaction", {"amount_in_cents": -100}, CUSTOMER) is Verdict.DECIDE  # paying
    assert verdict("link_contact_identifier", {}, CUSTOMER) is Verdict.DECIDE  # a card may carry a balance
    for name in ("award_credits", "trigger_automation", "create_visit"):
        assert not DEFAULT.offers(SPECS[name], CUSTOMER), name
    # Reversing one's own spend (a reward claim, a payment) gives value back: pay, consume, reverse would mint it.
    for name in ("reverse_reward_reception", "reverse_prepaid_transaction", "reverse_voucher_redemption"):
        assert not DEFAULT.offers(SPECS[name], CUSTOMER), name
        assert verdict(name, {}, CUSTOMER) is Verdict.REFUSE, name
        assert verdict(name, {}) is Verdict.DECIDE, name  # staff: a spend, decided by a person
    decide = ApprovalPolicy(customer_value="decide")
    assert decide.offers(SPECS["award_credits"], CUSTOMER)
    assert verdict("award_credits", {"credits": 1}, CUSTOMER, decide) is Verdict.DECIDE
    assert verdict("reverse_reward_reception", {}, CUSTOMER, decide) is Verdict.DECIDE
    loosened = ApprovalPolicy(customer_value="decide", never_decide=frozenset({"award_credits"}))
    assert verdict("award_credits", {"credits": 1}, CUSTOMER, loosened) is Verdict.DECIDE  # never for customers


def test_operators_tighten_and_loosen_in_code() -> None:
    tight = ApprovalPolicy(max_credits=10, always_decide=frozenset({"create_voucher"}))
    assert verdict("award_credits", {"credits": 11}, STAFF, tight) is Verdict.DECIDE
    assert verdict("create_voucher", {}, STAFF, tight) is Verdict.DECIDE
    loose = ApprovalPolicy(never_decide=frozenset({"delete_webhook_subscription"}))
    assert verdict("delete_webhook_subscription", {}, STAFF, loose) is Verdict.RUN
    hosts = ApprovalPolicy(webhook_hosts=frozenset({"example.com"}))
    assert verdict("create_webhook_subscription", {"url": "https://a.example.com/h"}, STAFF, hosts) is Verdict.DECIDE
    assert verdict("create_webhook_subscription", {"url": "https://example.com.evil.io/"}, STAFF, hosts) is (
        Verdict.REFUSE
    )
    assert verdict("create_webhook_subscription", {"url": "not a url"}, STAFF, hosts) is Verdict.REFUSE


def test_mcp_hints_mark_every_non_additive_update_destructive() -> None:
    for name in ("update_contact", "update_voucher", "unsubscribe_contact", "claim_anonymous_contact"):
        assert SPECS[name].hints["destructiveHint"] is True, name
    for name in ("create_contact", "subscribe_contact", "award_credits", "create_webhook_subscription"):
        assert SPECS[name].hints["destructiveHint"] is False, name
    assert SPECS["get_contact"].hints["readOnlyHint"] is True


def test_read_only_offers_no_credential_and_masks_codes() -> None:
    assert not DEFAULT.offers(SPECS["get_contacts_portal_url"], STAFF, read_only=True)
    assert DEFAULT.offers(SPECS["list_giftcards"], STAFF, read_only=True)
    assert DEFAULT.masks_codes(SPECS["list_giftcards"], read_only=True)
    assert not ApprovalPolicy(reveal_codes=True).masks_codes(SPECS["list_giftcards"], read_only=True)
    masked = mask_secrets({"cards": [{"hash": "GC-1234-5678-ABCD", "balance": 5}]})
    assert masked == {"cards": [{"hash": "••••ABCD", "balance": 5}]}
