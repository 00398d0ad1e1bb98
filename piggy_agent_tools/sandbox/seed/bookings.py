"""Demo seed: a few bookings and visits of seeded contacts; each visit earns visit credits like the API's."""

from __future__ import annotations

from piggy_agent_tools.sandbox.domain.bookings import new_booking, new_visit
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.sandbox.store import Tx

VISIT_TIME = "2025-02-10T08:30:00+00:00"
BOOKING_TABLE = ids.fixed("booking", "finn-table")
BOOKING_TEAM = ids.fixed("booking", "sofia-team")

# (visit key, contact key, shop uuid, external id, starts_at, ends_at)
VISITS = [
    ("sofia-1", "sofia", ids.SHOP_AMSTERDAM, "V-SEED-001", "2025-02-10T08:30:00+00:00", "2025-02-10T09:10:00+00:00"),
    ("sofia-2", "sofia", ids.SHOP_AMSTERDAM, "V-SEED-002", "2025-02-12T08:25:00+00:00", "2025-02-12T08:55:00+00:00"),
    ("finn-1", "finn", ids.SHOP_AMSTERDAM, "V-SEED-003", "2025-02-11T15:00:00+00:00", "2025-02-11T16:00:00+00:00"),
    ("eva-1", "eva", ids.SHOP_AMSTERDAM, "V-SEED-004", "2025-02-13T12:00:00+00:00", "2025-02-13T12:45:00+00:00"),
]


def visit_uuid(key: str) -> str:
    return ids.fixed("visit", key)


def seed(tx: Tx) -> None:
    """Two bookings and four visits at the Amsterdam shop."""
    new_booking(
        tx,
        ids.fixed("contact", "finn"),
        ids.SHOP_AMSTERDAM,
        uuid=BOOKING_TABLE,
        fields={
            "external_id": "B-SEED-001",
            "source": "Website",
            "starts_at": "2025-03-01T10:00:00+00:00",
            "ends_at": "2025-03-01T11:30:00+00:00",
            "number_of_people": 4,
            "status": "Open",
        },
    )
    new_booking(
        tx,
        ids.fixed("contact", "sofia"),
        ids.SHOP_AMSTERDAM,
        uuid=BOOKING_TEAM,
        fields={
            "external_id": "B-SEED-002",
            "source": "Widget",
            "starts_at": "2025-03-05T08:00:00+00:00",
            "ends_at": "2025-03-05T10:00:00+00:00",
            "number_of_people": 12,
            "company_name": "Acme Industries",
            "status": "Open",
            "prepaid_amount": 2410,
        },
    )
    for key, contact_key, shop_uuid, external_id, starts_at, ends_at in VISITS:
        contact = tx.get("contact", ids.fixed("contact", contact_key))
        shop = tx.get("shop", shop_uuid)
        assert contact and shop
        fields = {"external_id": external_id, "source": "Kiosk", "starts_at": starts_at, "ends_at": ends_at}
        new_visit(tx, contact, shop, fields, created_at=starts_at, uuid=visit_uuid(key))
