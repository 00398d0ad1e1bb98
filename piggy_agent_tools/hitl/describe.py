"""Say exactly what an action will do, in words a reviewer understands, resolved from Piggy (names, amounts).

Resolution is best effort: if a lookup fails, the description falls back to the raw ids, never to an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from piggy_agent_tools.errors import PiggyError
from piggy_agent_tools.toolkit import PiggyToolkit

Describer = Callable[[PiggyToolkit, dict[str, Any]], str]


def _contact(toolkit: PiggyToolkit, uuid: Any) -> str:
    if not uuid:
        return "an unidentified customer"
    try:
        return toolkit.client.contacts.get(str(uuid)).email or str(uuid)
    except PiggyError:
        return f"contact {uuid}"


def _shop(toolkit: PiggyToolkit, uuid: Any) -> str:
    if not uuid:
        return "no shop given"
    try:
        return f"{toolkit.client.shops.get(str(uuid)).name} shop"
    except (PiggyError, AttributeError):
        return f"shop {uuid}"


def _euros(cents: Any) -> str:
    try:
        value = int(cents)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite amount (JSON allows Infinity)
        return str(cents)
    return f"€{abs(value) / 100:.2f}"


def _delete_contact(tk: PiggyToolkit, a: dict[str, Any]) -> str:
    kind = "GDPR: personal data erased" if a.get("type") == "GDPR" else "DEFAULT: contact and balances removed"
    return f"Delete contact {_contact(tk, a.get('contact_uuid'))} ({kind}). Cannot be undone."


def _redeem_voucher(tk: PiggyToolkit, a: dict[str, Any]) -> str:
    code = a.get("code")
    detail = ""
    try:
        voucher = tk.client.vouchers.find(code=str(code))
        promotion = getattr(voucher, "promotion", None)
        title = getattr(promotion, "name", None) or getattr(voucher, "name", None)
        detail = f" ({title})" if title else ""
        owner = a.get("contact_uuid") or getattr(getattr(voucher, "contact", None), "uuid", None)
    except (PiggyError, AttributeError, TypeError):
        owner = a.get("contact_uuid")
    return f"Redeem voucher {code}{detail} for {_contact(tk, owner)} at {_shop(tk, a.get('shop_uuid'))}."


def _claim_reward(tk: PiggyToolkit, a: dict[str, Any]) -> str:
    what = f"reward {a.get('reward_uuid')}"
    try:
        reward = tk.client.rewards.get(str(a.get("reward_uuid")))
        what = f"reward '{getattr(reward, 'title', None) or getattr(reward, 'name', '')}' "
        what += f"({getattr(reward, 'required_credits', '?')} credits)"
    except (PiggyError, AttributeError):
        pass
    return f"Claim {what} for {_contact(tk, a.get('contact_uuid'))} at {_shop(tk, a.get('shop_uuid'))}; spends credits."


def _money(kind: str) -> Describer:
    def describe(tk: PiggyToolkit, a: dict[str, Any]) -> str:
        amount = a.get("amount_in_cents")
        target = f"gift card {a.get('giftcard_uuid')}" if kind == "gift card" else _contact(tk, a.get("contact_uuid"))
        try:
            adds = int(str(amount)) > 0
        except (TypeError, ValueError, OverflowError):
            adds = False
        if adds:  # a top-up above the policy's limit: value created out of nothing
            return f"Add {_euros(amount)} to the {kind} balance of {target} at {_shop(tk, a.get('shop_uuid'))}."
        return f"Deduct {_euros(amount)} from the {kind} balance of {target} at {_shop(tk, a.get('shop_uuid'))}."

    return describe


def _award(tk: PiggyToolkit, a: dict[str, Any]) -> str:
    if a.get("credits") is not None:
        what = f"{a.get('credits')} credits"
    else:
        what = f"the credits for a purchase of {a.get('unit_value')} {a.get('unit_name') or '(purchase amount)'}"
    return f"Award {what} to {_contact(tk, a.get('contact_uuid'))} at {_shop(tk, a.get('shop_uuid'))}."


def _webhook(tk: PiggyToolkit, a: dict[str, Any]) -> str:
    url = str(a.get("url") or "")
    host = urlsplit(url).hostname or url
    return f"Subscribe {url} to '{a.get('event_type')}' events: Piggy will send customer data to {host} from now on."


DESCRIBERS: dict[str, Describer] = {
    "delete_contact": _delete_contact,
    "redeem_voucher": _redeem_voucher,
    "claim_reward": _claim_reward,
    "create_giftcard_transaction": _money("gift card"),
    "create_prepaid_transaction": _money("prepaid"),
    "reverse_credit_reception": lambda tk, a: (
        f"Reverse credit reception {a.get('credit_reception_uuid')}: the credits it awarded are taken back."
    ),
    "reverse_reward_reception": lambda tk, a: (
        f"Reverse reward claim {a.get('reward_reception_uuid')}: the credits are given back."
    ),
    "reverse_giftcard_transaction": lambda tk, a: (
        f"Reverse gift-card transaction {a.get('giftcard_transaction_uuid')}."
    ),
    "unlink_contact_identifier": lambda tk, a: f"Unlink card {a.get('contact_identifier_value')} from its customer.",
    "award_credits": _award,
    "create_webhook_subscription": _webhook,
    "get_contacts_portal_url": lambda tk, a: (
        f"Create a portal login link for {_contact(tk, a.get('contact_uuid'))}: whoever holds it is logged in as them."
    ),
    "create_portal_session": lambda tk, a: (
        f"Open a portal session for {_contact(tk, a.get('contact_uuid'))} at {_shop(tk, a.get('shop_uuid'))}."
    ),
    "claim_anonymous_contact": lambda tk, a: (
        f"Merge anonymous contact {a.get('contact_uuid')} into the customer with email {a.get('email')}. "
        "Cannot be undone."
    ),
}


def describe_call(toolkit: PiggyToolkit, call: dict[str, Any]) -> str:
    """A one-sentence description of what this call will do."""
    args = {**dict(call.get("args") or {}), **_injected(toolkit)}
    describer = DESCRIBERS.get(str(call.get("name")))
    if describer is not None:
        return describer(toolkit, args)
    shown = ", ".join(f"{k}={v}" for k, v in args.items())
    return f"Run {call.get('name')} with {shown or 'no arguments'}. This action cannot be undone automatically."


def _injected(toolkit: PiggyToolkit) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if toolkit.contact_uuid:
        out["contact_uuid"] = toolkit.contact_uuid
    return out
