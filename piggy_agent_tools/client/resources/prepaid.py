"""Prepaid transactions: top up or spend a contact's wallet in cents, list, reverse (prepaid.md)."""

from __future__ import annotations

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.prepaid import PrepaidTransaction

_CHECK = (
    "get the contact's prepaid balance (contacts.get_prepaid_balance) or list its prepaid transactions "
    "(prepaid_transactions.list(contact_uuid=...)) before trying again."
)


class PrepaidTransactionsResource(SyncAPIResource):
    """Prepaid transactions: top up or spend, list, reverse."""

    def create(
        self,
        *,
        amount_in_cents: int,
        shop_uuid: str,
        contact_uuid: str | None = None,
        contact_identifier_value: str | None = None,
    ) -> PrepaidTransaction:
        """POST /prepaid-transactions: positive tops up, negative pays; name the contact by uuid or identifier.

        The balance never goes negative (InsufficientBalanceError 1017, inferred). NotFoundError 55031 / 60003,
        ConflictError 60004 (inactive identifier).
        """
        body = {
            "contact_uuid": contact_uuid,
            "contact_identifier_value": contact_identifier_value,
            "amount_in_cents": amount_in_cents,
            "shop_uuid": shop_uuid,
        }
        spec = RequestSpec("POST", "/prepaid-transactions", body=body, moves_value=True, how_to_check=_CHECK)
        return self._request(spec, PrepaidTransaction)

    def list(
        self,
        *,
        contact_uuid: str | None = None,
        shop_uuid: str | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> Page[PrepaidTransaction]:
        """GET /prepaid-transactions: one page (limit at most 30), oldest first; items include the contact."""
        params = {"contact_uuid": contact_uuid, "shop_uuid": shop_uuid, "page": page, "limit": limit}
        return self._page(RequestSpec("GET", "/prepaid-transactions", params=params), PrepaidTransaction)

    def reverse(self, prepaid_transaction_uuid: str) -> PrepaidTransaction:
        """POST /prepaid-transactions/{uuid}/reverse: book the opposite amount; returns the new transaction."""
        uuid = uuid_segment("prepaid_transaction_uuid", prepaid_transaction_uuid)
        spec = RequestSpec("POST", f"/prepaid-transactions/{uuid}/reverse", moves_value=True, how_to_check=_CHECK)
        return self._request(spec, PrepaidTransaction)
