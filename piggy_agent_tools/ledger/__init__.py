"""The execution ledger: every non-read tool call is claimed before it is sent, and its outcome recorded after.

A replayed step answers from the record instead of sending again; a claim left without an outcome (crash, cancel)
is answered "outcome unknown", never re-sent, surfaced to staff, and reconciled where the Piggy API allows.
Open one next to the checkpointer: ``open_ledger("sqlite:///agent.db")``, ``open_ledger("postgresql://...")`` or
``open_ledger("memory:")``. See docs/RELIABILITY.md ("Exactly once, or surfaced").
"""

from piggy_agent_tools.ledger._guard import (
    AsyncReconciler,
    Guarded,
    Reconciler,
    Reconciliation,
    aguarded_invoke,
    aguarded_send,
    call_hash,
    final_args,
    guarded_invoke,
    guarded_send,
    unknown_text,
)
from piggy_agent_tools.ledger._store import (
    POINTS,
    Claim,
    Ledger,
    LedgerEntry,
    MemoryLedger,
    PostgresLedger,
    Recorder,
    SqliteLedger,
    State,
    args_hash,
    open_ledger,
    owner_is_gone,
)

__all__ = [
    "POINTS",
    "AsyncReconciler",
    "Claim",
    "Guarded",
    "Ledger",
    "LedgerEntry",
    "MemoryLedger",
    "PostgresLedger",
    "Reconciler",
    "Reconciliation",
    "Recorder",
    "SqliteLedger",
    "State",
    "aguarded_invoke",
    "aguarded_send",
    "args_hash",
    "call_hash",
    "final_args",
    "guarded_invoke",
    "guarded_send",
    "open_ledger",
    "owner_is_gone",
    "unknown_text",
]
