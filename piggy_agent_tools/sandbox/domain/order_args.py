"""Validated request bodies of orders, simulate and order returns (orders.md "Order request body", "Order Returns").

All money is integer lowest denomination (cents). Enum spellings that the sources disagree on are all accepted.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Cents = int


class Ref(BaseModel):
    """``{uuid}`` (contact, business profile) or ``{external_identifier}`` (products, lines, orders)."""

    uuid: str | None = None
    external_identifier: str | None = None


class Uuid(BaseModel):
    uuid: str = Field(min_length=1)


class SubLineItem(BaseModel):
    external_identifier: str = Field(min_length=1)
    name: str = Field(min_length=1)
    quantity: int = Field(ge=1)
    price: Cents = Field(ge=0)
    total_amount: Cents = Field(ge=0)
    discount_amount: Cents = Field(0, ge=0)
    product: Ref | None = None


class LineItem(SubLineItem):
    result: dict[str, Any] | None = None
    sub_line_items: list[SubLineItem] = []


class SimulatedSubLine(SubLineItem):
    """Simulate needs only ``name, quantity, price, total_amount`` per line (orders.md)."""

    external_identifier: str = ""


class SimulatedLine(LineItem):
    external_identifier: str = ""
    sub_line_items: list[SimulatedSubLine] = []  # type: ignore[assignment]


# The DOCS request enum is ORDER / ORDER_LINES, simulate's is ORDER / LINE_ITEMS / SUB_LINE_ITEMS, the DOCS
# response example writes LINE_ITEM: inconsistent sources, all accepted (orders.md "Order object").
AppliedTo = Literal["ORDER", "ORDER_LINES", "LINE_ITEMS", "LINE_ITEM", "SUB_LINE_ITEMS"]


class Discount(BaseModel):
    external_identifier: str = Field(min_length=1)
    name: str = Field(min_length=1)
    amount: Cents = Field(ge=0)
    type: Literal["PERCENTAGE", "ABSOLUTE"] | None = None
    value: float | None = None
    applied_to: AppliedTo
    line_items: list[Ref] = []
    sub_line_items: list[Ref] = []
    charges: list[Ref] = []
    offer: dict[str, Any] | None = None


class Charge(BaseModel):
    external_identifier: str = Field(min_length=1)
    name: str = Field(min_length=1)
    amount: Cents | None = None
    discount_amount: Cents = Field(0, ge=0)
    total_amount: Cents = Field(ge=0)
    type: str | None = None  # deprecated in favour of charge_definition (orders.md)
    charge_definition: Ref | None = None


class OrderArgs(BaseModel):
    """Create and create-and-process."""

    external_identifier: str = Field(min_length=1)
    reference: str | None = None
    status: Literal["CREATED", "PENDING", "COMPLETED", "CANCELLED"]
    payment_status: Literal["UNPAID", "PENDING", "PAID"]
    total_order_amount: Cents = Field(ge=0)
    order_amount: Cents | None = Field(None, ge=0)
    total_discount_amount: Cents | None = Field(None, ge=0)
    currency: str | None = Field(None, min_length=3, max_length=3)
    paid_at: str | None = None
    completed_at: str | None = None
    contact: Uuid
    business_profile: Uuid
    line_items: list[LineItem] = Field(min_length=1)
    applied_discounts: list[Discount] = []
    charges: list[Charge] = []
    payments: list[dict[str, Any]] = []


class SimulateArgs(BaseModel):
    """Simulate: status, payment status and contact optional; lines need no external identifier."""

    external_identifier: str | None = None
    status: Literal["CREATED", "PENDING", "COMPLETED", "CANCELLED"] | None = None
    payment_status: Literal["UNPAID", "PENDING", "PAID"] | None = None
    total_order_amount: Cents = Field(ge=0)
    contact: Uuid | None = None
    business_profile: Uuid
    line_items: list[SimulatedLine] = []
    applied_discounts: list[Discount] = []
    charges: list[Charge] = []


class UpdateArgs(BaseModel):
    status: Literal["CREATED", "PENDING", "COMPLETED", "CANCELLED"] | None = None
    payment_status: Literal["UNPAID", "PENDING", "PAID"] | None = None


class ReturnedSubLine(BaseModel):
    external_identifier: str = Field(min_length=1)
    quantity: int = Field(ge=1)
    discount_amount: Cents | None = Field(None, ge=0)
    total_amount: Cents | None = Field(None, ge=0)
    reason: str | None = None


class ReturnedLine(ReturnedSubLine):
    sub_line_items: list[ReturnedSubLine] = []


class ReturnedDiscount(BaseModel):
    external_identifier: str = Field(min_length=1)
    amount: Cents = Field(ge=0)


class ReturnedCharge(BaseModel):
    external_identifier: str = Field(min_length=1)
    amount: Cents | None = None
    discount_amount: Cents | None = None
    total_amount: Cents = Field(ge=0)


class ReturnArgs(BaseModel):
    order: Ref
    external_identifier: str = Field(min_length=1)
    status: Literal["PENDING", "COMPLETED"]
    line_items: list[ReturnedLine] = []
    applied_discounts: list[ReturnedDiscount] = []
    charges: list[ReturnedCharge] = []
