"""Promotions (list, get, create) and promotion attribute definitions (promotions-vouchers.md)."""

from __future__ import annotations

import builtins
from typing import Any

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.promotions import Promotion, PromotionAttribute


class PromotionsResource(SyncAPIResource):
    """Promotions: the voucher campaigns whose rules (limits, validity) vouchers follow."""

    def list(self, *, page: int | None = None, limit: int | None = None) -> builtins.list[Promotion]:
        """GET /promotions: every promotion with its attribute values (unpaginated; meta is empty)."""
        params = {"page": page, "limit": limit}
        return self._list(RequestSpec("GET", "/promotions", params=params), Promotion)

    def get(self, promotion_uuid: str) -> Promotion:
        """GET /promotions/{promotion_uuid}: one promotion. NotFoundError 80002 when unknown."""
        path = f"/promotions/{uuid_segment('promotion_uuid', promotion_uuid)}"
        return self._request(RequestSpec("GET", path), Promotion)

    def create(
        self,
        *,
        name: str,
        description: str,
        voucher_limit: int | None = None,
        limit_per_contact: int | None = None,
        expiration_duration: int | None = None,
        type: str | None = None,
        redemptions_per_voucher: int | None = None,
    ) -> Promotion:
        """POST /promotions: a new campaign. ``expiration_duration`` is the validity of new vouchers in seconds;
        ``redemptions_per_voucher`` above 1 makes multi-use vouchers."""
        body = {
            "name": name,
            "description": description,
            "voucher_limit": voucher_limit,
            "limit_per_contact": limit_per_contact,
            "expiration_duration": expiration_duration,
            "type": type,
            "redemptions_per_voucher": redemptions_per_voucher,
        }
        return self._request(RequestSpec("POST", "/promotions", body=body), Promotion)


class PromotionAttributesResource(SyncAPIResource):
    """Promotion attribute definitions (custom fields on promotions and vouchers), addressed by numeric id."""

    def list(self) -> builtins.list[PromotionAttribute]:
        """GET /promotion-attributes: every promotion attribute definition."""
        return self._list(RequestSpec("GET", "/promotion-attributes"), PromotionAttribute)

    def get(self, promotion_attribute_id: int) -> PromotionAttribute:
        """GET /promotion-attributes/{id}: one definition. NotFoundError 60013 when unknown (inferred)."""
        path = f"/promotion-attributes/{int(promotion_attribute_id)}"
        return self._request(RequestSpec("GET", path), PromotionAttribute)

    def create(
        self,
        *,
        name: str,
        label: str,
        type: str,
        description: str | None = None,
        placeholder: str | None = None,
        options: builtins.list[dict[str, Any]] | None = None,
    ) -> PromotionAttribute:
        """POST /promotion-attributes: a new field; ``options`` (``[{label, value}]``) for select types.

        ConflictError 60009 when the name exists.
        """
        body = {
            "name": name,
            "label": label,
            "type": type,
            "description": description,
            "placeholder": placeholder,
            "options": options,
        }
        return self._request(RequestSpec("POST", "/promotion-attributes", body=body), PromotionAttribute)

    def update(
        self,
        promotion_attribute_id: int,
        *,
        name: str | None = None,
        label: str | None = None,
        type: str | None = None,
        description: str | None = None,
        placeholder: str | None = None,
        options: builtins.list[dict[str, Any]] | None = None,
    ) -> PromotionAttribute:
        """PUT /promotion-attributes/{id}: change any of name, label, type, description, placeholder, options."""
        path = f"/promotion-attributes/{int(promotion_attribute_id)}"
        body = {
            "name": name,
            "label": label,
            "type": type,
            "description": description,
            "placeholder": placeholder,
            "options": options,
        }
        return self._request(RequestSpec("PUT", path, body=body), PromotionAttribute)
