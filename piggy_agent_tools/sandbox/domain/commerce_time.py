"""Timestamps sent to orders, bookings and visits: accept what real clients send, store Piggy's ISO 8601 form."""

from __future__ import annotations

from datetime import UTC, datetime

from piggy_agent_tools.sandbox.errors import invalid


def normalise_time(field: str, value: str | None) -> str | None:
    """ISO 8601 with offset and second precision; naive times are taken as UTC.

    Postman examples send ``2024-05-01 19:00`` (space, no zone) and ``2025-06-03T09:04:01`` (no offset); DOCS send
    full ISO 8601 (README §9). Anything unparseable is 1003 naming the field.
    """
    if value is None or value == "":
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid({field: [f"The {field.replace('_', ' ')} is not a valid date."]}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=0).isoformat()


def require_chronological(field: str, starts_at: str | None, ends_at: str | None) -> None:
    """An end before its start is 1003 on ``field`` (inferred: an obvious validation, never documented)."""
    if starts_at and ends_at and datetime.fromisoformat(ends_at) < datetime.fromisoformat(starts_at):
        raise invalid({field: [f"The {field.replace('_', ' ')} must be a date after or equal to starts at."]})
