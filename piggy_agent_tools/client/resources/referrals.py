"""Referrals and referral settings."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class ReferralsResource(SyncAPIResource):
    """Referrals and referral settings."""
