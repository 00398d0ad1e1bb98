"""The ledger's protocol on every backend: one claimant, first outcome wins, replays answer from the record.

Tool calls go to the real sandbox over HTTP; its audit counts what Piggy actually executed.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import uuid
from typing import Any

import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.ledger import (
    Ledger,
    Recorder,
    State,
    aguarded_invoke,
    args_hash,
    guarded_invoke,
    open_ledger,
    owner_is_gone,
)
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit


class Crash(BaseException):
    """An injected crash: a BaseException, like a kill or a cancellation, so no handler turns it into a result."""


def _thread() -> str:
    return "t-" + uuid.uuid4().hex


def _award(toolkit: PiggyToolkit, contact: str, credits: int = 7, call_id: str | None = None) -> dict[str, Any]:
    return {
        "name": "award_credits",
        "args": {"contact_uuid": contact, "shop_uuid": ids.SHOP_WEB, "credits": credits},
        "id": call_id or "c1",
    }


def _awards(sandbox: Sandbox, contact: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.audit("credit_receptions.create") if r["args"].get("contact_uuid") == contact]


def _tool(toolkit: PiggyToolkit, name: str) -> Any:
    return next(t for t in toolkit.get_tools() if t.name == name)


def test_only_the_first_claim_wins_and_the_first_outcome_sticks(ledger: Ledger) -> None:
    thread = _thread()
    first = ledger.claim(thread, "c1", "award_credits", {"credits": 5})
    second = ledger.claim(thread, "c1", "award_credits", {"credits": 5})
    assert first.won and not second.won
    assert second.entry.state is State.CLAIMED and second.same_call(
        "award_credits", args_hash("award_credits", {"credits": 5})
    )
    done = ledger.resolve(first.entry, {"content": "ok", "status": "success", "artifact": None})
    late = ledger.resolve(second.entry, {"content": "other", "status": "error", "artifact": None}, state=State.UNKNOWN)
    assert done.state is State.DONE and late.outcome == {"content": "ok", "status": "success", "artifact": None}
    stored = ledger.get(thread, "c1")
    assert stored is not None and stored.state is State.DONE and stored.finished_at is not None
    assert ledger.claim(thread, "c2", "award_credits", {"credits": 5}).won, "another call id is another claim"
    assert ledger.claim(_thread(), "c1", "award_credits", {"credits": 5}).won, "another thread is another claim"


def test_concurrent_claims_from_separate_connections_have_exactly_one_winner(ledger_url: str, ledger: Ledger) -> None:
    thread = _thread()
    shared = ledger_url == "memory:"
    ledgers = [ledger if shared else open_ledger(ledger_url) for _ in range(8)]
    barrier = threading.Barrier(len(ledgers))
    wins: list[bool] = []

    def claim(one: Ledger) -> None:
        barrier.wait()
        wins.append(one.claim(thread, "c1", "claim_reward", {"reward_uuid": "r"}).won)

    workers = [threading.Thread(target=claim, args=(one,)) for one in ledgers]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if not shared:
        for one in ledgers:
            one.close()
    assert sorted(wins) == [False] * 7 + [True]


def test_a_replay_answers_from_the_ledger_and_piggy_sees_one_award(
    ledger: Ledger, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    toolkit = PiggyToolkit(client=client)
    contact = client.contacts.create(new_email).uuid
    thread, call = _thread(), _award(toolkit, contact)
    recorder = Recorder()
    ledger.hooks.append(recorder)
    first = guarded_invoke(_tool(toolkit, "award_credits"), call, ledger=ledger, thread_id=thread, read=False)
    again = guarded_invoke(_tool(toolkit, "award_credits"), call, ledger=ledger, thread_id=thread, read=False)
    assert first.message.status == "success" and first.alert is None
    assert (again.message.content, again.message.artifact) == (first.message.content, first.message.artifact)
    assert len(_awards(sandbox, contact)) == 1
    assert [p for p, _ in recorder.seen] == [
        "before_claim",
        "before_send",
        "after_send",
        "after_record",
        "before_claim",
    ]


def test_a_claim_left_by_a_crash_is_never_sent_again_and_raises_an_alert(
    ledger: Ledger, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    toolkit = PiggyToolkit(client=client)
    contact = client.contacts.create(new_email).uuid
    thread, call = _thread(), _award(toolkit, contact)

    def crash_after_send(point: str, entry: Any) -> None:
        if point == "after_send":
            raise Crash

    ledger.hooks.append(crash_after_send)
    with pytest.raises(Crash):
        guarded_invoke(_tool(toolkit, "award_credits"), call, ledger=ledger, thread_id=thread, read=False)
    ledger.hooks.clear()
    replay = guarded_invoke(_tool(toolkit, "award_credits"), call, ledger=ledger, thread_id=thread, read=False)
    assert len(_awards(sandbox, contact)) == 1, "the award reached Piggy once and was not sent again"
    assert replay.message.status == "error" and str(replay.message.content).startswith("Outcome unknown")
    assert replay.alert is not None and replay.alert["tool"] == "award_credits" and replay.alert["happened"] is None
    stored = ledger.get(thread, "c1")
    assert stored is not None and stored.state is State.UNKNOWN
    assert [e.call_id for e in ledger.unfinished(thread)] == ["c1"]
    third = guarded_invoke(_tool(toolkit, "award_credits"), call, ledger=ledger, thread_id=thread, read=False)
    assert third.message.content == replay.message.content and third.alert is not None, "still surfaced, still once"
    assert len(_awards(sandbox, contact)) == 1


def test_a_reconciler_tells_whether_the_unknown_call_happened(
    ledger: Ledger, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    from piggy_agent_tools.ledger import Reconciliation

    toolkit = PiggyToolkit(client=client)
    contact = client.contacts.create(new_email).uuid
    thread, call = _thread(), _award(toolkit, contact)

    def crash_before_send(point: str, entry: Any) -> None:
        if point == "before_send":
            raise Crash

    ledger.hooks.append(crash_before_send)
    with pytest.raises(Crash):
        guarded_invoke(_tool(toolkit, "award_credits"), call, ledger=ledger, thread_id=thread, read=False)
    ledger.hooks.clear()
    replay = guarded_invoke(
        _tool(toolkit, "award_credits"),
        call,
        ledger=ledger,
        thread_id=thread,
        read=False,
        reconcile=lambda e: Reconciliation(bool(_awards(sandbox, contact)), "credit receptions of the contact"),
    )
    assert not _awards(sandbox, contact)
    assert "it did not happen" in str(replay.message.content)
    assert replay.alert is not None and replay.alert["happened"] is False


def test_the_same_id_with_other_arguments_is_refused(
    ledger: Ledger, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    toolkit = PiggyToolkit(client=client)
    contact = client.contacts.create(new_email).uuid
    thread = _thread()
    guarded_invoke(
        _tool(toolkit, "award_credits"), _award(toolkit, contact, 3), ledger=ledger, thread_id=thread, read=False
    )
    other = guarded_invoke(
        _tool(toolkit, "award_credits"), _award(toolkit, contact, 300), ledger=ledger, thread_id=thread, read=False
    )
    assert other.message.status == "error" and "already used for another action" in str(other.message.content)
    assert [r["args"]["credits"] for r in _awards(sandbox, contact)] == [3]


def test_reads_bypass_the_ledger(ledger: Ledger, client: PiggyClient) -> None:
    toolkit = PiggyToolkit(client=client)
    thread = _thread()
    call = {"name": "get_contact", "args": {"email": "jane.doe@example.com"}, "id": "r1"}
    out = guarded_invoke(_tool(toolkit, "get_contact"), call, ledger=ledger, thread_id=thread, read=True)
    assert out.message.status == "success" and ledger.get(thread, "r1") is None


async def test_async_replay_and_crash_behave_like_sync(
    ledger: Ledger, aclient: Any, client: PiggyClient, sandbox: Sandbox, new_email: str
) -> None:
    toolkit = PiggyToolkit(client=client, async_client=aclient)
    contact = client.contacts.create(new_email).uuid
    thread = _thread()
    tool = _tool(toolkit, "award_credits")
    first = await aguarded_invoke(tool, _award(toolkit, contact), ledger=ledger, thread_id=thread, read=False)
    again = await aguarded_invoke(tool, _award(toolkit, contact), ledger=ledger, thread_id=thread, read=False)
    assert first.message.content == again.message.content and len(_awards(sandbox, contact)) == 1

    def crash(point: str, entry: Any) -> None:
        if point == "after_send":
            raise asyncio.CancelledError

    ledger.hooks.append(crash)
    with pytest.raises(asyncio.CancelledError):
        await aguarded_invoke(tool, _award(toolkit, contact, call_id="c2"), ledger=ledger, thread_id=thread, read=False)
    ledger.hooks.clear()
    replay = await aguarded_invoke(
        tool, _award(toolkit, contact, call_id="c2"), ledger=ledger, thread_id=thread, read=False
    )
    assert replay.alert is not None and len(_awards(sandbox, contact)) == 2


def _claim_and_die(url: str, thread: str) -> None:
    open_ledger(url).claim(thread, "c1", "delete_contact", {"contact_uuid": "x"})


def test_a_claim_of_a_dead_process_is_seen_as_abandoned(ledger_url: str, ledger: Ledger) -> None:
    if ledger_url == "memory:":
        pytest.skip("a memory ledger is not shared between processes")
    thread = _thread()
    # fork, not spawn: the child only claims and exits, and a fresh interpreter would cost seconds of imports.
    proc = multiprocessing.get_context("fork").Process(target=_claim_and_die, args=(ledger_url, thread))
    proc.start()
    proc.join(60)
    entry = ledger.get(thread, "c1")
    assert entry is not None and entry.state is State.CLAIMED and owner_is_gone(entry) is True
    assert ledger.wait_for_outcome(entry).state is State.CLAIMED


def test_a_live_claimant_is_waited_for(ledger: Ledger) -> None:
    thread = _thread()
    claim = ledger.claim(thread, "c1", "award_credits", {})
    from piggy_agent_tools.ledger._store import in_flight

    with in_flight(claim.entry.key):
        assert owner_is_gone(claim.entry) is False
        timer = threading.Timer(
            0.2, ledger.resolve, (claim.entry, {"content": "ok", "status": "success", "artifact": 1})
        )
        timer.start()
        waited = ledger.wait_for_outcome(claim.entry)
    assert waited.state is State.DONE and waited.outcome is not None and waited.outcome["artifact"] == 1
    assert owner_is_gone(claim.entry) is True, "out of flight and unresolved means abandoned"


def test_open_ledger_urls() -> None:
    assert open_ledger("memory:").url == "memory:"
    with pytest.raises(ValueError, match="unknown ledger"):
        open_ledger("redis://x")


def test_a_threads_rows_can_be_erased_with_it(ledger: Ledger) -> None:
    thread, other = _thread(), _thread()
    ledger.claim(thread, "c1", "update_contact", {"attributes": {"firstname": "Jane"}})
    ledger.claim(thread, "c2", "award_credits", {})
    ledger.claim(other, "c1", "award_credits", {})
    assert ledger.delete_thread(thread) == 2
    assert ledger.entries(thread) == [] and len(ledger.entries(other)) == 1
