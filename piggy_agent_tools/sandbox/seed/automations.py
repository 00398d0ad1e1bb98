"""Demo seed: automations that can be listed, and (the ``contact_updated`` ones) run for a contact."""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.automations import KIND
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.store import Tx

BIRTHDAY_BONUS = ids.fixed("automation", "birthday-bonus")  # contact_updated, active: runnable
WELCOME_SERIES = ids.fixed("automation", "welcome-series")  # contact_created: not runnable through the API
WIN_BACK = ids.fixed("automation", "win-back")  # contact_updated, inactive
THANK_LOYAL = ids.fixed("automation", "thank-loyal")  # credit_reception_created

AUTOMATIONS = [
    (BIRTHDAY_BONUS, "Birthday bonus", "active", "contact_updated", "2024-11-02T09:15:00+00:00"),
    (WELCOME_SERIES, "Welcome series", "active", "contact_created", "2024-11-02T09:30:00+00:00"),
    (WIN_BACK, "Win-back email", "inactive", "contact_updated", "2024-12-01T14:00:00+00:00"),
    (THANK_LOYAL, "Thank loyal contacts", "active", "credit_reception_created", "2024-12-10T08:45:00+00:00"),
]


def seed(tx: Tx) -> None:
    """Four automations with fixed ids."""
    for uuid, name, status, event, stamp in AUTOMATIONS:
        tx.insert(
            KIND, {"name": name, "status": status, "event": event, "created_at": stamp, "updated_at": stamp}, uuid=uuid
        )
