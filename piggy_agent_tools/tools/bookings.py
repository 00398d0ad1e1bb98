"""Booking and visit tools: book a table or room for a customer, record a visit, list a customer's visits."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import ContactUuid, Limit, PageNo, ShopUuid, Uuid, omittable
from piggy_agent_tools.tools._present import page_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.bookings import Booking, Visit


def _iso_time(value: str) -> str:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("must be an ISO 8601 date and time, like 2025-05-01T19:00:00+02:00") from None
    return value


def _external_id(value: str) -> str:
    """Letters, digits and ``-_.:#/``, starting with a letter or digit."""
    if not value[:1].isalnum() or not all(ch.isalnum() or ch in "-_.:#/" for ch in value):
        raise ValueError("must be an id of letters, digits, '-', '_', '.', ':', '#' or '/'")
    return value


IsoTime = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_iso_time),
    WithJsonSchema({"type": "string"}),
]
# Optional arguments: shown as the value's schema or null (strict mode needs the null to leave one out).
OptionalTime = Annotated[IsoTime | None, omittable({"type": "string"})]
OptionalUuid = Annotated[Uuid | None, omittable({"type": "string", "format": "uuid"})]
OptionalPeople = Annotated[Annotated[int, Field(ge=1, le=10_000)] | None, omittable({"type": "integer", "minimum": 1})]
OptionalExternalId = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255), AfterValidator(_external_id)]
    | None,
    omittable({"type": "string"}),
]


def booking_summary(booking: Booking) -> dict[str, Any]:
    return {
        "booking_uuid": booking.uuid,
        "contact_uuid": booking.contact.uuid if booking.contact else None,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "number_of_people": booking.number_of_people,
        "status": booking.status,
    }


def visit_summary(visit: Visit) -> dict[str, Any]:
    return {
        "visit_uuid": visit.uuid,
        "contact_uuid": visit.contact.uuid if visit.contact else None,
        "external_id": visit.external_id,
        "source": visit.source,
        "starts_at": visit.starts_at,
        "ends_at": visit.ends_at,
        "created_at": visit.created_at,
    }


class CreateBookingArgs(ArgsModel):
    contact_uuid: ContactUuid
    shop_uuid: ShopUuid
    starts_at: IsoTime = Field(description="Start, ISO 8601.")
    ends_at: OptionalTime = Field(None, description="End, ISO 8601.")
    number_of_people: OptionalPeople = Field(None, description="Party size.")


class ListVisitsArgs(ArgsModel):
    contact_uuid: OptionalUuid = Field(None, description="Only this customer's visits.")
    page: PageNo = 1
    limit: Limit = 20


class CreateVisitArgs(ArgsModel):
    contact_uuid: ContactUuid
    shop_uuid: ShopUuid
    starts_at: OptionalTime = Field(None, description="Arrival, ISO 8601.")
    external_id: OptionalExternalId = Field(None, description="Your unique id for it.")


SPECS: list[ToolSpec] = [
    ToolSpec(
        name="create_booking",
        group="bookings",
        title="Create booking",
        description=(
            "Book a reservation for a customer at a shop: start, optional end and party size. It earns no credits "
            "and is not a visit (use create_visit on arrival). Returns the booking_uuid."
        ),
        args=CreateBookingArgs,
        call=lambda c, a: c.bookings.create(
            shop_uuid=a.shop_uuid,
            contact_uuid=a.contact_uuid,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            number_of_people=a.number_of_people,
        ),
        present=lambda r, a: {"created": True, **booking_summary(r)},
        risk=Risk.WRITE,
    ),
    ToolSpec(
        name="list_visits",
        group="bookings",
        title="List visits",
        description=(
            "List recorded shop visits page by page, optionally one customer's, e.g. to check a visit was "
            "registered. Returns each visit's uuid, customer, external_id, source and times."
        ),
        args=ListVisitsArgs,
        call=lambda c, a: c.visits.list(page=a.page, limit=a.limit, contact_uuid=a.contact_uuid),
        present=lambda r, a: page_summary(r, [visit_summary(v) for v in r.items], "visits"),
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="create_visit",
        group="bookings",
        title="Create visit",
        description=(
            "Record a customer's visit to a shop; it earns the program's visit credits. With an external_id a "
            "repeat is refused, not counted twice. Returns the visit_uuid."
        ),
        args=CreateVisitArgs,
        call=lambda c, a: c.visits.create(
            contact_uuid=a.contact_uuid,
            shop_uuid=a.shop_uuid,
            starts_at=a.starts_at,
            external_id=a.external_id,
        ),
        present=lambda r, a: {"created": True, **visit_summary(r)},
        risk=Risk.WRITE,
    ),
]
