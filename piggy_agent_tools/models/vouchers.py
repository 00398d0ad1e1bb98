"""Vouchers: codes of a promotion, their redemptions, locks and batch jobs (promotions-vouchers.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class VoucherContact(PiggyModel):
    """The contact a voucher is linked to: ``{uuid, email}``."""

    uuid: str
    email: str | None = None


class VoucherPromotion(PiggyModel):
    """The promotion as embedded in a voucher; its attribute values are extra top-level keys."""

    uuid: str
    name: str = ""
    description: str | None = None
    voucher_limit: int | None = None
    limit_per_contact: int | None = None
    expiration_duration: int | None = None


class VoucherRedemption(PiggyModel):
    """One use of a voucher; its ``uuid`` is what ``vouchers.reverse`` takes."""

    uuid: str
    created_at: str | None = None


class Voucher(PiggyModel):
    """A voucher code. ``status`` is ACTIVE, REDEEMED, EXPIRED, DEACTIVATED, INACTIVE or LOCKED."""

    uuid: str
    code: str = ""
    status: str = ""
    name: str | None = None
    description: str | None = None
    activation_date: str | None = None
    expiration_date: str | None = None
    redeemed_at: str | None = None
    is_redeemed: bool = False
    redemptions_remaining: int | None = None
    times_redeemed: int | None = None
    total_redemptions_allowed: int | None = None
    attributes: dict[str, Any] = {}
    contact: VoucherContact | None = None
    promotion: VoucherPromotion | None = None


class RedeemedVoucher(Voucher):
    """The redeemed voucher plus ``voucher_redemption`` (the uuid to reverse it with)."""

    voucher_redemption: VoucherRedemption | None = None


class MultiRedeemResult(PiggyModel):
    """Multi-redeem: the voucher after use and one redemption per use."""

    voucher: Voucher
    voucher_redemptions: list[VoucherRedemption] = []


class VoucherBatchJob(PiggyModel):
    """A batch creation job; ``created_at`` is a display string (``"2024-03-05, 09:36"``), not ISO 8601."""

    uuid: str
    type: str | None = None
    quantity: int | None = None
    status: str | None = None
    created_at: str | None = None


class VoucherLockState(PiggyModel):
    """The voucher part of a lock answer: ``{uuid, status}`` only."""

    uuid: str
    status: str | None = None


class VoucherLockInfo(PiggyModel):
    """A lock: ``release_key`` frees it (release, or redeem with it); the system frees it at ``system_release_at``."""

    release_key: str | None = None
    locked_at: str | None = None
    unlocked_at: str | None = None
    system_release_at: str | None = None


class VoucherLock(PiggyModel):
    """Answer of lock and release: ``{voucher: {uuid, status}, lock: {...}}``."""

    voucher: VoucherLockState
    lock: VoucherLockInfo
