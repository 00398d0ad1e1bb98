"""Demo seed: one INACTIVE example webhook subscription (an active one to a made-up URL would only retry)."""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.webhooks import KIND
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.store import Tx

EXAMPLE_SUBSCRIPTION = ids.fixed("webhook_subscription", "crm_sync")


def seed(tx: Tx) -> None:
    """A paused ``contact_updated`` subscription: shows the shape; activate it with a reachable URL to use it."""
    tx.insert(
        KIND,
        {
            "name": "CRM sync (example)",
            "event_type": "contact_updated",
            "url": "https://hooks.example.com/piggy",
            "secret": None,
            "attributes": ["email", "firstname", "lastname"],
            "status": "INACTIVE",
            "version": "V1",
            "created_at": "2025-01-15T10:00:00+00:00",
        },
        uuid=EXAMPLE_SUBSCRIPTION,
    )
