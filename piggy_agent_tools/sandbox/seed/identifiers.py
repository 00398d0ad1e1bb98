"""Demo seed: contact identifiers (cards, QR codes), linked and unlinked, one inactive."""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.identifiers import KIND
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.store import Tx

SEED_TIME = "2025-01-15T10:00:00+00:00"

JANE_CARD = "CARD-000123"  # Jane's loyalty card (her default identifier)
JANE_QR = "QR-7F3K9P2M"  # Jane's app QR code
TOM_CARD = "CARD-000124"  # Tom's loyalty card
SOFIA_CARD = "CARD-000125"  # Sofia's loyalty card
UNLINKED_CARD = "CARD-000200"  # a card handed out at the till, not yet linked
UNLINKED_CARD_2 = "CARD-000201"  # another unlinked card
INACTIVE_CARD = "CARD-000999"  # a blocked (lost) card: inactive, unlinked

# (value, name, contact uuid or None, active, default)
IDENTIFIERS = [
    (JANE_CARD, "Loyalty card", ids.JANE, True, True),
    (JANE_QR, "App QR code", ids.JANE, True, False),
    (TOM_CARD, "Loyalty card", ids.TOM, True, True),
    (SOFIA_CARD, "Loyalty card", ids.fixed("contact", "sofia"), True, True),
    (UNLINKED_CARD, "Loyalty card", None, True, False),
    (UNLINKED_CARD_2, "Loyalty card", None, True, False),
    (INACTIVE_CARD, "Lost card", None, False, False),
]


def seed(tx: Tx) -> None:
    """Seven identifiers with fixed ids: linked to Jane, Tom and Sofia, two unlinked, one inactive."""
    for value, name, contact_uuid, active, default in IDENTIFIERS:
        tx.insert(
            KIND,
            {
                "value": value,
                "name": name,
                "active": active,
                "contact_uuid": contact_uuid,
                "default": default,
                "created_at": SEED_TIME,
                "updated_at": SEED_TIME,
            },
            uuid=ids.fixed("contact_identifier", value),
        )
