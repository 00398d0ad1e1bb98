"""Bookings and visits (bookings-visits.md): hospitality events tied to one contact and shop."""

from __future__ import annotations

from piggy_agent_tools.models._base import PiggyModel


class BookingContact(PiggyModel):
    uuid: str
    email: str | None = None


class Booking(PiggyModel):
    """A reservation. ``prepaid_amount`` is in cents; ``status`` is free text (e.g. ``Open``)."""

    uuid: str
    contact: BookingContact | None = None
    external_id: str | None = None
    source: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    checked_in_at: str | None = None
    number_of_people: int | None = None
    company_name: str | None = None
    status: str | None = None
    prepaid_amount: int | None = None
    created_at: str | None = None


class Visit(PiggyModel):
    """A contact's visit to a shop (each visit earns the program's visit credits)."""

    uuid: str
    contact: BookingContact | None = None
    external_id: str | None = None
    source: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    created_at: str | None = None
