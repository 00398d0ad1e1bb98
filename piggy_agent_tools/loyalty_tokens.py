"""Loyalty token URLs built offline, exactly per Piggy's recipe (loyalty-tokens.md, "Building a token URL offline").

No API call is needed: the URL is signed with the account secret (sha1 over the parameter string with the secret).
The sandbox checks claims with the same functions, so a URL built here can be claimed there.
"""

from __future__ import annotations

import hashlib
import time
from decimal import Decimal
from typing import Required, TypedDict

__all__ = [
    "TokenParts",
    "build_loyalty_token_url",
    "format_token_value",
    "parse_loyalty_token_url",
    "token_hash",
    "token_parameters",
]


def format_token_value(value: str | int | float | Decimal) -> str:
    """The text of a value inside the signed string: strings as given, ``10.0`` as ``10``, ``1.15`` as ``1.15``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("a loyalty token value cannot be a boolean")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def token_parameters(
    *,
    shop_uuid: str,
    unique_id: str,
    timestamp: int,
    unit_name: str | None = None,
    unit_value: str | int | float | Decimal | None = None,
    credits: int | None = None,
    version: str = "v3",
) -> list[tuple[str, str]]:
    """The signed parameters in Piggy's exact order (without ``secret`` and ``hash``).

    Unit based: ``version, shop_uuid, unique_id, timestamp, unit_name, unit_value`` (GUIDE). Credits based:
    ``credits`` takes the place of the two unit fields. Inferred (loyalty-tokens.md): the credits string was not
    captured, so its order is by analogy.
    """
    if (credits is None) == (unit_name is None or unit_value is None):
        raise ValueError("give either unit_name and unit_value, or credits")
    pairs = [("version", version), ("shop_uuid", shop_uuid), ("unique_id", unique_id), ("timestamp", str(timestamp))]
    if credits is not None:
        return [*pairs, ("credits", format_token_value(credits))]
    assert unit_name is not None and unit_value is not None
    return [*pairs, ("unit_name", unit_name), ("unit_value", format_token_value(unit_value))]


def _join(pairs: list[tuple[str, str]]) -> str:
    # The recipe concatenates raw values (no URL encoding) and the GUIDE's worked example hashes exactly that.
    return "&".join(f"{key}={value}" for key, value in pairs)


def token_hash(pairs: list[tuple[str, str]], secret: str) -> str:
    """Step 2: lowercase hex sha1 of the parameter string with ``&secret=<secret>`` appended."""
    return hashlib.sha1(_join([*pairs, ("secret", secret)]).encode("utf-8")).hexdigest()  # noqa: S324 - Piggy's recipe


def build_loyalty_token_url(
    portal_url: str,
    secret: str,
    *,
    shop_uuid: str,
    unique_id: str,
    unit_name: str | None = None,
    unit_value: str | int | float | Decimal | None = None,
    credits: int | None = None,
    timestamp: int | None = None,
    version: str = "v3",
) -> str:
    """The claimable URL ``<contacts portal URL>/l?<parameters>&hash=<sha1>`` (steps 1-4 of the recipe).

    ``portal_url`` is the account's Contacts Portal base URL (``https://acme.piggy.eu``); ``secret`` is the
    account secret from the Business Dashboard; ``timestamp`` defaults to now (unix seconds).
    """
    pairs = token_parameters(
        shop_uuid=shop_uuid,
        unique_id=unique_id,
        timestamp=int(time.time()) if timestamp is None else int(timestamp),
        unit_name=unit_name,
        unit_value=unit_value,
        credits=credits,
        version=version,
    )
    signed = _join([*pairs, ("hash", token_hash(pairs, secret))])
    return f"{portal_url.rstrip('/')}/l?{signed}"


class TokenParts(TypedDict, total=False):
    """The claim arguments carried by a token URL (``unit_name`` + ``unit_value`` or ``credits``)."""

    version: Required[str]
    shop_uuid: Required[str]
    unique_id: Required[str]
    timestamp: Required[int]
    hash: Required[str]
    unit_name: str
    unit_value: str
    credits: int


def parse_loyalty_token_url(url: str) -> TokenParts:
    """The claim arguments of a token URL, ready for ``client.loyalty_tokens.claim(contact_uuid=..., **parts)``.

    Values stay text (``unit_value`` exactly as signed) except ``timestamp`` and ``credits``.
    """
    _, _, query = url.partition("?")
    found = dict(part.partition("=")[::2] for part in query.split("&") if "=" in part)
    missing = [k for k in ("version", "shop_uuid", "unique_id", "timestamp", "hash") if k not in found]
    if missing:
        raise ValueError(f"not a loyalty token URL: missing {', '.join(missing)}")
    parts = TokenParts(
        version=found["version"],
        shop_uuid=found["shop_uuid"],
        unique_id=found["unique_id"],
        timestamp=int(found["timestamp"]),
        hash=found["hash"],
    )
    if "credits" in found:
        parts["credits"] = int(found["credits"])
    if "unit_name" in found:
        parts["unit_name"] = found["unit_name"]
    if "unit_value" in found:
        parts["unit_value"] = found["unit_value"]
    return parts
