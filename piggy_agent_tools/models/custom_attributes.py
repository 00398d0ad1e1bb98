"""Generic custom attributes of any entity and their groups (custom-attributes.md).

The data type is called ``type`` here (``data_type`` on contact attributes and perks, README §10).
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class AttributeOption(PiggyModel):
    """One choice of a select / multi_select attribute; Piggy returns ``value`` as a string."""

    value: str | None = None
    label: str | None = None
    description: str | None = None
    media: Any = None


class AttributeGroupRef(PiggyModel):
    """The group an attribute is shown in, as embedded in the attribute."""

    id: int | None = None
    name: str | None = None
    position: int | None = None
    created_by_user: Any = None


class CustomAttribute(PiggyModel):
    """An account-defined (or, for contacts, system) field of an entity, addressed by its ``name``."""

    name: str
    id: int | None = None
    entity: str | None = None
    label: str | None = None
    type: str | None = None
    description: str | None = None
    group_name: str | None = None
    group: AttributeGroupRef | None = None
    options: list[AttributeOption] = []
    is_piggy_defined: bool = False
    is_soft_read_only: bool = False
    is_hard_read_only: bool = False
    has_unique_value: bool = False
    can_be_deleted: bool | None = None
    position: int | None = None
    created_at: str | None = None


class CustomAttributeGroup(PiggyModel):
    """A named group of custom attributes of one entity."""

    name: str
    entity: str | None = None
    label: str | None = None
    created_at: str | None = None
