"""Automations through the real client (sync and async): list, and run one for a contact (stored as a run)."""

from __future__ import annotations

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import automations as seeded
from piggy_agent_tools.sandbox.seed import ids


def test_list_shows_status_and_trigger_event(client: PiggyClient) -> None:
    found = {a.uuid: a for a in client.automations.list()}
    birthday = found[seeded.BIRTHDAY_BONUS]
    assert birthday.name == "Birthday bonus" and birthday.status == "active" and birthday.event == "contact_updated"
    assert found[seeded.WELCOME_SERIES].event == "contact_created"
    assert found[seeded.WIN_BACK].status == "inactive"


def test_running_an_automation_records_the_run(client: PiggyClient, sandbox: Sandbox) -> None:
    assert client.automations.run(contact_uuid=ids.JANE, automation_uuid=seeded.BIRTHDAY_BONUS) is None
    with sandbox.store.tx() as tx:
        runs = tx.find("automation_run", automation_uuid=seeded.BIRTHDAY_BONUS, contact_uuid=ids.JANE)
    assert runs, "the run was not stored"
    assert sandbox.audit("automations.run")[-1]["args"]["automation_uuid"] == seeded.BIRTHDAY_BONUS


def test_run_answers_an_empty_list_with_object_meta_as_recorded(sandbox: Sandbox) -> None:
    body = {"contact_uuid": ids.TOM, "automation_uuid": seeded.BIRTHDAY_BONUS, "data": {"reason": "test"}}
    answer = sandbox.http().post("/api/v3/oauth/clients/automations/runs", json=body)
    assert answer.status_code == 200 and answer.json() == {"data": [], "meta": {}}


def test_run_for_an_unknown_contact_fails_with_55031(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.automations.run(contact_uuid=ids.fixed("contact", "nobody"), automation_uuid=seeded.BIRTHDAY_BONUS)
    assert caught.value.code == 55031


def test_run_of_an_unknown_automation_fails_with_60013(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.automations.run(contact_uuid=ids.JANE, automation_uuid=ids.fixed("automation", "nothing"))
    assert caught.value.code == 60013


def test_only_contact_updated_automations_can_be_run(client: PiggyClient, sandbox: Sandbox) -> None:
    before = len(sandbox.audit("automations.run"))
    with pytest.raises(InvalidRequestError) as caught:
        client.automations.run(contact_uuid=ids.JANE, automation_uuid=seeded.WELCOME_SERIES)
    assert caught.value.code == 1003 and "automation_uuid" in caught.value.errors
    assert len(sandbox.audit("automations.run")) == before


async def test_async_client_lists_and_runs(aclient: AsyncPiggyClient, sandbox: Sandbox) -> None:
    listed = await aclient.automations.list()
    assert seeded.BIRTHDAY_BONUS in {a.uuid for a in listed}
    await aclient.automations.run(contact_uuid=ids.TOM, automation_uuid=seeded.BIRTHDAY_BONUS, data=["x"])
    with sandbox.store.tx() as tx:
        runs = tx.find("automation_run", automation_uuid=seeded.BIRTHDAY_BONUS, contact_uuid=ids.TOM)
    assert any(run["data"] == ["x"] for run in runs)
