"""Automations (automations.md): dashboard flows; only ``contact_updated`` ones can be run through the API."""

from __future__ import annotations

from piggy_agent_tools.models._base import PiggyModel


class Automation(PiggyModel):
    """An automation: ``status`` is ``active`` / ``inactive``; ``event`` is its trigger."""

    uuid: str
    name: str = ""
    status: str | None = None
    event: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
