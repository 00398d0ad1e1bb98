"""Contact attribute definitions: the names ``contacts.update`` accepts (contacts.md §3)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class AttributeOption(PiggyModel):
    value: str | None = None
    label: str | None = None
    description: str | None = None
    media: Any = None


class ContactAttribute(PiggyModel):
    """One definition. Read-only ones (``is_soft_read_only`` / ``is_hard_read_only``) cannot be updated."""

    id: int | None = None
    name: str
    label: str | None = None
    type: str | None = None
    description: str | None = None
    is_piggy_defined: bool = False
    is_soft_read_only: bool = False
    is_hard_read_only: bool = False
    has_unique_value: bool = False
    options: list[AttributeOption] = []
    position: int | None = None
    created_at: str | None = None
