"""Orders, their processing result and order returns (orders.md). All amounts are integer cents."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from piggy_agent_tools.models._base import PiggyModel


class ContactRef(PiggyModel):
    uuid: str
    email: str | None = None


class BusinessProfileRef(PiggyModel):
    """The shop an order belongs to (orders call shops business profiles)."""

    uuid: str
    name: str | None = None


class LineProduct(PiggyModel):
    external_identifier: str | None = None
    name: str | None = None


class OrderSubLineItem(PiggyModel):
    uuid: str | None = None
    external_identifier: str | None = None
    name: str = ""
    quantity: int = 0
    price: int = 0
    total_amount: int = 0
    discount_amount: int = 0
    product: LineProduct | None = None


class OrderLineItem(OrderSubLineItem):
    sub_line_items: list[OrderSubLineItem] = []


class AppliedDiscount(PiggyModel):
    uuid: str | None = None
    external_identifier: str | None = None
    name: str | None = None
    amount: int = 0
    type: str | None = None
    value: float | None = None
    applied_to: str | None = None


class OrderCharge(PiggyModel):
    external_identifier: str | None = None
    type: str | None = None
    name: str | None = None
    amount: int = 0
    discount_amount: int = 0
    total_amount: int = 0


class Order(PiggyModel):
    """An order replicated from a POS or web shop; ``total_order_amount`` (cents) is what earns credits."""

    uuid: str
    external_identifier: str = ""
    reference: str | None = None
    status: str | None = None
    payment_status: str | None = None
    currency: str | None = None
    formatted_total_order_amount: str | None = None
    order_amount: int = 0
    total_charges_amount: int = 0
    total_discount_amount: int = 0
    total_order_amount: int = 0
    paid_at: str | None = None
    completed_at: str | None = None
    contact: ContactRef | None = None
    business_profile: BusinessProfileRef | None = None
    line_items: list[OrderLineItem] = []
    applied_discounts: list[AppliedDiscount] = []
    charges: list[OrderCharge] = []
    created_at: str | None = None
    updated_at: str | None = None


class OrderResult(PiggyModel):
    """What processing produced: ``type`` ``POINTS_TRANSACTION`` (``points_transaction`` from simulate) and
    ``data`` ``{points, new_balance}`` (simulate gives only ``points``). More result types may be added."""

    type: str
    data: dict[str, Any] = {}

    @property
    def points(self) -> int | None:
        """The credits earned (negative for a return), when the result is a points transaction."""
        value = self.data.get("points")
        return int(value) if isinstance(value, int | float) else None

    @property
    def new_balance(self) -> int | None:
        value = self.data.get("new_balance")
        return int(value) if isinstance(value, int | float) else None


class ProcessedOrder(PiggyModel):
    """``create_and_process`` answer: the stored order and its processing result."""

    order: Order
    result: OrderResult | None = None


class Ref(PiggyModel):
    uuid: str


class LineItemReturn(PiggyModel):
    uuid: str
    quantity: int
    line_item: Ref


class SubLineItemReturn(PiggyModel):
    uuid: str
    quantity: int
    sub_line_item: Ref


class OrderReturn(PiggyModel):
    uuid: str
    status: str
    order: Ref
    line_item_returns: list[LineItemReturn] = []
    sub_line_item_returns: list[SubLineItemReturn] = []


class ProcessedOrderReturn(PiggyModel):
    """``order_returns.create_and_process`` answer; ``result`` is null when no credits were reversed."""

    order_return: OrderReturn = Field(alias="return")
    result: OrderResult | None = None
