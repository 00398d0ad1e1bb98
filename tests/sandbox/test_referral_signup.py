"""Signing up with a referral code starts a referral for the referrer (contacts.md §2.2, referrals.md)."""

from __future__ import annotations

import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.errors import InvalidRequestError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids


def test_creating_a_contact_with_a_referral_code_starts_a_pending_referral(
    fresh_sandbox: Sandbox, new_email: str
) -> None:
    client = PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url)  # Tom's referrals stay clean
    code = ids.TOM[:8].upper()  # the sandbox's code for Tom (no custom referral_code seeded)
    before = client.referrals.list(referring_contact_uuid=ids.TOM, limit=100)
    client.contacts.create(new_email, referral_code=code)
    after = client.referrals.list(referring_contact_uuid=ids.TOM, limit=100)
    assert len(after) == len(before) + 1


def test_an_unknown_referral_code_is_refused_and_creates_nothing(client: PiggyClient, new_email: str) -> None:
    with pytest.raises(InvalidRequestError):
        client.contacts.create(new_email, referral_code="NOPE0000")
    with pytest.raises(Exception):  # noqa: B017
        client.contacts.find_by_email(new_email)
