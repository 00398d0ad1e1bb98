"""Automations (automations.md): dashboard flows the API can list and run for one contact; runs are stored."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, now_iso

KIND = "automation"
RUN_KIND = "automation_run"
# Only automations triggered by this event can be run through the API (automations.md, Trigger a run).
RUNNABLE_EVENT = "contact_updated"


def automation_view(doc: Doc) -> dict[str, Any]:
    """``{uuid, name, status, event, created_at, updated_at}`` as recorded."""
    return {k: doc.get(k) for k in ("uuid", "name", "status", "event", "created_at", "updated_at")}


def start_run(tx: Tx, contact: Doc, automation_uuid: str, data: Any) -> Doc:
    """Store a run of a ``contact_updated`` automation for the contact (60013 unknown automation).

    The status of the automation is not checked: the reference documents only the event rule.
    """
    automation = tx.get(KIND, automation_uuid)
    if automation is None:
        raise fail(60013)
    if automation.get("event") != RUNNABLE_EVENT:
        # Inferred (automations.md): the error for other events is undocumented; 1003 naming the field.
        raise invalid({"automation_uuid": [f"Only automations with the {RUNNABLE_EVENT} event can be run."]})
    return tx.insert(
        RUN_KIND,
        {
            "automation_uuid": automation["uuid"],
            "contact_uuid": contact["uuid"],
            "data": data,
            "created_at": now_iso(),
        },
    )
