"""Vouchers: create, batch, list, find, update, validate, redeem, multi-redeem, lock, release, reverse
(promotions-vouchers.md). Redeem, multi-redeem and reverse move value and are never retried blindly.
"""

from __future__ import annotations

from typing import Any, Literal

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.vouchers import (
    MultiRedeemResult,
    RedeemedVoucher,
    Voucher,
    VoucherBatchJob,
    VoucherLock,
)

VoucherStatus = Literal["ACTIVE", "REDEEMED", "EXPIRED", "DEACTIVATED", "INACTIVE", "LOCKED"]
_CHECK_VOUCHER = (
    "find the voucher by its code (vouchers.find) and compare times_redeemed / redemptions_remaining "
    "before trying again."
)


class VouchersResource(SyncAPIResource):
    """Vouchers: codes of a promotion, optionally linked to a contact, redeemed at most their allowed times."""

    def create(
        self,
        promotion_uuid: str,
        *,
        code: str | None = None,
        contact_uuid: str | None = None,
        activation_date: str | None = None,
        expiration_date: str | None = None,
        total_redemptions_allowed: int | None = None,
        custom_attributes: dict[str, Any] | None = None,
    ) -> Voucher:
        """POST /vouchers: one voucher (code generated when omitted). 80002 unknown promotion, 80003 code taken,
        80008 the promotion's voucher limit (or limit per contact) is reached."""
        body = {
            "promotion_uuid": promotion_uuid,
            "code": code,
            "contact_uuid": contact_uuid,
            "activation_date": activation_date,
            "expiration_date": expiration_date,
            "total_redemptions_allowed": total_redemptions_allowed,
            "custom_attributes": custom_attributes,
        }
        return self._request(RequestSpec("POST", "/vouchers", body=body), Voucher)

    def batch(
        self,
        promotion_uuid: str,
        quantity: int,
        *,
        contact_uuid: str | None = None,
        activation_date: str | None = None,
        expiration_date: str | None = None,
        custom_attributes: dict[str, Any] | None = None,
    ) -> VoucherBatchJob:
        """POST /vouchers/batch: 1-500 generated vouchers, made in the background; returns the job (HTTP 201)."""
        body = {
            "promotion_uuid": promotion_uuid,
            "quantity": quantity,
            "contact_uuid": contact_uuid,
            "activation_date": activation_date,
            "expiration_date": expiration_date,
            "custom_attributes": custom_attributes,
        }
        return self._request(RequestSpec("POST", "/vouchers/batch", body=body), VoucherBatchJob)

    def list(
        self,
        *,
        promotion_uuid: str | None = None,
        contact_uuid: str | None = None,
        status: VoucherStatus | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> Page[Voucher]:
        """GET /vouchers: one page of vouchers, filtered by promotion, contact or status (meta format B)."""
        params = {
            "promotion_uuid": promotion_uuid,
            "contact_uuid": contact_uuid,
            "status": status,
            "page": page,
            "limit": limit,
        }
        return self._page(RequestSpec("GET", "/vouchers", params=params), Voucher)

    def find(self, code: str) -> Voucher:
        """GET /vouchers/find?code=: the voucher with this code. NotFoundError 80004 when none."""
        return self._request(RequestSpec("GET", "/vouchers/find", params={"code": code}), Voucher)

    def update(
        self,
        voucher_uuid: str,
        *,
        status: Literal["ACTIVE", "DEACTIVATED"] | None = None,
        custom_attributes: dict[str, Any] | None = None,
        expiration_date: str | None = None,
    ) -> Voucher:
        """PUT /vouchers/{voucher_uuid}: (de)activate, set attribute values, or move the expiration date."""
        path = f"/vouchers/{uuid_segment('voucher_uuid', voucher_uuid)}"
        body = {"status": status, "custom_attributes": custom_attributes, "expiration_date": expiration_date}
        return self._request(RequestSpec("PUT", path, body=body), Voucher)

    def validate(self, voucher_uuid: str, *, shop_uuid: str, contact_uuid: str | None = None) -> Voucher:
        """POST /vouchers/{voucher_uuid}/validate: raises the error redeem would give, without redeeming.

        The answer's shape is undocumented; the sandbox returns the voucher.
        """
        path = f"/vouchers/{uuid_segment('voucher_uuid', voucher_uuid)}/validate"
        body = {"shop_uuid": shop_uuid, "contact_uuid": contact_uuid}
        return self._request(RequestSpec("POST", path, body=body), Voucher)

    def redeem(
        self,
        code: str,
        *,
        shop_uuid: str,
        contact_uuid: str | None = None,
        release_key: str | None = None,
    ) -> RedeemedVoucher:
        """POST /vouchers/redeem: use the voucher once; returns it with ``voucher_redemption`` (reverse takes its uuid).

        ``shop_uuid`` is required by the current docs (older SDKs omit it; here it is required); ``contact_uuid``
        when the voucher has no contact; ``release_key`` when it is locked. 80005 already redeemed, 80006 expired,
        80012 deactivated, 80014 inactive, 80017 locked, 80020 promotion inactive.
        """
        body = {"code": code, "shop_uuid": shop_uuid, "contact_uuid": contact_uuid, "release_key": release_key}
        spec = RequestSpec("POST", "/vouchers/redeem", body=body, moves_value=True, how_to_check=_CHECK_VOUCHER)
        return self._request(spec, RedeemedVoucher)

    def multi_redeem(
        self,
        code: str,
        number_of_times: int,
        *,
        shop_uuid: str,
        contact_uuid: str | None = None,
        release_key: str | None = None,
    ) -> MultiRedeemResult:
        """POST /vouchers/multi-redeem: use a multi-use voucher 1-50 times at once; 80019 when too few uses are
        left (nothing is redeemed then)."""
        body = {
            "code": code,
            "number_of_times": number_of_times,
            "shop_uuid": shop_uuid,
            "contact_uuid": contact_uuid,
            "release_key": release_key,
        }
        spec = RequestSpec("POST", "/vouchers/multi-redeem", body=body, moves_value=True, how_to_check=_CHECK_VOUCHER)
        return self._request(spec, MultiRedeemResult)

    def lock(self, voucher_uuid: str) -> VoucherLock:
        """POST /vouchers/{voucher_uuid}/lock: reserve the voucher (auto-released after one hour); keep the
        ``lock.release_key``. 80017 when it is already locked."""
        path = f"/vouchers/{uuid_segment('voucher_uuid', voucher_uuid)}/lock"
        return self._request(RequestSpec("POST", path), VoucherLock)

    def release(self, voucher_uuid: str, *, release_key: str) -> VoucherLock:
        """POST /vouchers/{voucher_uuid}/release: free a lock with its ``release_key``."""
        path = f"/vouchers/{uuid_segment('voucher_uuid', voucher_uuid)}/release"
        return self._request(RequestSpec("POST", path, body={"release_key": release_key}), VoucherLock)

    def reverse(self, voucher_redemption_uuid: str) -> Voucher:
        """POST /vouchers/{voucher_redemption_uuid}/reverse: undo one redemption (the voucher can be used again).

        The path id is the redemption's uuid, not the voucher's. The answer is undocumented; the sandbox returns
        the voucher.
        """
        path = f"/vouchers/{uuid_segment('voucher_redemption_uuid', voucher_redemption_uuid)}/reverse"
        check = "find the voucher by code (vouchers.find) and compare times_redeemed before trying again."
        spec = RequestSpec("POST", path, moves_value=True, how_to_check=check)
        return self._request(spec, Voucher)
