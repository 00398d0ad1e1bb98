"""Hosted portal sessions (portal-sessions.md): create one per action, then open its ``url`` on a screen.

Creating a session moves no value; the contact acts in the hosted page (earning credits, paying...). The prepaid
paths conflict: DOCS give ``pay-prepaid`` and ``top-up-prepaid``, Postman one ``prepaid``; all three are offered.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict, Unpack

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.portal_sessions import PortalSession


class PortalSessionOptions(TypedDict, total=False):
    """How the hosted page identifies the contact (every create variant accepts these)."""

    scanner_type: Literal["camera", "hand_scanner"]
    enable_email_identification: bool
    enable_registration: bool
    enable_on_screen_keyboard: bool
    camera_service: Literal[1, 2, 3]
    facing_mode: Literal["user", "environment"]
    primary_identification_method: Literal["identifier", "email"]


def _body(
    shop_uuid: str | None, contact_uuid: str | None, options: PortalSessionOptions, **extra: Any
) -> dict[str, Any]:
    return {"shop_uuid": shop_uuid, "contact_uuid": contact_uuid, **options, **extra}


class PortalSessionsResource(SyncAPIResource):
    """Portal sessions: a generic create, one create per action, and get. ``contact_uuid`` presets the contact."""

    def create(
        self,
        *,
        shop_uuid: str | None = None,
        business_profile_uuid: str | None = None,
        contact_uuid: str | None = None,
        amount_in_cents: int | None = None,
        unit_value: float | None = None,
        allow_multiple_giftcards: bool | None = None,
        **options: Unpack[PortalSessionOptions],
    ) -> PortalSession:
        """POST /portal-sessions: the generic session. NotFoundError 1008 (shop) or 55031 (contact).

        The shop goes as ``shop_uuid`` (DOCS, SDK) or, given as ``business_profile_uuid``, under that newer name
        (Postman's main request); exactly one of the two.
        """
        if (shop_uuid is None) == (business_profile_uuid is None):
            raise ValueError("give exactly one of shop_uuid and business_profile_uuid")
        body = _body(
            shop_uuid,
            contact_uuid,
            options,
            amount_in_cents=amount_in_cents,
            unit_value=unit_value,
            allow_multiple_giftcards=allow_multiple_giftcards,
        )
        if business_profile_uuid is not None:
            del body["shop_uuid"]
            body["business_profile_uuid"] = business_profile_uuid
        return self._request(RequestSpec("POST", "/portal-sessions", body=body), PortalSession)

    def get(self, portal_session_uuid: str) -> PortalSession:
        """GET /portal-sessions/{portal_session_uuid}: the session (Piggy leaves ``events`` out of this answer)."""
        path = f"/portal-sessions/{uuid_segment('portal_session_uuid', portal_session_uuid)}"
        return self._request(RequestSpec("GET", path), PortalSession)

    def create_credit_reception(
        self, *, shop_uuid: str, contact_uuid: str | None = None, **options: Unpack[PortalSessionOptions]
    ) -> PortalSession:
        """POST /portal-sessions/credit-reception: the contact identifies and earns credits."""
        body = _body(shop_uuid, contact_uuid, options)
        return self._request(RequestSpec("POST", "/portal-sessions/credit-reception", body=body), PortalSession)

    def create_redeem_giftcards(
        self,
        *,
        shop_uuid: str,
        amount_in_cents: int,
        contact_uuid: str | None = None,
        allow_multiple_giftcards: bool | None = None,
        **options: Unpack[PortalSessionOptions],
    ) -> PortalSession:
        """POST /portal-sessions/redeem-giftcards: pay ``amount_in_cents`` (the purchase) with one or more cards."""
        body = _body(
            shop_uuid,
            contact_uuid,
            options,
            amount_in_cents=amount_in_cents,
            allow_multiple_giftcards=allow_multiple_giftcards,
        )
        return self._request(RequestSpec("POST", "/portal-sessions/redeem-giftcards", body=body), PortalSession)

    def create_top_up_giftcards(
        self, *, shop_uuid: str, contact_uuid: str | None = None, **options: Unpack[PortalSessionOptions]
    ) -> PortalSession:
        """POST /portal-sessions/top-up-giftcards: the customer scans a gift card and tops it up."""
        body = _body(shop_uuid, contact_uuid, options)
        return self._request(RequestSpec("POST", "/portal-sessions/top-up-giftcards", body=body), PortalSession)

    def create_vouchers(
        self, *, shop_uuid: str, contact_uuid: str | None = None, **options: Unpack[PortalSessionOptions]
    ) -> PortalSession:
        """POST /portal-sessions/vouchers: the contact picks and uses one of their vouchers."""
        body = _body(shop_uuid, contact_uuid, options)
        return self._request(RequestSpec("POST", "/portal-sessions/vouchers", body=body), PortalSession)

    def create_pay_prepaid(
        self, *, shop_uuid: str, contact_uuid: str | None = None, **options: Unpack[PortalSessionOptions]
    ) -> PortalSession:
        """POST /portal-sessions/pay-prepaid (DOCS): the contact pays from their prepaid balance."""
        body = _body(shop_uuid, contact_uuid, options)
        return self._request(RequestSpec("POST", "/portal-sessions/pay-prepaid", body=body), PortalSession)

    def create_top_up_prepaid(
        self, *, shop_uuid: str, contact_uuid: str | None = None, **options: Unpack[PortalSessionOptions]
    ) -> PortalSession:
        """POST /portal-sessions/top-up-prepaid (DOCS): the contact adds money to their prepaid balance."""
        body = _body(shop_uuid, contact_uuid, options)
        return self._request(RequestSpec("POST", "/portal-sessions/top-up-prepaid", body=body), PortalSession)

    def create_prepaid(
        self, *, shop_uuid: str, contact_uuid: str | None = None, **options: Unpack[PortalSessionOptions]
    ) -> PortalSession:
        """POST /portal-sessions/prepaid (Postman only, probably the older single prepaid path): pay or top up."""
        body = _body(shop_uuid, contact_uuid, options)
        return self._request(RequestSpec("POST", "/portal-sessions/prepaid", body=body), PortalSession)
