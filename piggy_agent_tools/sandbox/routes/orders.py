"""Sandbox routes: orders (create, process, find, update, simulate, list) and order returns (orders.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain.order_args import OrderArgs, ReturnArgs, SimulateArgs, UpdateArgs
from piggy_agent_tools.sandbox.domain.order_returns import create_return, return_view
from piggy_agent_tools.sandbox.domain.orders import (
    KIND,
    create_order,
    find_order,
    order_view,
    process_order,
    require_order,
    simulate_order,
    update_order,
)
from piggy_agent_tools.sandbox.envelope import meta_a, ok, slice_page
from piggy_agent_tools.sandbox.errors import fail
from piggy_agent_tools.sandbox.params import validate

router = APIRouter()


class ListArgs(BaseModel):
    # Inferred (orders.md: "GET /orders" parameters not documented, response not recorded): page/limit with
    # meta format A as the sibling products list, plus an optional contact filter.
    page: int = Field(1, ge=1)
    limit: int = Field(30, ge=1, le=100)
    contact_uuid: str | None = None


class FindArgs(BaseModel):
    external_identifier: str = Field(min_length=1)


def _order_args(params: dict[str, Any]) -> OrderArgs:
    """DOCS send the order fields top level; the Postman create example wraps them in ``order`` (orders.md):
    both are accepted."""
    if isinstance(params.get("order"), dict) and "external_identifier" not in params:
        params = params["order"]
    return validate(OrderArgs, params)


@router.get("/orders")
def list_orders(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ListArgs)
    with ctx.read() as tx:
        docs = tx.find(KIND, contact_uuid=args.contact_uuid) if args.contact_uuid else tx.all(KIND)
        page, total, _ = slice_page(docs, args.page, args.limit)
        items = [order_view(tx, d) for d in page]
    return ok(items, meta_a(args.page, args.limit, total))


@router.post("/orders")
def create(ctx: CtxDep) -> JSONResponse:
    """Store an order without processing it (no credits yet)."""
    args = _order_args(ctx.params)
    with ctx.write("orders.create") as tx:
        return ok(order_view(tx, create_order(tx, args)))


@router.post("/orders/create-and-process")
def create_and_process(ctx: CtxDep) -> JSONResponse:
    """Store and process in one transaction: a failure (e.g. 1015) keeps neither the order nor the credits."""
    args = _order_args(ctx.params)
    with ctx.write("orders.create_and_process") as tx:
        order = create_order(tx, args)
        result = process_order(tx, order)
        return ok({"order": order_view(tx, order), "result": result})


@router.post("/orders/simulate")
def simulate(ctx: CtxDep) -> JSONResponse:
    """What processing would award; nothing is written."""
    args = ctx.args(SimulateArgs)
    with ctx.read() as tx:
        return ok(simulate_order(tx, args))


@router.get("/orders/find")
def find(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(FindArgs)
    with ctx.read() as tx:
        order = find_order(tx, args.external_identifier)
        if order is None:
            raise fail(60013)
        return ok(order_view(tx, order))


@router.post("/orders/{order_uuid}/process")
def process(order_uuid: str, ctx: CtxDep) -> JSONResponse:
    """Process a stored order once; the answer is the result object itself (orders.md)."""
    with ctx.write("orders.process", order_uuid=order_uuid) as tx:
        return ok(process_order(tx, require_order(tx, order_uuid)))


@router.put("/orders/{order_uuid}")
def update(order_uuid: str, ctx: CtxDep) -> JSONResponse:
    args = ctx.args(UpdateArgs)
    with ctx.write("orders.update", order_uuid=order_uuid) as tx:
        order = update_order(require_order(tx, order_uuid), args.status, args.payment_status)
        tx.put(KIND, order)
        return ok(order_view(tx, order))


@router.post("/order-returns/create-and-process")
def create_and_process_return(ctx: CtxDep) -> JSONResponse:
    args = ctx.args(ReturnArgs)
    with ctx.write("order_returns.create_and_process") as tx:
        doc, result = create_return(tx, args)
    return ok({"return": return_view(doc), "result": result})
