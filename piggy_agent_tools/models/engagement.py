"""Smaller engagement areas: forms (forms.md), the brand kit (brand-kit.md) and referrals (referrals.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class Form(PiggyModel):
    """A hosted form; submissions are not readable through v3 (they arrive as ``form_submission_completed``)."""

    uuid: str
    name: str | None = None
    status: str | None = None
    type: str | None = None
    url: str | None = None


class BrandKit(PiggyModel):
    """The account's logos, colours and font. Piggy spells ``quarternary_color`` (sic); the SDK reads both."""

    small_logo_url: str | None = None
    large_logo_url: str | None = None
    primary_color: str | None = None
    secondary_color: str | None = None
    tertiary_color: str | None = None
    quarternary_color: str | None = None
    font_family: str | None = None

    @property
    def quaternary_color(self) -> str | None:
        """The fourth colour under either spelling (brand-kit.md: recorded ``quarternary``, SDK ``quaternary``)."""
        extra = self.model_extra or {}
        return self.quarternary_color or extra.get("quaternary_color")


class ReferralContact(PiggyModel):
    uuid: str
    email: str | None = None


class Referral(PiggyModel):
    """One referral: who shared the code, who used it, and ``pending`` / ``completed`` / ``failed``."""

    uuid: str
    referring_contact: ReferralContact | None = None
    referred_contact: ReferralContact | None = None
    status: str | None = None


class ReferralSettings(PiggyModel):
    """The referral programme: when a referral completes and what each side then receives."""

    completion_event: dict[str, Any] | None = None
    limit_per_contact: int | None = None
    referred_contact_incentive: dict[str, Any] | None = None
    referring_contact_incentive: dict[str, Any] | None = None
