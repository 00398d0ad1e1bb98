"""Gift-card programs; gift cards (list, get, find by hash, create, send by email); gift-card transactions
(create, list, get, reverse, correct). Amounts are integer cents (giftcards.md).
"""

from __future__ import annotations

import builtins
from typing import Any, Literal

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.giftcards import Giftcard, GiftcardProgram, GiftcardTransaction

_CHECK_CARD = (
    "get the gift card (giftcards.get) and compare amount_in_cents, or list its transactions "
    "(giftcard_transactions.list(giftcard_uuid=...)), before trying again."
)


class GiftcardProgramsResource(SyncAPIResource):
    """Gift-card programs."""

    def list(self) -> builtins.list[GiftcardProgram]:
        """GET /giftcard-programs: every program with its maximum card balance (unpaginated)."""
        return self._list(RequestSpec("GET", "/giftcard-programs"), GiftcardProgram)


class GiftcardsResource(SyncAPIResource):
    """Gift cards: list, get, find by hash, create, send by email."""

    def list(
        self, *, giftcard_program_uuid: str | None = None, page: int | None = None, limit: int | None = None
    ) -> Page[Giftcard]:
        """GET /giftcards: one page of cards, optionally of one program (meta format C). 1100 unknown program."""
        params = {"giftcard_program_uuid": giftcard_program_uuid, "page": page, "limit": limit}
        return self._page(RequestSpec("GET", "/giftcards", params=params), Giftcard)

    def get(self, giftcard_uuid: str) -> Giftcard:
        """GET /giftcards/{giftcard_uuid}: the card and its balance (``amount_in_cents``). 5001 when unknown."""
        path = f"/giftcards/{uuid_segment('giftcard_uuid', giftcard_uuid)}"
        return self._request(RequestSpec("GET", path), Giftcard)

    def find_by_hash(self, hash: str) -> Giftcard:
        """GET /giftcards/find-one-by?hash=: the card with this code. NotFoundError 5001 when none."""
        return self._request(RequestSpec("GET", "/giftcards/find-one-by", params={"hash": hash}), Giftcard)

    def create(self, giftcard_program_uuid: str, *, type: Literal[0, 1] = 1) -> Giftcard:
        """POST /giftcards: a new digital card at zero (fund it with a transaction). Type 0 (physical) is 55021."""
        body = {"giftcard_program_uuid": giftcard_program_uuid, "type": type}
        return self._request(RequestSpec("POST", "/giftcards", body=body), Giftcard)

    def send_by_email(
        self,
        giftcard_uuid: str,
        *,
        contact_uuid: str,
        email_uuid: str | None = None,
        merge_tags: dict[str, Any] | None = None,
    ) -> Any:
        """POST /giftcards/{uuid}/send-by-email: email the card to a contact; ``merge_tags`` keys start ``custom.``.

        Returns Piggy's ``data`` as is: DOCS show ``{"message": "success", "data": "Email successfully sent"}``.
        """
        path = f"/giftcards/{uuid_segment('giftcard_uuid', giftcard_uuid)}/send-by-email"
        body = {"contact_uuid": contact_uuid, "email_uuid": email_uuid, "merge_tags": merge_tags}
        return self._raw(RequestSpec("POST", path, body=body))


class GiftcardTransactionsResource(SyncAPIResource):
    """Gift-card transactions: create, list, get, reverse, correct."""

    def create(
        self,
        *,
        giftcard_uuid: str,
        amount_in_cents: int,
        shop_uuid: str,
        custom_attributes: dict[str, Any] | None = None,
    ) -> GiftcardTransaction:
        """POST /giftcard-transactions: positive tops up, negative spends.

        InsufficientBalanceError 5003 (below zero) or 5008 (above the program maximum); ConflictError 5002
        (expired) or 5006 (cannot be topped up again); NotFoundError 5001.
        """
        body = {
            "giftcard_uuid": giftcard_uuid,
            "amount_in_cents": amount_in_cents,
            "shop_uuid": shop_uuid,
            "custom_attributes": custom_attributes,
        }
        spec = RequestSpec("POST", "/giftcard-transactions", body=body, moves_value=True, how_to_check=_CHECK_CARD)
        return self._request(spec, GiftcardTransaction)

    def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        giftcard_uuid: str | None = None,
        giftcard_hash: str | None = None,
        giftcard_program_uuid: str | None = None,
        shop_uuid: str | None = None,
        sort: Literal["created_at", "-created_at"] | None = None,
        created_at: dict[str, str] | None = None,
    ) -> Page[GiftcardTransaction]:
        """GET /giftcard-transactions: one page, filtered by card, program or shop (meta format A).

        The page size goes as ``perPage``, the documented name (the SDK's ``limit`` is not in the docs).
        """
        params = {
            "page": page,
            "perPage": limit,
            "giftcard_uuid": giftcard_uuid,
            "giftcard_hash": giftcard_hash,
            "giftcard_program_uuid": giftcard_program_uuid,
            "shop_uuid": shop_uuid,
            "sort": sort,
            "created_at": created_at,
        }
        return self._page(RequestSpec("GET", "/giftcard-transactions", params=params), GiftcardTransaction)

    def get(self, giftcard_transaction_uuid: str) -> GiftcardTransaction:
        """GET /giftcard-transactions/{uuid}. NotFoundError 5010 when unknown."""
        path = f"/giftcard-transactions/{uuid_segment('giftcard_transaction_uuid', giftcard_transaction_uuid)}"
        return self._request(RequestSpec("GET", path), GiftcardTransaction)

    def reverse(self, giftcard_transaction_uuid: str) -> GiftcardTransaction:
        """POST /giftcard-transactions/{uuid}/reverse: book the negated amount; returns the new transaction.

        Only the card's last transaction can be reversed (ConflictError 55025).
        """
        uuid = uuid_segment("giftcard_transaction_uuid", giftcard_transaction_uuid)
        spec = RequestSpec("POST", f"/giftcard-transactions/{uuid}/reverse", moves_value=True, how_to_check=_CHECK_CARD)
        return self._request(spec, GiftcardTransaction)

    def correct(self, giftcard_transaction_uuid: str) -> GiftcardTransaction:
        """POST /giftcard-transactions/{uuid}/correct: undocumented semantics; recorded to behave like reverse."""
        uuid = uuid_segment("giftcard_transaction_uuid", giftcard_transaction_uuid)
        spec = RequestSpec("POST", f"/giftcard-transactions/{uuid}/correct", moves_value=True, how_to_check=_CHECK_CARD)
        return self._request(spec, GiftcardTransaction)
