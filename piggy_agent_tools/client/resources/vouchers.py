"""Vouchers: create, batch, list, find, update, validate, redeem, lock, release, reverse."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class VouchersResource(SyncAPIResource):
    """Vouchers: create, batch, list, find, update, validate, redeem, lock, release, reverse."""
