"""Rewards and claiming them: stock, claim limits, activity and credits, and collectable pickups (rewards.md)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from piggy_agent_tools.sandbox.domain.contacts import change_credits, contact_brief
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.domain.program import require_unit
from piggy_agent_tools.sandbox.domain.shops import shop_embedded
from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "reward"
RECEPTION = "reward_reception"
_FIELDS = (
    "title",
    "description",
    "required_credits",
    "reward_type",
    "is_active",
    "media",
    "cost_price",
    "stock",
    "pre_redeemable",
    "expiration_duration",
)


def require_reward(tx: Tx, reward_uuid: Any) -> Doc:
    doc = tx.get(KIND, str(reward_uuid)) if reward_uuid else None
    if doc is None:
        raise fail(6003)
    return doc


def reward_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Reward object; custom reward attributes are echoed as top-level keys."""
    view: dict[str, Any] = {"id": doc["id"], "uuid": doc["uuid"], **{k: doc.get(k) for k in _FIELDS}}
    view["type"] = doc.get("reward_type")
    view["active"] = doc.get("is_active")
    for attribute in tx.all("reward_attribute"):
        view[attribute["name"]] = doc.get("attributes", {}).get(attribute["name"])
    return view


def claims_of(tx: Tx, contact_uuid: str, reward_uuid: str) -> int:
    """Claims of this reward by this contact that still count (reversed claims do not)."""
    return sum(1 for r in tx.find(RECEPTION, contact_uuid=contact_uuid, reward_uuid=reward_uuid) if not r["reversed"])


def claimable(tx: Tx, contact: Doc, reward: Doc) -> bool:
    """Could this contact claim this reward now? Active, in stock, under the limit, affordable."""
    if not reward.get("is_active"):
        return False
    if reward.get("stock") is not None and int(reward["stock"]) <= 0:
        return False
    limit = reward.get("claim_limit")
    if limit is not None and claims_of(tx, contact["uuid"], reward["uuid"]) >= int(limit):
        return False
    return int(contact.get("credit_balance", 0)) >= int(reward.get("required_credits", 0))


def claim(tx: Tx, contact: Doc, shop: Doc, reward: Doc, *, identifier: dict[str, Any] | None = None) -> Doc:
    """Claim a reward: 1052 inactive, 1018 out of stock, 1019 claim limit, 1017 not enough credits."""
    if not reward.get("is_active"):
        raise fail(1052)
    if reward.get("stock") is not None and int(reward["stock"]) <= 0:
        raise fail(1018)
    limit = reward.get("claim_limit")
    if limit is not None and claims_of(tx, contact["uuid"], reward["uuid"]) >= int(limit):
        raise fail(1019)
    price = int(reward.get("required_credits", 0))
    change_credits(tx, contact, -price)
    if reward.get("stock") is not None:
        reward["stock"] = int(reward["stock"]) - 1
        tx.put(KIND, reward)
    created = now_iso()
    digital = reward.get("reward_type") == "DIGITAL"
    expires = None
    if not digital and reward.get("expiration_duration"):
        start = datetime.fromisoformat(created)
        expires = (start + timedelta(seconds=int(reward["expiration_duration"]))).isoformat()
    return tx.insert(
        RECEPTION,
        {
            "type": "digital_reward_reception" if digital else "reward_reception",
            "contact_uuid": contact["uuid"],
            "shop_uuid": shop["uuid"],
            "reward_uuid": reward["uuid"],
            "credits": -price,
            "title": reward.get("title"),
            "contact_identifier": identifier,
            "created_at": created,
            "expires_at": expires,
            "has_been_collected": False,
            "digital_code": secrets.token_hex(4).upper() if digital else None,
            "balance_after": contact["credit_balance"],
            "reversed": False,
        },
    )


def reverse(tx: Tx, reception: Doc) -> Doc:
    """Refund a claim with a new credit reception and put the stock back; a claim reverses once (1003, inferred)."""
    if reception.get("reversed"):
        raise fail(1003, errors={"reward_reception_uuid": ["This reward reception has already been reversed."]})
    contact = tx.get("contact", reception["contact_uuid"])
    shop = tx.get("shop", reception["shop_uuid"])
    if contact is None or shop is None:
        raise fail(55031 if contact is None else 1008)
    refund = create_credit_reception(
        tx,
        contact,
        shop,
        require_unit(tx, None),
        credits=-int(reception["credits"]),
        unit_value=None,
        reverses=reception["uuid"],
    )
    reward = tx.get(KIND, reception["reward_uuid"])
    if reward is not None and reward.get("stock") is not None:
        reward["stock"] = int(reward["stock"]) + 1
        tx.put(KIND, reward)
    reception["reversed"] = True
    tx.put(RECEPTION, reception)
    return refund


def reward_reception_view(tx: Tx, doc: Doc) -> dict[str, Any]:
    """The Reward Reception object (physical or digital variant)."""
    contact = tx.get("contact", doc["contact_uuid"])
    shop = tx.get("shop", doc["shop_uuid"])
    reward = tx.get(KIND, doc["reward_uuid"])
    contact_part = (
        contact_brief(contact)
        if contact
        else {"uuid": doc["contact_uuid"], "email": None, "credit_balance": {"id": 0, "balance": 0}}
    )
    contact_part["credit_balance"]["balance"] = doc.get("balance_after", contact_part["credit_balance"]["balance"])
    view: dict[str, Any] = {
        "type": doc["type"],
        "uuid": doc["uuid"],
        "title": doc.get("title"),
        "credits": doc["credits"],
        "contact": contact_part,
        "shop": shop_embedded(shop) if shop else None,
        "contact_identifier": doc.get("contact_identifier"),
        "created_at": doc["created_at"],
    }
    reward_part = reward_view(tx, reward) if reward else None
    if doc["type"] == "digital_reward_reception":
        view["digital_reward"] = reward_part
        view["digital_reward_code"] = {"code": doc.get("digital_code")}
    else:
        view["reward"] = reward_part
        view["expires_at"] = doc.get("expires_at")
        view["has_been_collected"] = bool(doc.get("has_been_collected"))
    return view


def collectable_view(tx: Tx, doc: Doc, status: str | None = None) -> dict[str, Any]:
    """A claimed physical reward awaiting pickup; ``status`` is added after collect/reverse (inferred, rewards.md)."""
    contact = tx.get("contact", doc["contact_uuid"])
    reward = tx.get(KIND, doc["reward_uuid"])
    view: dict[str, Any] = {
        "uuid": doc["uuid"],
        "title": doc.get("title"),
        "created_at": doc["created_at"],
        "expires_at": doc.get("expires_at"),
        "has_been_collected": bool(doc.get("has_been_collected")),
        # The recording embeds the contact with credit_balance.id, like every transaction (leat-openapi.yaml).
        "contact": contact_brief(contact)
        if contact
        else {"uuid": doc["contact_uuid"], "email": None, "credit_balance": {"id": 0, "balance": 0}},
        "reward": reward_view(tx, reward) if reward else None,
    }
    if status:
        view["status"] = status
    return view
