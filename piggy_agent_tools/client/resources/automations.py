"""Automations: list and run for a contact (automations.md)."""

from __future__ import annotations

import builtins
from typing import Any

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.automations import Automation


class AutomationsResource(SyncAPIResource):
    """Automations: list and run for a contact."""

    def list(self) -> builtins.list[Automation]:
        """GET /automations: every automation with its status and trigger ``event`` (unpaginated)."""
        return self._list(RequestSpec("GET", "/automations"), Automation)

    def run(self, *, contact_uuid: str, automation_uuid: str, data: Any = None) -> None:
        """POST /automations/runs: start an automation for one contact.

        Only ``contact_updated`` automations can be run. NotFoundError 55031 (contact) or 60013 (automation).
        """
        body = {"contact_uuid": contact_uuid, "automation_uuid": automation_uuid, "data": data}
        self._raw(RequestSpec("POST", "/automations/runs", body=body))
