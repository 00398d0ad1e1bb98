"""Base model and the normalised page shared by every Piggy response model.

Models keep unknown fields (``extra="allow"``) so that a new field from Piggy never breaks parsing.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class PiggyModel(BaseModel):
    """A Piggy object: known fields typed, unknown fields kept as they came."""

    # defer_build: each model's validator is built on its first use, not at import (about 60 response models
    # would otherwise be compiled by every ``import piggy_agent_tools``).
    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=(), defer_build=True)


class Page(BaseModel, Generic[T]):
    """One page of a list, normalised from whichever of Piggy's four meta formats the endpoint uses."""

    items: list[T]
    page: int = 1
    last_page: int = 1
    total: int | None = None
    per_page: int | None = None

    @property
    def has_more(self) -> bool:
        """True when a later page exists."""
        return self.page < self.last_page


def normalise_meta(meta: Any, count: int) -> dict[str, int | None]:
    """Read page, last_page, total and per_page from meta formats A, B, C, D, or an empty meta."""
    if not isinstance(meta, dict) or not meta:
        return {"page": 1, "last_page": 1, "total": count, "per_page": None}
    page = _int(meta.get("page", meta.get("current_page")), 1)
    per_page = _int(meta.get("limit", meta.get("per_page")), None)
    total = _int(meta.get("total"), None)
    last_page = _int(meta.get("last_page"), None)
    if last_page is None:
        last_page = max(1, -(-total // per_page)) if total is not None and per_page else page
    return {"page": page or 1, "last_page": max(last_page or 1, 1), "total": total, "per_page": per_page}


def _int(value: Any, default: int | None) -> int | None:
    """Piggy echoes some numbers as strings (``"limit": "10"``); accept both."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return default
