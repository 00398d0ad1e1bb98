"""Referrals and the referral programme settings (referrals.md)."""

from __future__ import annotations

import builtins
from typing import Literal

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.engagement import Referral, ReferralSettings


class ReferralsResource(SyncAPIResource):
    """Referrals (a contact created with another contact's ``referral_code``) and the programme's rules."""

    def list(
        self,
        *,
        referring_contact_uuid: str | None = None,
        status: Literal["pending", "completed", "failed"] | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> builtins.list[Referral]:
        """GET /referrals: one page of referrals (``limit`` default 30, max 100).

        Piggy sends no pagination meta here (referrals.md), so ask for the next page while a page comes back full.
        """
        params = {"referring_contact_uuid": referring_contact_uuid, "status": status, "page": page, "limit": limit}
        return self._list(RequestSpec("GET", "/referrals", params=params), Referral)

    def get_settings(self) -> ReferralSettings:
        """GET /referrals/settings: the completion event, the per-contact limit and both incentives."""
        return self._request(RequestSpec("GET", "/referrals/settings"), ReferralSettings)
