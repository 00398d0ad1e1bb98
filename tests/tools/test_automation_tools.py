"""Automation tools against the sandbox: the list as the model sees it, and runs really started (audit rows)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.policy import ApprovalPolicy
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import automations as seed
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.tools.helpers import acall, call, content

UNKNOWN = "0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11"


@pytest.fixture
def counted(sandbox: Sandbox) -> Iterator[tuple[PiggyToolkit, list[httpx.Request]]]:
    """A staff toolkit whose HTTP client records every request it sends (real HTTP to the sandbox, no mock)."""
    sent: list[httpx.Request] = []
    with httpx.Client(timeout=30, event_hooks={"request": [sent.append]}) as http:
        client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
        toolkit = PiggyToolkit(client=client)
        toolkit.get_tools()
        sent.clear()  # the first get_tools() may list the shops (the single-shop default)
        yield toolkit, sent


def _runs(sandbox: Sandbox, contact_uuid: str) -> list[str]:
    return [
        r["args"]["automation_uuid"]
        for r in sandbox.audit("automations.run")
        if r["args"]["contact_uuid"] == contact_uuid
    ]


def test_list_automations_says_which_can_be_run(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "list_automations"))
    by_uuid = {a["uuid"]: a for a in seen["automations"]}
    assert by_uuid[seed.BIRTHDAY_BONUS] == {
        "uuid": seed.BIRTHDAY_BONUS,
        "name": "Birthday bonus",
        "status": "active",
        "event": "contact_updated",
        "runnable": True,
    }
    assert by_uuid[seed.WELCOME_SERIES]["runnable"] is False and seen["total"] == len(seed.AUTOMATIONS)


def test_list_automations_with_bad_credentials_says_a_person_must_fix_them(sandbox: Sandbox) -> None:
    with PiggyClient(api_key="sandbox_wrong", base_url=sandbox.base_url, max_retries=0) as bad:
        message = call(PiggyToolkit(client=bad), "list_automations")
    assert message.status == "error" and "AuthenticationError" in str(message.content)
    assert "a person must fix the configuration" in str(message.content)


def test_trigger_automation_starts_a_run_for_the_contact(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    seen = content(call(toolkit, "trigger_automation", automation_uuid=seed.BIRTHDAY_BONUS, contact_uuid=contact))
    assert seen == {"triggered": True, "automation_uuid": seed.BIRTHDAY_BONUS, "contact_uuid": contact}
    assert _runs(sandbox, contact) == [seed.BIRTHDAY_BONUS]


def test_trigger_automation_refuses_a_non_runnable_or_unknown_automation(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    contact = client.contacts.create(new_email).uuid
    welcome = call(toolkit, "trigger_automation", automation_uuid=seed.WELCOME_SERIES, contact_uuid=contact)
    assert welcome.status == "error" and "1003" in str(welcome.content)
    assert "Only automations with the contact_updated event can be run" in str(welcome.content)
    unknown = call(toolkit, "trigger_automation", automation_uuid=UNKNOWN, contact_uuid=contact)
    assert unknown.status == "error" and "60013" in str(unknown.content) and "NotFoundError" in str(unknown.content)
    nobody = call(toolkit, "trigger_automation", automation_uuid=seed.BIRTHDAY_BONUS, contact_uuid=UNKNOWN)
    assert nobody.status == "error" and "55031" in str(nobody.content)
    assert _runs(sandbox, contact) == [] and _runs(sandbox, UNKNOWN) == []


def test_list_automations_has_no_arguments_so_a_filter_is_refused_not_ignored(toolkit: PiggyToolkit) -> None:
    assert "status" not in next(t for t in toolkit.get_tools() if t.name == "list_automations").args
    refused = call(toolkit, "list_automations", status="inactive")
    assert refused.status == "error" and "status is not an argument" in str(refused.content)
    assert "accepts: no arguments" in str(refused.content)


async def test_automation_tools_work_async(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    assert content(await acall(toolkit, "list_automations")) == content(call(toolkit, "list_automations"))
    contact = client.contacts.create(new_email).uuid
    seen = content(
        await acall(toolkit, "trigger_automation", automation_uuid=seed.BIRTHDAY_BONUS, contact_uuid=contact)
    )
    assert seen["triggered"] is True and _runs(sandbox, contact) == [seed.BIRTHDAY_BONUS]
    failed = await acall(toolkit, "trigger_automation", automation_uuid=UNKNOWN, contact_uuid=contact)
    assert failed.status == "error" and "60013" in str(failed.content)


INVALID = [
    ("trigger_automation", {}, "automation_uuid is required"),
    ("trigger_automation", {"automation_uuid": seed.BIRTHDAY_BONUS}, "contact_uuid is required"),
    ("trigger_automation", {"automation_uuid": "../runs", "contact_uuid": ids.JANE}, "automation_uuid must be a UUID"),
    ("trigger_automation", {"automation_uuid": seed.BIRTHDAY_BONUS, "contact_uuid": 5}, "contact_uuid"),
]


@pytest.mark.parametrize(("name", "args", "named"), INVALID)
def test_invalid_arguments_give_an_error_message_and_send_nothing(
    counted: tuple[PiggyToolkit, list[httpx.Request]], sandbox: Sandbox, name: str, args: dict[str, Any], named: str
) -> None:
    toolkit, sent = counted
    audit_before = len(sandbox.audit())
    message = call(toolkit, name, **args)
    assert message.status == "error"
    assert "invalid arguments" in str(message.content) and named in str(message.content)
    assert sent == [] and len(sandbox.audit()) == audit_before


def test_scoped_trigger_automation_only_runs_for_the_bound_contact(
    make_toolkit: Any, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    mine = client.contacts.create(new_email).uuid
    # By default a customer-scoped toolkit leaves automations out (value creation); the operator keeps them here.
    scoped = make_toolkit(contact_uuid=mine, groups=["automations"], policy=ApprovalPolicy(customer_value="decide"))
    assert {t.name for t in scoped.get_tools()} == {"list_automations", "trigger_automation"}
    assert "contact_uuid" not in {n for t in scoped.get_tools() for n in t.args}
    tom_runs = len(_runs(sandbox, ids.TOM))
    seen = content(call(scoped, "trigger_automation", automation_uuid=seed.BIRTHDAY_BONUS, contact_uuid=ids.TOM))
    assert seen["contact_uuid"] == mine
    assert _runs(sandbox, mine) == [seed.BIRTHDAY_BONUS] and len(_runs(sandbox, ids.TOM)) == tom_runs
