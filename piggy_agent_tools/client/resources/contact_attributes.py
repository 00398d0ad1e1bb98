"""Contact attribute definitions (contacts.md §3)."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class ContactAttributesResource(SyncAPIResource):
    """Contact attribute definitions (contacts.md §3)."""
