"""Bookings (create, update) and visits (list in meta format D, get, create, update, batch) (bookings-visits.md).

Times are ISO 8601 (``2024-05-01T19:00:00+02:00``; ``2024-05-01 19:00`` is accepted too). The shop and contact of a
booking or visit are fixed when it is created.
"""

from __future__ import annotations

import builtins
from typing import Any

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.bookings import Booking, Visit

_CHECK_VISIT = "list the contact's visits (visits.list with contact_uuid) and look for this external_id."


class BookingsResource(SyncAPIResource):
    """Bookings (reservations); ``prepaid_amount`` is in cents."""

    def create(
        self,
        *,
        shop_uuid: str,
        contact_uuid: str,
        external_id: str | None = None,
        source: str | None = None,
        starts_at: str | None = None,
        ends_at: str | None = None,
        checked_in_at: str | None = None,
        number_of_people: int | None = None,
        company_name: str | None = None,
        status: str | None = None,
        prepaid_amount: int | None = None,
    ) -> Booking:
        """POST /bookings: a booking of a contact at a shop."""
        body = {
            "shop_uuid": shop_uuid,
            "contact_uuid": contact_uuid,
            "external_id": external_id,
            "source": source,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "checked_in_at": checked_in_at,
            "number_of_people": number_of_people,
            "company_name": company_name,
            "status": status,
            "prepaid_amount": prepaid_amount,
        }
        return self._request(RequestSpec("POST", "/bookings", body=body), Booking)

    def update(
        self,
        booking_uuid: str,
        *,
        external_id: str | None = None,
        source: str | None = None,
        starts_at: str | None = None,
        ends_at: str | None = None,
        checked_in_at: str | None = None,
        number_of_people: int | None = None,
        company_name: str | None = None,
        status: str | None = None,
        prepaid_amount: int | None = None,
    ) -> Booking:
        """PUT /bookings/{booking_uuid}: change the given fields (the shop and contact cannot change)."""
        path = f"/bookings/{uuid_segment('booking_uuid', booking_uuid)}"
        body = {
            "external_id": external_id,
            "source": source,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "checked_in_at": checked_in_at,
            "number_of_people": number_of_people,
            "company_name": company_name,
            "status": status,
            "prepaid_amount": prepaid_amount,
        }
        return self._request(RequestSpec("PUT", path, body=body), Booking)


class VisitsResource(SyncAPIResource):
    """Visits: each one earns the contact the program's visit credits."""

    def list(
        self, *, page: int | None = None, limit: int | None = None, contact_uuid: str | None = None
    ) -> Page[Visit]:
        """GET /visits: one page of visits, optionally of one contact (meta format D; limit 0-500, default 30)."""
        params = {"page": page, "limit": limit, "contact_uuid": contact_uuid}
        return self._page(RequestSpec("GET", "/visits", params=params), Visit)

    def get(self, visit_uuid: str) -> Visit:
        """GET /visits/{visit_uuid}."""
        return self._request(RequestSpec("GET", f"/visits/{uuid_segment('visit_uuid', visit_uuid)}"), Visit)

    def create(
        self,
        *,
        contact_uuid: str,
        shop_uuid: str,
        external_id: str | None = None,
        source: str | None = None,
        starts_at: str | None = None,
        ends_at: str | None = None,
    ) -> Visit:
        """POST /visits: record a visit (awards visit credits). ``external_id`` must be unique."""
        body = {
            "contact_uuid": contact_uuid,
            "shop_uuid": shop_uuid,
            "external_id": external_id,
            "source": source,
            "starts_at": starts_at,
            "ends_at": ends_at,
        }
        spec = RequestSpec("POST", "/visits", body=body, moves_value=True, how_to_check=_CHECK_VISIT)
        return self._request(spec, Visit)

    def update(
        self,
        visit_uuid: str,
        *,
        external_id: str | None = None,
        source: str | None = None,
        starts_at: str | None = None,
        ends_at: str | None = None,
    ) -> Visit:
        """PUT /visits/{visit_uuid}: change the given fields (the shop and contact cannot change)."""
        path = f"/visits/{uuid_segment('visit_uuid', visit_uuid)}"
        body = {"external_id": external_id, "source": source, "starts_at": starts_at, "ends_at": ends_at}
        return self._request(RequestSpec("PUT", path, body=body), Visit)

    def batch(self, visits: builtins.list[dict[str, Any]]) -> builtins.list[Visit]:
        """POST /visits/batch: many visits at once, each ``{contact_email, business_profile_uuid, external_id}``.

        All or nothing; the response shape is inferred (never recorded).
        """
        spec = RequestSpec(
            "POST", "/visits/batch", body={"visits": visits}, moves_value=True, how_to_check=_CHECK_VISIT
        )
        return self._list(spec, Visit)
