"""Reconciliation: for a call whose outcome is unknown, look in Piggy for its effect and say whether it happened.

Each reconciler reads (never writes) what the call would have created since the claim: a credit or reward reception,
a gift-card or prepaid transaction with the same amount, the voucher's redemption time, the contact's absence. A
match since the claim time counts as "it happened" (with the uuid as evidence); none as "it did not happen". Where
the API shows no trace (a reward or voucher reversal), or a lookup fails, the answer is "cannot tell" and the staff
check by hand. A match is by contact/card, amount and time, so an identical action booked by someone else in the
same seconds would be taken for this one: the evidence names the uuid for the staff to confirm.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from piggy_agent_tools.client import PiggyClient
from piggy_agent_tools.errors import NotFoundError, PiggyError
from piggy_agent_tools.ledger._guard import AsyncReconciler, Reconciler, Reconciliation
from piggy_agent_tools.ledger._store import LedgerEntry
from piggy_agent_tools.toolkit import PiggyToolkit

#: Piggy's timestamps have whole seconds, and clocks differ a little: effects up to this long before the claim count.
SKEW_SECONDS = 2.0

Check = Callable[[PiggyClient, dict[str, Any], datetime], Reconciliation | None]


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _when(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _since(item: Any, since: datetime) -> bool:
    moment = _when(_get(item, "created_at"))
    return moment is not None and moment >= since


def _found(what: str, item: Any) -> Reconciliation:
    return Reconciliation(True, f"{what} {_get(item, 'uuid')} at {_get(item, 'created_at')}")


def _credit_award(client: PiggyClient, args: dict[str, Any], since: datetime) -> Reconciliation | None:
    page = client.loyalty_transactions.list(
        contact_uuid=args["contact_uuid"], type="credit_receptions", limit=100, sort="-created_at"
    )
    for item in page.items:
        if not _since(item, since) or item.type != "credit_reception":
            continue
        if args.get("credits") is not None and item.credits != args["credits"]:
            continue
        if args.get("unit_value") is not None and item.unit_value != float(args["unit_value"]):
            continue
        return _found("credit reception", item)
    return Reconciliation(False, "no matching credit reception of the contact since the claim")


def _reward_claim(client: PiggyClient, args: dict[str, Any], since: datetime) -> Reconciliation | None:
    page = client.loyalty_transactions.list(
        contact_uuid=args["contact_uuid"], type="reward_receptions", limit=100, sort="-created_at"
    )
    for item in page.items:
        reward = item.reward or {}
        if _since(item, since) and reward.get("uuid") == args["reward_uuid"]:
            return _found("reward reception", item)
    return Reconciliation(False, "no reception of this reward by the contact since the claim")


def _giftcard_transaction(client: PiggyClient, args: dict[str, Any], since: datetime) -> Reconciliation | None:
    page = client.giftcard_transactions.list(giftcard_uuid=args["giftcard_uuid"], limit=100, sort="-created_at")
    for item in page.items:
        if _since(item, since) and item.amount_in_cents == int(args["amount_in_cents"]):
            return _found("gift-card transaction", item)
    return Reconciliation(False, "no gift-card transaction of this amount on the card since the claim")


def _prepaid_transaction(client: PiggyClient, args: dict[str, Any], since: datetime) -> Reconciliation | None:
    return _prepaid_amount(client, args["contact_uuid"], int(args["amount_in_cents"]), since)


def _prepaid_amount(client: PiggyClient, contact: str, cents: int, since: datetime) -> Reconciliation:
    page_no, last = 1, 1
    while page_no <= last:  # oldest first: the newest are on the last page
        page = client.prepaid_transactions.list(contact_uuid=contact, limit=30, page=page_no)
        last = page.last_page
        for item in page.items:
            if _since(item, since) and item.amount_in_cents == cents:
                return _found("prepaid transaction", item)
        page_no += 1
    return Reconciliation(False, "no prepaid transaction of this amount for the contact since the claim")


def _voucher_redemption(client: PiggyClient, args: dict[str, Any], since: datetime) -> Reconciliation | None:
    voucher = client.vouchers.find(str(args["code"]))
    redeemed = _when(voucher.redeemed_at)
    if redeemed is not None and redeemed >= since:
        return Reconciliation(True, f"voucher {voucher.code} redeemed at {voucher.redeemed_at}")
    return Reconciliation(False, f"voucher {voucher.code} not redeemed since the claim (status {voucher.status})")


def _contact_deletion(client: PiggyClient, args: dict[str, Any], since: datetime) -> Reconciliation | None:
    try:
        client.contacts.get(str(args["contact_uuid"]))
    except NotFoundError:
        return Reconciliation(True, f"contact {args['contact_uuid']} no longer exists")
    return Reconciliation(False, f"contact {args['contact_uuid']} still exists")


def _credit_reversal(client: PiggyClient, args: dict[str, Any], since: datetime) -> Reconciliation | None:
    contact = args.get("contact_uuid")
    if not contact:
        return None  # the reversal names no contact: the transaction list cannot be narrowed to find it
    page = client.loyalty_transactions.list(contact_uuid=contact, type="credit_receptions", limit=100)
    original = next((t for t in page.items if t.uuid == args["credit_reception_uuid"]), None)
    if original is None:
        return None
    for item in page.items:
        if _since(item, since) and item.credits == -original.credits and item.uuid != original.uuid:
            return _found("reversing credit reception", item)
    return Reconciliation(False, "no reversing credit reception since the claim")


def _giftcard_reversal(client: PiggyClient, args: dict[str, Any], since: datetime) -> Reconciliation | None:
    original = client.giftcard_transactions.get(str(args["giftcard_transaction_uuid"]))
    card = _get(original.card, "uuid")
    if not card:
        return None
    page = client.giftcard_transactions.list(giftcard_uuid=card, limit=100, sort="-created_at")
    for item in page.items:
        if _since(item, since) and item.amount_in_cents == -original.amount_in_cents and item.uuid != original.uuid:
            return _found("reversing gift-card transaction", item)
    return Reconciliation(False, "no reversing gift-card transaction on the card since the claim")


CHECKS: dict[str, Check] = {
    "award_credits": _credit_award,
    "claim_reward": _reward_claim,
    "create_giftcard_transaction": _giftcard_transaction,
    "create_prepaid_transaction": _prepaid_transaction,
    "redeem_voucher": _voucher_redemption,
    "delete_contact": _contact_deletion,
    "reverse_credit_reception": _credit_reversal,
    "reverse_giftcard_transaction": _giftcard_reversal,
}


def reconcile_entry(client: PiggyClient, entry: LedgerEntry) -> Reconciliation | None:
    """Whether the effect of ``entry``'s call exists in Piggy; None when it cannot be told."""
    check = CHECKS.get(entry.tool)
    if check is None:
        return None
    since = datetime.fromtimestamp(int(entry.claimed_at) - SKEW_SECONDS, UTC)
    try:
        return check(client, entry.args, since)
    except (PiggyError, KeyError, TypeError, ValueError):
        return None  # the lookup failed: staff check by hand, as for a tool with no reconciler


def make_reconcilers(toolkit: PiggyToolkit) -> tuple[Reconciler, AsyncReconciler]:
    """Sync and async reconcilers reading through the toolkit's client (the async one runs it in a thread)."""

    def reconcile(entry: LedgerEntry) -> Reconciliation | None:
        return reconcile_entry(toolkit.client, entry)

    async def areconcile(entry: LedgerEntry) -> Reconciliation | None:
        return await asyncio.to_thread(reconcile_entry, toolkit.client, entry)

    return reconcile, areconcile
