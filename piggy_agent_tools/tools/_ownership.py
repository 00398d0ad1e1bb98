"""Ownership checks before a reversal: is this award or claim the named customer's? Every page is checked."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Literal

from piggy_agent_tools.errors import NotFoundError

PER_PAGE = 100  # the API's maximum for /loyalty-transactions
MAX_PAGES = 1000  # 100,000 transactions: far beyond any real customer, and still a bound on a runaway loop


def require_owned(
    client: Any,
    contact_uuid: str,
    kind: Literal["credit_receptions", "reward_receptions"],
    uuid: str,
    refusal: str,
) -> Generator[Any, Any, None]:
    """Page through the contact's transactions of ``kind`` until ``uuid`` is found; raise ``NotFoundError(refusal)``
    when it is not among them. An old award of a busy customer is found on a later page, not wrongly refused."""
    page_no = 1
    while True:
        page = yield client.loyalty_transactions.list(
            contact_uuid=contact_uuid, type=kind, limit=PER_PAGE, page=page_no
        )
        if uuid in {_uuid(t) for t in page.items}:
            return
        if not page.has_more or page_no >= MAX_PAGES:
            raise NotFoundError(refusal)
        page_no += 1


def _uuid(item: Any) -> Any:
    return item.get("uuid") if isinstance(item, dict) else getattr(item, "uuid", None)
