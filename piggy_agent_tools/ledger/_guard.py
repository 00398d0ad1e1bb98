"""Run one tool call through the ledger: claim, send once, record, and answer replays from the record.

Read calls pass straight through. Every other call is claimed before it is sent; only the claimant sends. A claim
whose outcome was never written (the process died, or the run was cancelled, mid-call) is never sent again: the call
is answered "outcome unknown", reconciled when a reconciler can look for the effect, and an alert is returned for
the staff.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from piggy_agent_tools.ledger._store import Ledger, LedgerEntry, State, args_hash, in_flight

#: Looks for the effect of a call whose outcome is unknown: True it happened, False it did not, None cannot tell.
Reconciler = Callable[[LedgerEntry], "Reconciliation | None"]
AsyncReconciler = Callable[[LedgerEntry], Awaitable["Reconciliation | None"]]


@dataclass(frozen=True)
class Reconciliation:
    """What a reconciler found: whether the effect exists, and the evidence (e.g. the transaction's uuid)."""

    happened: bool | None
    evidence: str

    def as_dict(self) -> dict[str, Any]:
        return {"happened": self.happened, "evidence": self.evidence}


@dataclass(frozen=True)
class Guarded:
    """The answer for one call and, when its outcome was unknown, the alert for the staff."""

    message: ToolMessage
    alert: dict[str, Any] | None = None


def final_args(call: dict[str, Any], injected: dict[str, Any] | None = None) -> dict[str, Any]:
    """The arguments that are actually sent: the model's (or reviewer's) plus what the toolkit fills in."""
    return {**dict(call.get("args") or {}), **(injected or {})}


def call_hash(call: dict[str, Any], injected: dict[str, Any] | None = None) -> str:
    """The identity of a call as reviewed and as sent: tool name and final arguments."""
    return args_hash(str(call.get("name")), final_args(call, injected))


def _outcome(message: ToolMessage) -> dict[str, Any]:
    return {"content": message.content, "status": message.status, "artifact": message.artifact}


def _answer(entry: LedgerEntry, call: dict[str, Any]) -> ToolMessage:
    outcome = entry.outcome or {}
    return ToolMessage(
        content=outcome.get("content", ""),
        artifact=outcome.get("artifact"),
        status=outcome.get("status", "error"),
        tool_call_id=call["id"],
        name=call["name"],
    )


def _refusal(call: dict[str, Any], text: str) -> ToolMessage:
    return ToolMessage(content=text, tool_call_id=call["id"], name=call["name"], status="error")


#: Errors after which a write may or may not have reached Piggy: the client's own verdict (a 503 or timeout after a
#: value-moving send), and a dropped connection or timeout on any other write (the line can drop after Piggy acted).
_UNSURE = ("OutcomeUnknownError", "PiggyConnectionError", "PiggyTimeoutError")


def _reported_unknown(message: ToolMessage) -> bool:
    """The tool failed in a way that leaves open whether Piggy executed the call (reconciliation then looks)."""
    head = str(message.content)[:300]
    return message.status == "error" and any(f": {kind}:" in head for kind in _UNSURE)


def unknown_text(entry: LedgerEntry, found: Reconciliation | None) -> str:
    """The ``ToolMessage`` for a call whose outcome is unknown: what happened, that it is not repeated, how to check."""
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(entry.claimed_at))
    head = (
        f"Outcome unknown: {entry.tool} was sent to Piggy (claimed at {when}) but its result was never recorded: "
        "the process stopped, the run was cancelled, or the connection failed mid-call. It will not be sent again."
    )
    if found is not None and found.happened is True:
        return f"{head} Checked since: it happened ({found.evidence}). Tell the customer it is done; do not repeat it."
    if found is not None and found.happened is False:
        return (
            f"{head} Checked since: it did not happen ({found.evidence}). Tell the customer it was not done; a new "
            "request needs a new call (and a new approval)."
        )
    return (
        f"{head} Staff have been alerted. Do not repeat it: tell the customer it is being checked. To check, look "
        f"for its effect in Piggy ({_how_to_check(entry)})."
    )


def _how_to_check(entry: LedgerEntry) -> str:
    contact = entry.args.get("contact_uuid")
    who = f" of contact {contact}" if contact else ""
    return f"the latest transactions, receptions or redemptions{who} since the claim time, for {entry.tool}"


def _alert(entry: LedgerEntry) -> dict[str, Any]:
    found = entry.reconciliation or {}
    return {
        "thread_id": entry.thread_id,
        "tool_call_id": entry.call_id,
        "tool": entry.tool,
        "args": entry.args,
        "claimed_at": entry.claimed_at,
        "outcome": "unknown",
        "happened": found.get("happened"),
        "evidence": found.get("evidence"),
        "text": str((entry.outcome or {}).get("content", "")),
    }


def _settle_unknown(ledger: Ledger, entry: LedgerEntry, found: Reconciliation | None, call: dict[str, Any]) -> Guarded:
    text = unknown_text(entry, found)
    status = "success" if found is not None and found.happened is True else "error"
    stored = ledger.resolve(
        entry,
        {"content": text, "status": status, "artifact": None},
        state=State.UNKNOWN,
        reconciliation=found.as_dict() if found else None,
    )
    return Guarded(_answer(stored, call), _alert(stored) if stored.state is State.UNKNOWN else None)


def guarded_invoke(
    tool: BaseTool,
    call: dict[str, Any],
    *,
    ledger: Ledger,
    thread_id: str,
    read: bool,
    injected: dict[str, Any] | None = None,
    reconcile: Reconciler | None = None,
) -> Guarded:
    """Run ``call`` (``{"name", "args", "id"}``) at most once per ``(thread_id, call id)``; see the module doc."""
    return guarded_send(
        lambda: tool.invoke({**call, "type": "tool_call"}),
        call,
        ledger=ledger,
        thread_id=thread_id,
        read=read,
        injected=injected,
        reconcile=reconcile,
    )


def guarded_send(
    send: Callable[[], Any],
    call: dict[str, Any],
    *,
    ledger: Ledger,
    thread_id: str,
    read: bool,
    injected: dict[str, Any] | None = None,
    reconcile: Reconciler | None = None,
) -> Guarded:
    """``guarded_invoke`` around any ``send()`` that answers a ``ToolMessage`` (e.g. a create_agent middleware's
    handler)."""
    if read:
        return Guarded(_as_message(send(), call))
    args = final_args(call, injected)
    ledger.hook("before_claim", _probe(thread_id, call, args))
    with in_flight((thread_id, call["id"])):  # marked before the insert: a fresh claim never looks abandoned
        claim = ledger.claim(thread_id, call["id"], call["name"], args)
        if claim.won:
            entry = claim.entry
            ledger.hook("before_send", entry)
            message = _as_message(send(), call)
            ledger.hook("after_send", entry)
            if _reported_unknown(message):
                found = reconcile(entry) if reconcile else None
                return _settle_unknown(ledger, entry, found, call)
            ledger.resolve(entry, _outcome(message))
            ledger.hook("after_record", entry)
            return Guarded(message)
    return _replay(ledger, claim.entry, call, args, reconcile)


async def aguarded_invoke(
    tool: BaseTool,
    call: dict[str, Any],
    *,
    ledger: Ledger,
    thread_id: str,
    read: bool,
    injected: dict[str, Any] | None = None,
    reconcile: AsyncReconciler | None = None,
) -> Guarded:
    """``guarded_invoke`` for async graphs: the tool's real coroutine; ledger I/O off the event loop."""
    return await aguarded_send(
        lambda: tool.ainvoke({**call, "type": "tool_call"}),
        call,
        ledger=ledger,
        thread_id=thread_id,
        read=read,
        injected=injected,
        reconcile=reconcile,
    )


async def aguarded_send(
    send: Callable[[], Awaitable[Any]],
    call: dict[str, Any],
    *,
    ledger: Ledger,
    thread_id: str,
    read: bool,
    injected: dict[str, Any] | None = None,
    reconcile: AsyncReconciler | None = None,
) -> Guarded:
    """The async ``guarded_send``."""
    if read:
        return Guarded(_as_message(await send(), call))
    args = final_args(call, injected)
    ledger.hook("before_claim", _probe(thread_id, call, args))
    with in_flight((thread_id, call["id"])):  # marked before the insert: a fresh claim never looks abandoned
        claim = await asyncio.to_thread(ledger.claim, thread_id, call["id"], call["name"], args)
        if claim.won:
            entry = claim.entry
            ledger.hook("before_send", entry)
            message = _as_message(await send(), call)
            ledger.hook("after_send", entry)
            if _reported_unknown(message):
                found = await reconcile(entry) if reconcile else None
                return await asyncio.to_thread(_settle_unknown, ledger, entry, found, call)
            await asyncio.to_thread(ledger.resolve, entry, _outcome(message))
            ledger.hook("after_record", entry)
            return Guarded(message)
    current = await ledger.await_outcome(claim.entry)
    return await asyncio.to_thread(_replay, ledger, current, call, args, None, await _afound(current, reconcile))


def _as_message(result: Any, call: dict[str, Any]) -> ToolMessage:
    if isinstance(result, ToolMessage):
        return result
    return ToolMessage(content=str(result), tool_call_id=call["id"], name=call["name"])


async def _afound(entry: LedgerEntry, reconcile: AsyncReconciler | None) -> Reconciliation | None:
    """Reconcile only a claim that is still open and whose claimant is gone (the async path reconciles up front)."""
    if entry.state is not State.CLAIMED or reconcile is None:
        return None
    return await reconcile(entry)


_NOT_GIVEN = object()


def _replay(
    ledger: Ledger,
    entry: LedgerEntry,
    call: dict[str, Any],
    args: dict[str, Any],
    reconcile: Reconciler | None,
    found: Any = _NOT_GIVEN,
) -> Guarded:
    """Someone already claimed this call: answer from its record, wait for a live claimant, or settle as unknown."""
    if entry.tool != call["name"] or entry.args_hash != args_hash(call["name"], args):
        return Guarded(
            _refusal(
                call,
                f"Not run: the id {call['id']!r} was already used for another action ({entry.tool}) in this "
                "conversation; a call id names exactly one action.",
            )
        )
    if found is _NOT_GIVEN:
        entry = ledger.wait_for_outcome(entry)
    if entry.state is State.DONE:
        return Guarded(_answer(entry, call))
    if entry.state is State.UNKNOWN:
        return Guarded(_answer(entry, call), _alert(entry))
    if found is _NOT_GIVEN:
        found = reconcile(entry) if reconcile else None
    return _settle_unknown(ledger, entry, found if isinstance(found, Reconciliation) else None, call)


def _probe(thread_id: str, call: dict[str, Any], args: dict[str, Any]) -> LedgerEntry:
    """The entry a claim would create, for the ``before_claim`` hook (nothing is stored yet)."""
    return LedgerEntry(
        thread_id=thread_id,
        call_id=call["id"],
        tool=call["name"],
        args_hash=args_hash(call["name"], args),
        args=args,
        state=State.CLAIMED,
        owner="",
        claimed_at=time.time(),
    )
