"""Loyalty tokens (loyalty-tokens.md): signed URLs reserving credits, claimable once, checked with the account
secret by the same recipe as ``piggy_agent_tools.loyalty_tokens`` (which builds them offline).

Claimed and API-created tokens are stored as kind ``loyalty_token``, keyed by shop and ``unique_id``.
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from piggy_agent_tools.loyalty_tokens import build_loyalty_token_url, format_token_value, token_hash, token_parameters
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.domain.program import require_unit
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "loyalty_token"
PORTAL_URL = "https://bean-there.piggy.eu"
# Inferred (loyalty-tokens.md is silent on a lifetime): a token can be claimed for 30 days after its timestamp.
LIFETIME_SECONDS = 30 * 24 * 3600


def account_secret(tx: Tx) -> str:
    account = tx.get("account", "account") or {}
    return str(account.get("secret", ""))


def check_version(version: str, *, credits: int | None, unit_name: str | None, unit_value: Any) -> None:
    """v1 tokens are credits based (60018), v2 unit based (60019), v3 either; one of the two sets is required."""
    has_units = unit_name is not None and unit_value is not None
    if version == "v1" and credits is None:
        raise fail(60018, "Please submit credits when using v1")
    if version == "v2" and not has_units:
        raise fail(60019, "Please submit units when using v2")
    if (credits is None) == (not has_units):
        message = "Give either unit_name and unit_value, or credits."
        raise invalid({"credits": [message], "unit_value": [message]})


def _pairs(args: dict[str, Any]) -> list[tuple[str, str]]:
    return token_parameters(
        shop_uuid=args["shop_uuid"],
        unique_id=args["unique_id"],
        timestamp=int(args["timestamp"]),
        unit_name=args.get("unit_name"),
        unit_value=args.get("unit_value"),
        credits=args.get("credits"),
        version=args["version"],
    )


def create_token(tx: Tx, shop: Doc, args: dict[str, Any]) -> str:
    """The token URL for ``args`` (version, unique_id, unit_name/unit_value or credits), stamped now.

    ``unique_id`` is unique per shop: asking again with the same values returns the same URL (a safe retry);
    other values are refused with 1003 (inferred: the code is undocumented).
    """
    if args.get("unit_name") is not None:
        require_unit(tx, args["unit_name"])
    fields = {k: args.get(k) for k in ("version", "unit_name", "credits")}
    fields["unit_value"] = None if args.get("unit_value") is None else format_token_value(args["unit_value"])
    existing = tx.find_one(KIND, shop_uuid=shop["uuid"], unique_id=args["unique_id"])
    if existing is not None:
        if {k: existing.get(k) for k in fields} == fields and existing.get("url"):
            return str(existing["url"])
        raise invalid({"unique_id": ["The unique id has already been used for another loyalty token."]})
    timestamp = int(time.time())
    url = build_loyalty_token_url(
        PORTAL_URL,
        account_secret(tx),
        shop_uuid=shop["uuid"],
        unique_id=args["unique_id"],
        unit_name=args.get("unit_name"),
        unit_value=args.get("unit_value"),
        credits=args.get("credits"),
        timestamp=timestamp,
        version=args["version"],
    )
    tx.insert(
        KIND,
        {
            **fields,
            "shop_uuid": shop["uuid"],
            "unique_id": args["unique_id"],
            "timestamp": timestamp,
            "url": url,
            "claimed_by": None,
            "credit_reception_uuid": None,
            "created_at": now_iso(),
        },
    )
    return url


def claim_token(tx: Tx, contact: Doc, shop: Doc, args: dict[str, Any]) -> Doc:
    """Check the hash, the lifetime and that the token is unclaimed, then create its credit reception once.

    Inferred codes (loyalty-tokens.md: "a hash mismatch or double claim has no documented code"): a bad hash is
    1003 naming ``hash``; an expired token 1003 naming ``timestamp`` (not 3000, which clients read as an expired
    API token); a second claim 1034 Staged credit reception is already redeemed (a loyalty token is "a Credit
    Reception not yet assigned", i.e. the v1/v2 staged credit reception).
    """
    expected = token_hash(_pairs(args), account_secret(tx))
    if not hmac.compare_digest(expected, str(args["hash"]).lower()):
        raise invalid({"hash": ["The hash does not match the token's values."]})
    if time.time() - int(args["timestamp"]) > LIFETIME_SECONDS:
        raise invalid({"timestamp": ["The loyalty token has expired."]})
    token = tx.find_one(KIND, shop_uuid=shop["uuid"], unique_id=args["unique_id"])
    if token is not None and token.get("claimed_by"):
        raise fail(1034, "Staged credit reception is already redeemed.")
    unit = require_unit(tx, args.get("unit_name"))
    if args.get("credits") is not None:
        reception = create_credit_reception(tx, contact, shop, unit, credits=int(args["credits"]))
    else:
        reception = create_credit_reception(tx, contact, shop, unit, unit_value=float(args["unit_value"]))
    claimed = {"claimed_by": contact["uuid"], "credit_reception_uuid": reception["uuid"], "claimed_at": now_iso()}
    if token is None:
        # A token built offline: first seen at its claim.
        tx.insert(
            KIND,
            {
                "version": args["version"],
                "shop_uuid": shop["uuid"],
                "unique_id": args["unique_id"],
                "timestamp": int(args["timestamp"]),
                "unit_name": args.get("unit_name"),
                "unit_value": None if args.get("unit_value") is None else format_token_value(args["unit_value"]),
                "credits": args.get("credits"),
                "url": None,
                "created_at": now_iso(),
                **claimed,
            },
        )
    else:
        tx.put(KIND, {**token, **claimed})
    return reception
