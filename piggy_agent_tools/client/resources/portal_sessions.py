"""Hosted portal sessions."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class PortalSessionsResource(SyncAPIResource):
    """Hosted portal sessions."""
