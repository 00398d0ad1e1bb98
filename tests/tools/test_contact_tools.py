"""Contact tools: what the model sees (content) and what really happened (sandbox state and audit)."""

from __future__ import annotations

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.tools.helpers import acall, call, content


def test_get_contact_by_email_shows_balance_and_tier(toolkit: PiggyToolkit) -> None:
    seen = content(call(toolkit, "get_contact", email="jane.doe@example.com"))
    assert seen["uuid"] == ids.JANE
    assert seen["name"] == "Jane Doe"
    assert isinstance(seen["credits"], int)
    assert seen["tier"]


async def test_get_contact_async_matches_sync(toolkit: PiggyToolkit) -> None:
    sync = content(call(toolkit, "get_contact", contact_uuid=ids.TOM))
    async_ = content(await acall(toolkit, "get_contact", contact_uuid=ids.TOM))
    assert sync == async_


def test_get_contact_unknown_is_an_actionable_error(toolkit: PiggyToolkit) -> None:
    message = call(toolkit, "get_contact", email="nobody-here@example.com")
    assert message.status == "error"
    assert "Contact not found." in str(message.content) and "55031" in str(message.content)


def test_get_contact_needs_exactly_one_key_and_sends_nothing(toolkit: PiggyToolkit, sandbox: Sandbox) -> None:
    message = call(toolkit, "get_contact", contact_uuid=ids.JANE, email="jane.doe@example.com")
    assert message.status == "error" and "exactly one" in str(message.content)


def test_create_contact_creates_once_and_conflicts_after(
    toolkit: PiggyToolkit, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    created = content(call(toolkit, "create_contact", email=new_email))
    assert client.contacts.get(created["uuid"]).email == new_email
    again = call(toolkit, "create_contact", email=new_email)
    assert again.status == "error" and "60005" in str(again.content)
    writes = [r for r in sandbox.audit("contacts.create") if r["args"].get("email") == new_email]
    assert len(writes) == 1


def test_delete_contact_gdpr_removes_the_contact(toolkit: PiggyToolkit, client: PiggyClient, new_email: str) -> None:
    uuid = client.contacts.create(new_email).uuid
    seen = content(call(toolkit, "delete_contact", contact_uuid=uuid, type="GDPR"))
    assert seen["deleted"] == uuid and seen["type"] == "GDPR" and seen["scheduled"] is True
    gone = call(toolkit, "get_contact", contact_uuid=uuid)
    assert gone.status == "error" and "55031" in str(gone.content)
