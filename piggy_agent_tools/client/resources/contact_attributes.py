"""Contact attribute definitions: list the names ``contacts.update`` accepts, create custom ones (contacts.md §3)."""

from __future__ import annotations

import builtins
from typing import Any

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.contact_attributes import ContactAttribute


class ContactAttributesResource(SyncAPIResource):
    """Contact attribute definitions (contacts.md §3)."""

    def list(self) -> builtins.list[ContactAttribute]:
        """GET /contact-attributes: every system and custom definition (read-only ones cannot be updated)."""
        return self._list(RequestSpec("GET", "/contact-attributes"), ContactAttribute)

    def create(
        self,
        *,
        name: str,
        label: str,
        data_type: str,
        description: str | None = None,
        options: builtins.list[dict[str, Any]] | None = None,
    ) -> ContactAttribute:
        """POST /contact-attributes: a custom attribute; ``options`` (``[{label, value}]``) for select types.

        ConflictError 60009 when the name exists.
        """
        body = {"name": name, "label": label, "data_type": data_type, "description": description, "options": options}
        return self._request(RequestSpec("POST", "/contact-attributes", body=body), ContactAttribute)
