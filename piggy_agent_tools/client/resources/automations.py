"""Automations: list and run for a contact."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class AutomationsResource(SyncAPIResource):
    """Automations: list and run for a contact."""
