"""Bookings.; Visits."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class BookingsResource(SyncAPIResource):
    """Bookings."""


class VisitsResource(SyncAPIResource):
    """Visits."""
