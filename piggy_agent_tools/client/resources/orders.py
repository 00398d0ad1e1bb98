"""Orders: create and process, create, process, find, update, simulate, list; order returns (orders.md).

Orders use Leat's newer conventions: money in integer cents, nested ``contact: {uuid}`` and
``business_profile: {uuid}`` (a shop) objects. The methods take ``contact_uuid`` / ``business_profile_uuid``
and build those objects.
"""

from __future__ import annotations

import builtins
from typing import Any, Literal

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.errors import NotFoundError
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.orders import Order, OrderResult, ProcessedOrder, ProcessedOrderReturn

OrderStatus = Literal["CREATED", "PENDING", "COMPLETED", "CANCELLED"]
PaymentStatus = Literal["UNPAID", "PENDING", "PAID"]
_CHECK_ORDER = "find the order by its external_identifier (orders.find): if it exists, do not send it again."


def _order_not_found(exc: NotFoundError, which: str) -> NotFoundError:
    """Piggy answers an unknown order with a bare "Model not found." (60013): say that the order is missing."""
    if exc.code != 60013:
        return exc
    return NotFoundError(f"Order not found: {which}.", code=exc.code, status_code=exc.status_code, errors=exc.errors)


def _order_body(
    external_identifier: str | None,
    contact_uuid: str | None,
    business_profile_uuid: str,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """The order body: nested contact and business profile, None fields dropped by the client."""
    return {
        "external_identifier": external_identifier,
        "contact": {"uuid": contact_uuid} if contact_uuid else None,
        "business_profile": {"uuid": business_profile_uuid},
        **extra,
    }


class OrdersResource(SyncAPIResource):
    """Orders: processing one awards its contact credits for ``total_order_amount`` (cents) by the program rules."""

    def create_and_process(
        self,
        *,
        external_identifier: str,
        contact_uuid: str,
        business_profile_uuid: str,
        total_order_amount: int,
        line_items: builtins.list[dict[str, Any]],
        status: OrderStatus = "COMPLETED",
        payment_status: PaymentStatus = "PAID",
        reference: str | None = None,
        order_amount: int | None = None,
        total_discount_amount: int | None = None,
        currency: str | None = None,
        paid_at: str | None = None,
        completed_at: str | None = None,
        applied_discounts: builtins.list[dict[str, Any]] | None = None,
        charges: builtins.list[dict[str, Any]] | None = None,
        payments: builtins.list[dict[str, Any]] | None = None,
    ) -> ProcessedOrder:
        """POST /orders/create-and-process (recommended): store the order and award its credits at once.

        Each line item is ``{external_identifier, name, quantity, price, total_amount[, discount_amount,
        product: {external_identifier}, sub_line_items]}`` with amounts in cents.
        """
        extra = {
            "status": status,
            "payment_status": payment_status,
            "total_order_amount": total_order_amount,
            "line_items": line_items,
            "reference": reference,
            "order_amount": order_amount,
            "total_discount_amount": total_discount_amount,
            "currency": currency,
            "paid_at": paid_at,
            "completed_at": completed_at,
            "applied_discounts": applied_discounts,
            "charges": charges,
            "payments": payments,
        }
        body = _order_body(external_identifier, contact_uuid, business_profile_uuid, extra)
        spec = RequestSpec("POST", "/orders/create-and-process", body=body, moves_value=True, how_to_check=_CHECK_ORDER)
        return self._request(spec, ProcessedOrder)

    def create(
        self,
        *,
        external_identifier: str,
        contact_uuid: str,
        business_profile_uuid: str,
        total_order_amount: int,
        line_items: builtins.list[dict[str, Any]],
        status: OrderStatus = "COMPLETED",
        payment_status: PaymentStatus = "PAID",
        reference: str | None = None,
        order_amount: int | None = None,
        total_discount_amount: int | None = None,
        currency: str | None = None,
        paid_at: str | None = None,
        completed_at: str | None = None,
        applied_discounts: builtins.list[dict[str, Any]] | None = None,
        charges: builtins.list[dict[str, Any]] | None = None,
        payments: builtins.list[dict[str, Any]] | None = None,
    ) -> Order:
        """POST /orders: store an order without processing it (no credits until ``process``)."""
        extra = {
            "status": status,
            "payment_status": payment_status,
            "total_order_amount": total_order_amount,
            "line_items": line_items,
            "reference": reference,
            "order_amount": order_amount,
            "total_discount_amount": total_discount_amount,
            "currency": currency,
            "paid_at": paid_at,
            "completed_at": completed_at,
            "applied_discounts": applied_discounts,
            "charges": charges,
            "payments": payments,
        }
        body = _order_body(external_identifier, contact_uuid, business_profile_uuid, extra)
        return self._request(RequestSpec("POST", "/orders", body=body), Order)

    def process(self, order_uuid: str) -> OrderResult:
        """POST /orders/{order_uuid}/process: award a stored order's credits. An order is processed only once."""
        path = f"/orders/{uuid_segment('order_uuid', order_uuid)}/process"
        spec = RequestSpec(
            "POST",
            path,
            moves_value=True,
            how_to_check="list the contact's loyalty transactions for a credit reception of this order's amount; "
            "processing again is refused once it happened.",
        )
        try:
            return self._request(spec, OrderResult)
        except NotFoundError as exc:
            raise _order_not_found(exc, f"no order has uuid {order_uuid!r}") from None

    def find(self, external_identifier: str) -> Order:
        """GET /orders/find?external_identifier=: the order with your identifier; NotFoundError when none."""
        params = {"external_identifier": external_identifier}
        try:
            return self._request(RequestSpec("GET", "/orders/find", params=params), Order)
        except NotFoundError as exc:
            raise _order_not_found(exc, f"no order has external_identifier {external_identifier!r}") from None

    def update(
        self, order_uuid: str, *, status: OrderStatus | None = None, payment_status: PaymentStatus | None = None
    ) -> Order:
        """PUT /orders/{order_uuid}: change the order status and/or payment status."""
        path = f"/orders/{uuid_segment('order_uuid', order_uuid)}"
        body = {"status": status, "payment_status": payment_status}
        try:
            return self._request(RequestSpec("PUT", path, body=body), Order)
        except NotFoundError as exc:
            raise _order_not_found(exc, f"no order has uuid {order_uuid!r}") from None

    def simulate(
        self,
        *,
        business_profile_uuid: str,
        total_order_amount: int,
        contact_uuid: str | None = None,
        line_items: builtins.list[dict[str, Any]] | None = None,
        external_identifier: str | None = None,
        status: OrderStatus | None = None,
        payment_status: PaymentStatus | None = None,
        applied_discounts: builtins.list[dict[str, Any]] | None = None,
        charges: builtins.list[dict[str, Any]] | None = None,
    ) -> OrderResult:
        """POST /orders/simulate: the credits an order would earn, without storing anything.

        Without ``contact_uuid`` contact rules (tier multipliers) are skipped. ``result.points`` is the answer.
        """
        extra = {
            "total_order_amount": total_order_amount,
            "line_items": line_items,
            "status": status,
            "payment_status": payment_status,
            "applied_discounts": applied_discounts,
            "charges": charges,
        }
        body = _order_body(external_identifier, contact_uuid, business_profile_uuid, extra)
        return self._request(RequestSpec("POST", "/orders/simulate", body=body), OrderResult)

    def list(
        self, *, page: int | None = None, limit: int | None = None, contact_uuid: str | None = None
    ) -> Page[Order]:
        """GET /orders: one page of orders (undocumented endpoint; the sandbox answers meta format A)."""
        params = {"page": page, "limit": limit, "contact_uuid": contact_uuid}
        return self._page(RequestSpec("GET", "/orders", params=params), Order)


class OrderReturnsResource(SyncAPIResource):
    """Order returns: returned items take back their share of the credits the order earned."""

    def create_and_process(
        self,
        *,
        order: dict[str, str],
        external_identifier: str,
        status: Literal["PENDING", "COMPLETED"] = "COMPLETED",
        line_items: builtins.list[dict[str, Any]] | None = None,
        applied_discounts: builtins.list[dict[str, Any]] | None = None,
        charges: builtins.list[dict[str, Any]] | None = None,
    ) -> ProcessedOrderReturn:
        """POST /order-returns/create-and-process: record a return and reverse its share of the credits.

        ``order`` is ``{"uuid": ...}`` or ``{"external_identifier": ...}`` of the original order; each line item
        is ``{external_identifier (of the original line), quantity[, total_amount, reason, sub_line_items]}``.
        """
        body = {
            "order": order,
            "external_identifier": external_identifier,
            "status": status,
            "line_items": line_items,
            "applied_discounts": applied_discounts,
            "charges": charges,
        }
        spec = RequestSpec(
            "POST",
            "/order-returns/create-and-process",
            body=body,
            moves_value=True,
            how_to_check="list the contact's loyalty transactions for a negative credit reception of this return; "
            "a return with the same external_identifier is refused once it exists.",
        )
        try:
            return self._request(spec, ProcessedOrderReturn)
        except NotFoundError as exc:
            which = " and ".join(f"{key} {value!r}" for key, value in order.items())
            raise _order_not_found(exc, f"no order has {which}") from None
