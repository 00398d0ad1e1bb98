"""Automation tools: list the account's automations and run a runnable one for a customer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import ContactUuid, Uuid
from piggy_agent_tools.tools._present import list_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.automations import Automation

# Only automations triggered by this event can be run through the API (automations.md, Trigger a run).
RUNNABLE_EVENT = "contact_updated"


def automation_summary(automation: Automation) -> dict[str, Any]:
    return {
        "uuid": automation.uuid,
        "name": automation.name,
        "status": automation.status,
        "event": automation.event,
        "runnable": automation.event == RUNNABLE_EVENT,
    }


class NoArgs(ArgsModel):
    """No arguments (LangChain does not validate the input of a tool without arguments)."""


class TriggerAutomationArgs(ArgsModel):
    automation_uuid: Uuid = Field(description="A runnable automation from list_automations.")
    contact_uuid: ContactUuid


SPECS = [
    ToolSpec(
        name="list_automations",
        group="automations",
        title="List automations",
        description=(
            "List the account's automations (dashboard flows such as a birthday bonus) with uuid, name, status "
            "and trigger event. Only runnable ones (event contact_updated) can be started with trigger_automation."
        ),
        args=NoArgs,
        call=lambda c, a: c.automations.list(),
        present=lambda r, a: list_summary([automation_summary(x) for x in r], "automations"),
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
    ToolSpec(
        name="trigger_automation",
        group="automations",
        title="Run automation for customer",
        description=(
            "Start an automation for one customer now, for example to resend a welcome or birthday flow. Only "
            "automations with event contact_updated can be run (see list_automations). Returns confirmation."
        ),
        args=TriggerAutomationArgs,
        call=lambda c, a: c.automations.run(contact_uuid=a.contact_uuid, automation_uuid=a.automation_uuid),
        present=lambda r, a: {"triggered": True, "automation_uuid": a.automation_uuid, "contact_uuid": a.contact_uuid},
        risk=Risk.WRITE,
    ),
]
