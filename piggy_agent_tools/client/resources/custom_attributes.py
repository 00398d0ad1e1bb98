"""Generic custom attributes of any entity and their groups (custom-attributes.md)."""

from __future__ import annotations

import builtins
from typing import Any

from piggy_agent_tools.client._core import RequestSpec, text_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.custom_attributes import CustomAttribute, CustomAttributeGroup


class CustomAttributesResource(SyncAPIResource):
    """Custom attributes of an entity (``contact``, ``voucher``, ``giftcard``...): list, create, update by name."""

    def list(self, entity: str) -> builtins.list[CustomAttribute]:
        """GET /custom-attributes?entity=: every attribute of the entity (for contacts, system ones too)."""
        return self._list(RequestSpec("GET", "/custom-attributes", params={"entity": entity}), CustomAttribute)

    def create(
        self,
        *,
        entity: str,
        name: str,
        label: str,
        type: str,
        options: builtins.list[dict[str, Any]] | None = None,
        description: str | None = None,
        group_name: str | None = None,
    ) -> CustomAttribute:
        """POST /custom-attributes: ``type`` is a data type (``text``, ``select``...); selects need ``options``
        ``[{"label", "value"}]``. ConflictError 60009 when the name exists for the entity."""
        body = {
            "entity": entity,
            "name": name,
            "label": label,
            "type": type,
            "options": options,
            "description": description,
            "group_name": group_name,
        }
        return self._request(RequestSpec("POST", "/custom-attributes", body=body), CustomAttribute)

    def update(
        self,
        name: str,
        *,
        entity: str,
        label: str | None = None,
        options: builtins.list[dict[str, Any]] | None = None,
        description: str | None = None,
        group_name: str | None = None,
    ) -> CustomAttribute:
        """PUT /custom-attributes/{name}: change label, description, options (selects) or group; name and type
        never change and system attributes cannot be updated."""
        body = {
            "entity": entity,
            "label": label,
            "options": options,
            "description": description,
            "group_name": group_name,
        }
        path = f"/custom-attributes/{text_segment('custom_attribute_name', name)}"
        return self._request(RequestSpec("PUT", path, body=body), CustomAttribute)


class CustomAttributeGroupsResource(SyncAPIResource):
    """Groups that custom attributes of one entity are shown in: list and create."""

    def list(self, entity: str) -> builtins.list[CustomAttributeGroup]:
        """GET /custom-attribute-groups?entity=: the entity's groups."""
        spec = RequestSpec("GET", "/custom-attribute-groups", params={"entity": entity})
        return self._list(spec, CustomAttributeGroup)

    def create(self, *, entity: str, name: str, label: str | None = None) -> CustomAttributeGroup:
        """POST /custom-attribute-groups: ``name`` is the unique internal id used as ``group_name`` later."""
        body = {"entity": entity, "name": name, "label": label}
        return self._request(RequestSpec("POST", "/custom-attribute-groups", body=body), CustomAttributeGroup)
