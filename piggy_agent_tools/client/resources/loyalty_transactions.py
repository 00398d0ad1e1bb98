"""Loyalty transactions (credit and reward receptions) and loyalty transaction attributes (loyalty-transactions.md)."""

from __future__ import annotations

import builtins
from typing import Any, Literal

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.loyalty import LoyaltyTransaction, LoyaltyTransactionAttribute


class LoyaltyTransactionsResource(SyncAPIResource):
    """Every change of a credit balance: the only way to list credit and reward receptions."""

    def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        type: Literal["credit_receptions", "reward_receptions"] | None = None,
        contact_uuid: str | None = None,
        shop_uuid: str | None = None,
        sort: Literal["created_at", "-created_at"] | None = None,
        created_at: dict[str, str] | None = None,
    ) -> Page[LoyaltyTransaction]:
        """GET /loyalty-transactions: one page (meta format A, limit up to 100), newest first by default.

        ``type`` takes the plural filter values; items carry the singular ``credit_reception``,
        ``reward_reception`` or ``digital_reward_reception``. ``created_at`` is ``{"gte": iso, "lt": iso...}``.
        """
        params = {
            "page": page,
            "limit": limit,
            "type": type,
            "contact_uuid": contact_uuid,
            "shop_uuid": shop_uuid,
            "sort": sort,
            "created_at": created_at,
        }
        return self._page(RequestSpec("GET", "/loyalty-transactions", params=params), LoyaltyTransaction)


class LoyaltyTransactionAttributesResource(SyncAPIResource):
    """Custom fields on transactions (the key is ``data_type`` here, unlike reward attributes' ``type``)."""

    def list(self) -> builtins.list[LoyaltyTransactionAttribute]:
        """GET /loyalty-transaction-attributes."""
        return self._list(RequestSpec("GET", "/loyalty-transaction-attributes"), LoyaltyTransactionAttribute)

    def create(
        self,
        *,
        name: str,
        data_type: str,
        label: str | None = None,
        description: str | None = None,
        placeholder: str | None = None,
        options: dict[str, str] | builtins.list[Any] | None = None,
    ) -> LoyaltyTransactionAttribute:
        """POST /loyalty-transaction-attributes: ConflictError (60009) when the name exists. ``options`` (for
        selects) may be a ``{value: label}`` map or a list."""
        body = {
            "name": name,
            "data_type": data_type,
            "label": label,
            "description": description,
            "placeholder": placeholder,
            "options": options,
        }
        spec = RequestSpec("POST", "/loyalty-transaction-attributes", body=body)
        return self._request(spec, LoyaltyTransactionAttribute)
