"""The sandbox at size: bulk import, paging that stays correct through writes and rollbacks, the rate-limit option.

The 100,000-contact rates are in ``benchmarks/sandbox_rates.py``; these tests check behaviour on a few thousand.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from piggy_agent_tools import PiggyClient, RateLimitError
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.domain.contacts import new_contact


@pytest.fixture
def big(fresh_sandbox: Sandbox) -> PiggyClient:
    """A private sandbox with 3,000 contacts imported through /contacts/batch (1,000 a call)."""
    client = PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url)
    for first in range(0, 3000, 1000):
        client.contacts.batch([{"email": f"scale{n}@example.com"} for n in range(first, first + 1000)])
    return client


def _emails(client: PiggyClient, page: int, **kwargs: object) -> list[str]:
    return [c.email for c in client.contacts.list(page=page, limit=20, **kwargs).items]  # type: ignore[arg-type]


def test_a_bulk_import_creates_every_contact_once_and_a_repeat_updates(big: PiggyClient) -> None:
    listed = big.contacts.list(page=1, limit=1)
    assert listed.total is not None and listed.total >= 3000
    again = big.contacts.batch([{"email": "scale5@example.com"}, {"email": "scale-new@example.com"}])
    assert [r.created for r in again] == [False, True]
    assert big.contacts.find_by_email("SCALE2999@example.com").email == "scale2999@example.com"


def test_pages_stay_in_order_through_inserts_deletes_and_a_rolled_back_write(
    big: PiggyClient, fresh_sandbox: Sandbox
) -> None:
    total = big.contacts.list(page=1, limit=20).total
    assert total is not None
    last_page = -(-total // 20)
    middle = _emails(big, 80)
    assert len(middle) == 20 and middle == sorted(middle, key=lambda e: int(e.removeprefix("scale").split("@")[0]))
    big.contacts.delete(big.contacts.find_by_email(middle[0]).uuid)
    assert _emails(big, 80)[0] == middle[1]
    with pytest.raises(RuntimeError), fresh_sandbox.store.tx() as tx:  # a write that fails rolls back
        new_contact(tx, "ghost@example.com")
        raise RuntimeError("abort")
    assert "ghost@example.com" not in _emails(big, last_page)
    big.contacts.create("latest@example.com")
    assert big.contacts.list(page=1, limit=20).total == total  # one deleted, one created
    assert _emails(big, last_page)[-1] == "latest@example.com"
    assert _emails(big, 1, sort="-created_at")[0] == "latest@example.com"


def test_the_rate_limit_is_an_option_of_sandbox_start() -> None:
    with (
        Sandbox.start(seed="empty", rate_limit=3) as sb,
        PiggyClient(api_key=sb.api_key, base_url=sb.base_url, max_retries=0) as client,
    ):
        for _ in range(3):
            client.shops.list()
        with pytest.raises(RateLimitError):
            client.shops.list()


def test_the_rate_limit_is_an_option_of_piggy_sandbox_serve() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "piggy_agent_tools.sandbox.cli", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--rate-limit N" in shown.stdout and "5000" in shown.stdout


def test_importing_ten_thousand_contacts_takes_seconds_not_minutes(fresh_sandbox: Sandbox) -> None:
    client = PiggyClient(api_key=fresh_sandbox.api_key, base_url=fresh_sandbox.base_url)
    start = time.perf_counter()
    for first in range(0, 10_000, 1000):
        client.contacts.batch([{"email": f"bulk{n}@example.com"} for n in range(first, first + 1000)])
    took = time.perf_counter() - start
    # 100,000 in under 60 s is the goal (benchmarks/sandbox_rates.py: 22.5 s); 10,000 take about 2 s here. Before
    # the indexes each batch scanned every contact and 10,000 took about a minute; 20 s leaves room for a busy machine.
    assert took < 20, took
