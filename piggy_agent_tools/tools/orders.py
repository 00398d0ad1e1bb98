"""Order tools: list and find orders, simulate the credits of an order, return an order, list the products."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema, field_validator

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import Limit, PageNo, ShopUuid, Uuid, omittable
from piggy_agent_tools.tools._present import euros, page_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.orders import Order, OrderLineItem, OrderResult, ProcessedOrderReturn
    from piggy_agent_tools.models.products import Product

MAX_LINES_SHOWN = 20


def _external_identifier(value: str) -> str:
    """Letters, digits and ``-_.:#/``, starting with a letter or digit (so "../x" is refused before any request)."""
    if not value[:1].isalnum() or not all(ch.isalnum() or ch in "-_.:#/" for ch in value):
        raise ValueError("must be an external identifier of letters, digits, '-', '_', '.', ':', '#' or '/'")
    return value


ExternalIdentifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=255),
    AfterValidator(_external_identifier),
    WithJsonSchema({"type": "string"}),
]
# Optional arguments: shown as the value's schema or null (strict mode needs the null to leave one out).
OptionalUuid = Annotated[Uuid | None, omittable({"type": "string", "format": "uuid"})]
OptionalExternalIdentifier = Annotated[ExternalIdentifier | None, omittable({"type": "string"})]


def _money(cents: int, currency: str | None, formatted: str | None = None) -> str | None:
    """Euros as ``€12.50``; another currency as Piggy formats it."""
    return euros(cents) if (currency or "EUR").upper() == "EUR" else formatted


def order_summary(order: Order) -> dict[str, Any]:
    """What an agent needs of an order: ids, status, total in cents and as money, shop, owner and date."""
    return {
        "uuid": order.uuid,
        "external_identifier": order.external_identifier,
        "reference": order.reference,
        "status": order.status,
        "payment_status": order.payment_status,
        "total_order_amount": order.total_order_amount,
        "total": _money(order.total_order_amount, order.currency, order.formatted_total_order_amount),
        "shop": order.business_profile.name if order.business_profile else None,
        "contact_uuid": order.contact.uuid if order.contact else None,
        "date": order.completed_at or order.created_at,
    }


def _line_summary(line: OrderLineItem, currency: str | None) -> dict[str, Any]:
    return {
        "external_identifier": line.external_identifier,
        "name": line.name,
        "quantity": line.quantity,
        "total_amount": line.total_amount,
        "total": _money(line.total_amount, currency),
    }


def _order_details(order: Order) -> dict[str, Any]:
    lines = [_line_summary(line, order.currency) for line in order.line_items]
    out = {**order_summary(order), "line_items": lines[:MAX_LINES_SHOWN]}
    if len(lines) > MAX_LINES_SHOWN:
        out["more_lines"] = f"{len(lines) - MAX_LINES_SHOWN} more lines not shown"
    return out


def order_in_scope(order: Order, contact_uuid: str) -> bool:
    """An order belongs to the scoped customer only when its contact is that customer."""
    return order.contact is not None and order.contact.uuid == contact_uuid


class ListOrdersArgs(ArgsModel):
    contact_uuid: OptionalUuid = Field(None, description="Only this customer's orders.")
    page: PageNo = 1
    limit: Limit = 20


class FindOrderArgs(ArgsModel):
    external_identifier: ExternalIdentifier = Field(description="The order's external_identifier (order number).")


class SimulateOrderArgs(ArgsModel):
    shop_uuid: ShopUuid
    total_order_amount: Annotated[int, Field(ge=0, le=10_000_000), WithJsonSchema({"type": "integer"})] = Field(
        description="Order total in cents (1250 = €12.50)."
    )
    contact_uuid: OptionalUuid = Field(None, description="The customer.")


def _present_simulation(result: OrderResult, args: SimulateOrderArgs) -> dict[str, Any]:
    return {
        "simulated": True,
        "credits": result.points,
        "total_order_amount": args.total_order_amount,
        "total": euros(args.total_order_amount),
        "contact_uuid": args.contact_uuid,
    }


class ReturnLine(ArgsModel):
    external_identifier: ExternalIdentifier = Field(description="The line's external_identifier.")
    quantity: Annotated[int, Field(ge=1, le=100_000), WithJsonSchema({"type": "integer"})] = Field(
        description="How many to return."
    )


class CreateOrderReturnArgs(ArgsModel):
    order_uuid: Uuid = Field(description="The order's uuid (from find_order).")
    line_items: Annotated[list[ReturnLine], Field(max_length=100)] = Field(
        default_factory=list, description="Lines to return; omit for the whole order."
    )
    external_identifier: OptionalExternalIdentifier = Field(
        None,
        validate_default=True,
        description="New unique id for the return; omit it to derive one from this tool call (a retry is a duplicate).",
    )

    @field_validator("external_identifier")
    @classmethod
    def _generated(cls, value: str | None) -> str:
        # The toolkit fills this from the tool call's id; only a call without one (a bare dict) gets a random id.
        return value or f"RETURN-{uuid.uuid4().hex[:16]}"


def _create_order_return(client: Any, args: CreateOrderReturnArgs) -> Any:
    lines = [line.model_dump() for line in args.line_items] if args.line_items else None
    return client.order_returns.create_and_process(
        order={"uuid": args.order_uuid},
        external_identifier=str(args.external_identifier),
        status="COMPLETED",
        line_items=lines,
    )


def _present_return(result: ProcessedOrderReturn, args: CreateOrderReturnArgs) -> dict[str, Any]:
    returned = result.order_return
    points = result.result.points if result.result else None
    return {
        "returned": True,
        "return_uuid": returned.uuid,
        "external_identifier": args.external_identifier,
        "order_uuid": returned.order.uuid,
        "status": returned.status,
        "items_returned": sum(r.quantity for r in returned.line_item_returns),
        "credits": points or 0,
        "new_balance": result.result.new_balance if result.result else None,
    }


def _product_summary(product: Product) -> dict[str, Any]:
    return {
        "uuid": product.uuid,
        "external_identifier": product.external_identifier,
        "name": product.name,
        "categories": [c.name for c in product.categories],
    }


class ListProductsArgs(ArgsModel):
    page: PageNo = 1
    limit: Limit = 20


SPECS: list[ToolSpec] = [
    ToolSpec(
        name="list_orders",
        group="orders",
        title="List orders",
        description=(
            "List orders page by page, optionally one customer's; use find_order when you have the order number. "
            "Returns each order's uuid, external_identifier, status, payment status, total, shop and date."
        ),
        args=ListOrdersArgs,
        call=lambda c, a: c.orders.list(page=a.page, limit=a.limit, contact_uuid=a.contact_uuid),
        present=lambda r, a: page_summary(r, [order_summary(o) for o in r.items], "orders"),
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="find_order",
        group="orders",
        title="Find order",
        description=(
            "Look up one order by its external_identifier (the shop's order number). Returns uuid, status, "
            "payment status, total, shop, customer, date and its line items (external_identifier, name, quantity, "
            "total), as needed for create_order_return."
        ),
        args=FindOrderArgs,
        call=lambda c, a: c.orders.find(a.external_identifier),
        present=lambda r, a: _order_details(r),
        risk=Risk.READ,
        idempotent=True,
        check_scope=order_in_scope,
    ),
    ToolSpec(
        name="simulate_order",
        group="orders",
        title="Simulate order",
        description=(
            "Work out the loyalty credits an order total would earn at a shop, storing nothing: 'how many points "
            "would I get for €X?'. With contact_uuid the customer's tier bonus counts. Returns the credits."
        ),
        args=SimulateOrderArgs,
        call=lambda c, a: c.orders.simulate(
            business_profile_uuid=a.shop_uuid, total_order_amount=a.total_order_amount, contact_uuid=a.contact_uuid
        ),
        present=_present_simulation,
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="create_order_return",
        group="orders",
        title="Create order return",
        description=(
            "Return a whole order or some of its lines (external_identifier from find_order); the customer loses "
            "the credits the returned part earned. Cannot be undone. Returns the return_uuid, credits taken back "
            "(negative) and new balance."
        ),
        args=CreateOrderReturnArgs,
        call=_create_order_return,
        present=_present_return,
        risk=Risk.DESTRUCTIVE,
        scope="exclude",
        extra={"call_id_field": "external_identifier", "call_id_prefix": "RETURN"},
    ),
    ToolSpec(
        name="list_products",
        group="orders",
        title="List products",
        description=(
            "List the product catalogue page by page: uuid, external_identifier (SKU), name and categories. Use it "
            "to name products or answer what is sold; prices are per order, not stored on products."
        ),
        args=ListProductsArgs,
        call=lambda c, a: c.products.list(page=a.page, limit=a.limit),
        present=lambda r, a: page_summary(r, [_product_summary(p) for p in r.items], "products"),
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
]
