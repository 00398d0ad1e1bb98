"""Order returns (orders.md "Order Returns"): returned items take back the proportional share of earned credits.

Rules, inferred where orders.md is silent (each says so): quantities can never exceed what is left to return;
a COMPLETED return of a processed order reverses ``earned × refunded / total_order_amount`` credits (rounded
half up, never more than is left), and a return that leaves nothing un-returned reverses all that is left.
"""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.domain.order_args import ReturnArgs, ReturnedLine, ReturnedSubLine
from piggy_agent_tools.sandbox.domain.orders import KIND as ORDER
from piggy_agent_tools.sandbox.domain.orders import POINTS, find_order, proportional_points
from piggy_agent_tools.sandbox.domain.program import require_unit
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, new_uuid, now_iso

KIND = "order_return"


def require_returned_order(tx: Tx, args: ReturnArgs) -> Doc:
    """The original order by ``{uuid}`` or ``{external_identifier}``; 60013 when unknown (inferred)."""
    order = None
    if args.order.uuid:
        order = tx.get(ORDER, args.order.uuid)
    elif args.order.external_identifier:
        order = find_order(tx, args.order.external_identifier)
    else:
        raise invalid({"order": ["The order field needs a uuid or an external identifier."]})
    if order is None:
        raise fail(60013)
    return order


def _take(line: Doc, wanted: ReturnedSubLine, field: str) -> int:
    """Book ``wanted.quantity`` as returned on ``line``; return the refunded cents (1003 when too many).

    orders.md: an omitted ``total_amount`` is "computed from remaining qty×price, discounts may be ignored".
    """
    left = int(line["quantity"]) - int(line.get("returned_quantity", 0))
    if wanted.quantity > left:
        raise invalid({f"{field}.quantity": [f"The quantity may not be greater than {left}."]})
    line["returned_quantity"] = int(line.get("returned_quantity", 0)) + wanted.quantity
    return wanted.total_amount if wanted.total_amount is not None else wanted.quantity * int(line["price"])


def _everything(order: Doc) -> list[ReturnedLine]:
    """Inferred (orders.md marks ``line_items`` optional): a return naming nothing returns all that is left."""
    out = []
    for line in order["line_items"]:
        subs = [
            ReturnedSubLine(
                external_identifier=s["external_identifier"], quantity=s["quantity"] - s["returned_quantity"]
            )
            for s in line["sub_line_items"]
            if s["quantity"] > s["returned_quantity"]
        ]
        left = line["quantity"] - line["returned_quantity"]
        if left > 0:
            out.append(
                ReturnedLine(external_identifier=line["external_identifier"], quantity=left, sub_line_items=subs)
            )
    return out


def _book_lines(order: Doc, wanted: list[ReturnedLine]) -> tuple[int, list[Doc], list[Doc]]:
    """Mark returned quantities on the order's lines: (refunded cents, line returns, sub-line returns)."""
    by_id = {line["external_identifier"]: line for line in order["line_items"]}
    refunded, line_returns, sub_returns = 0, [], []
    for i, item in enumerate(wanted):
        line = by_id.get(item.external_identifier)
        if line is None:
            raise invalid({f"line_items.{i}.external_identifier": ["The selected line item is invalid."]})
        refunded += _take(line, item, f"line_items.{i}")
        line_returns.append({"uuid": new_uuid(), "quantity": item.quantity, "line_item": {"uuid": line["uuid"]}})
        subs = {s["external_identifier"]: s for s in line["sub_line_items"]}
        for j, sub_item in enumerate(item.sub_line_items):
            sub = subs.get(sub_item.external_identifier)
            field = f"line_items.{i}.sub_line_items.{j}"
            if sub is None:
                raise invalid({f"{field}.external_identifier": ["The selected sub line item is invalid."]})
            refunded += _take(sub, sub_item, field)
            sub_returns.append(
                {"uuid": new_uuid(), "quantity": sub_item.quantity, "sub_line_item": {"uuid": sub["uuid"]}}
            )
    return refunded, line_returns, sub_returns


def _check_extras(order: Doc, args: ReturnArgs) -> None:
    """Returned charges and discounts must be the order's own; a charge is refunded at most once (1003)."""
    returned = set(order.get("returned_charges", []))
    for i, charge in enumerate(args.charges):
        known = {c["external_identifier"] for c in order.get("charges", [])}
        if charge.external_identifier not in known or charge.external_identifier in returned:
            raise invalid({f"charges.{i}.external_identifier": ["The selected charge is invalid."]})
        returned.add(charge.external_identifier)
    for i, discount in enumerate(args.applied_discounts):
        if discount.external_identifier not in {d["external_identifier"] for d in order.get("applied_discounts", [])}:
            raise invalid({f"applied_discounts.{i}.external_identifier": ["The selected discount is invalid."]})
    if args.status == "COMPLETED":
        order["returned_charges"] = sorted(returned)


def _fully_returned(order: Doc) -> bool:
    parts = [p for line in order["line_items"] for p in (line, *line["sub_line_items"])]
    return all(p["returned_quantity"] >= p["quantity"] for p in parts)


def create_return(tx: Tx, args: ReturnArgs) -> tuple[Doc, dict[str, Any] | None]:
    """Store the return and, when COMPLETED, reverse its share of the order's credits; returns (return, result).

    Inferred: a PENDING return is recorded but neither reserves quantities nor moves credits (there is no
    endpoint to complete it later), and an unprocessed order has no credits to reverse; both give ``result`` null.
    """
    order = require_returned_order(tx, args)
    if tx.find_one(KIND, external_identifier=args.external_identifier) is not None:
        raise invalid({"external_identifier": ["The external identifier has already been taken."]})
    _check_extras(order, args)
    wanted = args.line_items or ([] if args.charges or args.applied_discounts else _everything(order))
    working = order if args.status == "COMPLETED" else {**order, "line_items": _copy_lines(order)}
    refunded, line_returns, sub_returns = _book_lines(working, wanted)
    refunded += sum(c.total_amount for c in args.charges) - sum(d.amount for d in args.applied_discounts)
    refunded = max(refunded, 0)
    result: dict[str, Any] | None = None
    reversed_points = 0
    if args.status == "COMPLETED" and order.get("processed"):
        contact = require_contact(tx, order["contact_uuid"])
        left = int(order.get("points", 0)) - int(order.get("points_reversed", 0))
        share = proportional_points(int(order.get("points", 0)), refunded, int(order["total_order_amount"]))
        reversed_points = left if _fully_returned(order) else min(left, share)
        if reversed_points > 0:
            # The balance never goes below zero (1017), as for every other deduction in the sandbox.
            shop = require_shop(tx, order["shop_uuid"])
            create_credit_reception(
                tx,
                contact,
                shop,
                require_unit(tx, None),
                credits=-reversed_points,
                reverses=order["credit_reception_uuid"],
            )
        order["points_reversed"] = int(order.get("points_reversed", 0)) + reversed_points
        result = {"type": POINTS, "data": {"points": -reversed_points, "new_balance": int(contact["credit_balance"])}}
    if args.status == "COMPLETED":
        order["updated_at"] = now_iso()
        tx.put(ORDER, order)
    doc = tx.insert(
        KIND,
        {
            "external_identifier": args.external_identifier,
            "status": args.status,
            "order_uuid": order["uuid"],
            "contact_uuid": order["contact_uuid"],
            "line_item_returns": line_returns,
            "sub_line_item_returns": sub_returns,
            "refunded_amount": refunded,
            "points": -reversed_points,
            "created_at": now_iso(),
        },
    )
    return doc, result


def _copy_lines(order: Doc) -> list[Doc]:
    return [{**line, "sub_line_items": [dict(s) for s in line["sub_line_items"]]} for line in order["line_items"]]


def return_view(doc: Doc) -> dict[str, Any]:
    """The recorded return object ``{uuid, status, order, line_item_returns, sub_line_item_returns}``."""
    return {
        "uuid": doc["uuid"],
        "status": doc["status"],
        "order": {"uuid": doc["order_uuid"]},
        "line_item_returns": doc["line_item_returns"],
        "sub_line_item_returns": doc["sub_line_item_returns"],
    }
