"""Compact results for the model: only what an agent needs, as short JSON; the full object goes in the artifact."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from piggy_agent_tools.models._base import Page

DEFAULT_LIMIT = 20


def compact(value: Any) -> str:
    """Short JSON: no spaces; nulls, empty strings and empty objects dropped (empty lists kept: "none found")."""
    return json.dumps(_prune(value), separators=(",", ":"), ensure_ascii=False, default=str)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None and v != "" and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def dump(value: Any) -> Any:
    """The artifact: the full parsed object(s) as plain data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    return value


def euros(cents: int | None) -> str | None:
    if cents is None:
        return None
    sign = "-" if cents < 0 else ""
    return f"{sign}€{abs(cents) / 100:.2f}"


_NUMBER = re.compile(r"-?\d[\d.,\s]*")


def money(cents: int | None, like: str | None) -> str | None:
    """Cents as money in the account's currency, read from an amount Piggy formatted (``like``: "€40.00",
    "$ 12.00", "12,00 USD"). Piggy gives the currency only in such display strings; without one the amount is
    shown in euros, Piggy's default currency."""
    if cents is None:
        return None
    found = _NUMBER.search(like or "")
    if not like or found is None:
        return euros(cents)
    before, after = like[: found.start()], like[found.end() :]
    sign = "-" if cents < 0 else ""
    return f"{sign}{before.lstrip('-')}{abs(cents) / 100:.2f}{after.rstrip() and ' ' + after.strip()}"


def page_summary(page: Page[Any], items: list[Any], what: str) -> dict[str, Any]:
    """A bounded list with how to get more: ``{"items": [...], "page": 1, "more": "call again with page=2"}``."""
    out: dict[str, Any] = {what: items, "page": page.page, "total": page.total}
    if page.has_more:
        out["more"] = f"more on page {page.page + 1} of {page.last_page}: call again with page={page.page + 1}"
    return out


def list_summary(items: list[Any], what: str, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Bound an unpaginated list to ``limit`` items and say how many were left out."""
    out: dict[str, Any] = {what: items[:limit], "total": len(items)}
    if len(items) > limit:
        out["more"] = f"{len(items) - limit} more not shown; narrow the request"
    return out
