"""Generic custom attributes for every entity.; Custom attribute groups."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class CustomAttributesResource(SyncAPIResource):
    """Generic custom attributes for every entity."""


class CustomAttributeGroupsResource(SyncAPIResource):
    """Custom attribute groups."""
