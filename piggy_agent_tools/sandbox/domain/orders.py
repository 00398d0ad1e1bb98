"""Orders (orders.md): stored as given, processed once into credits by the program's default-unit rule.

Error codes for orders are not documented (orders.md). Inferred: unknown order 60013 Model not found; a
duplicate external identifier, a second processing, or a reference to a line the order does not have are 1003
Invalid input naming the field; unknown contact 55031 and shop 1008 as everywhere else.
"""

from __future__ import annotations

import math
from typing import Any

from piggy_agent_tools.sandbox.domain.commerce_time import normalise_time
from piggy_agent_tools.sandbox.domain.contacts import require_contact, tier_for
from piggy_agent_tools.sandbox.domain.credits import create_credit_reception
from piggy_agent_tools.sandbox.domain.order_args import Charge, Discount, LineItem, OrderArgs, SimulateArgs, SubLineItem
from piggy_agent_tools.sandbox.domain.products import product_for_line
from piggy_agent_tools.sandbox.domain.program import credits_for, require_unit
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx, new_uuid, now_iso

KIND = "order"
POINTS = "POINTS_TRANSACTION"
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def require_order(tx: Tx, order_uuid: str) -> Doc:
    """The stored order, or 60013 Model not found (inferred, see module docstring)."""
    doc = tx.get(KIND, order_uuid)
    if doc is None:
        raise fail(60013)
    return doc


def find_order(tx: Tx, external_identifier: str) -> Doc | None:
    return tx.find_one(KIND, external_identifier=external_identifier)


def points_for(tx: Tx, contact: Doc | None, total_cents: int) -> int:
    """Credits an order total earns: the default unit (major units, €) times the contact's tier multiplier.

    Inferred (orders.md: processing is done by "the account's configured Order Action"): the sandbox's Order
    Action is the program's earning rule on ``total_order_amount`` converted from cents to the unit's major units.
    """
    unit = require_unit(tx, None)
    tier = tier_for(tx, int(contact.get("credits_received", 0))) if contact else None
    return credits_for(unit, total_cents / 100, tier)


def _line(tx: Tx, item: SubLineItem, field: str) -> Doc:
    product = product_for_line(tx, item.product.model_dump() if item.product else None, item.name)
    return {
        "uuid": new_uuid(),
        "external_identifier": item.external_identifier,
        "name": item.name,
        "quantity": item.quantity,
        "price": item.price,
        "total_amount": item.total_amount,
        "discount_amount": item.discount_amount,
        "product": {"external_identifier": product["external_identifier"], "name": product["name"]}
        if product
        else None,
        "returned_quantity": 0,
        "field": field,
    }


def _lines(tx: Tx, items: list[LineItem]) -> list[Doc]:
    """Stored lines; external identifiers must be unique within the order (orders.md)."""
    seen: set[str] = set()
    lines: list[Doc] = []
    for i, item in enumerate(items):
        line = _line(tx, item, f"line_items.{i}")
        line["result"] = item.result
        line["sub_line_items"] = [
            _line(tx, sub, f"line_items.{i}.sub_line_items.{j}") for j, sub in enumerate(item.sub_line_items)
        ]
        for part in (line, *line["sub_line_items"]):
            if part["external_identifier"] in seen:
                raise invalid({f"{part['field']}.external_identifier": ["The external identifier must be unique."]})
            seen.add(part["external_identifier"])
            part.pop("field")
        lines.append(line)
    return lines


def _check_discount_targets(discounts: list[Discount], lines: list[Doc], charges: list[Charge]) -> None:
    """A discount may only point at lines, sub-lines and charges this order has (1003 otherwise)."""
    line_ids = {line["external_identifier"] for line in lines}
    sub_ids = {sub["external_identifier"] for line in lines for sub in line["sub_line_items"]}
    charge_ids = {c.external_identifier for c in charges}
    for i, discount in enumerate(discounts):
        for key, known in (("line_items", line_ids), ("sub_line_items", sub_ids), ("charges", charge_ids)):
            for j, ref in enumerate(getattr(discount, key)):
                if ref.external_identifier not in known:
                    raise invalid({f"applied_discounts.{i}.{key}.{j}": [f"The selected {key[:-1]} is invalid."]})


def create_order(tx: Tx, args: OrderArgs, *, uuid: str | None = None) -> Doc:
    """Validate references and store a new, unprocessed order."""
    if find_order(tx, args.external_identifier) is not None:
        raise invalid({"external_identifier": ["The external identifier has already been taken."]})
    contact = require_contact(tx, args.contact.uuid)
    shop = require_shop(tx, args.business_profile.uuid)
    lines = _lines(tx, args.line_items)
    _check_discount_targets(args.applied_discounts, lines, args.charges)
    account = tx.get("account", "account") or {}
    line_total = sum(line["total_amount"] + sum(s["total_amount"] for s in line["sub_line_items"]) for line in lines)
    stamp = now_iso()
    return tx.insert(
        KIND,
        {
            "external_identifier": args.external_identifier,
            "reference": args.reference,
            "status": args.status,
            "payment_status": args.payment_status,
            "currency": (args.currency or account.get("currency") or "EUR").upper(),
            "order_amount": args.order_amount if args.order_amount is not None else line_total,
            "total_charges_amount": sum(c.total_amount for c in args.charges),
            "total_discount_amount": args.total_discount_amount
            if args.total_discount_amount is not None
            else sum(d.amount for d in args.applied_discounts),
            "total_order_amount": args.total_order_amount,
            "paid_at": normalise_time("paid_at", args.paid_at),
            "completed_at": normalise_time("completed_at", args.completed_at),
            "contact_uuid": contact["uuid"],
            "shop_uuid": shop["uuid"],
            "line_items": lines,
            "applied_discounts": [
                {"uuid": new_uuid(), **d.model_dump(exclude_none=True)} for d in args.applied_discounts
            ],
            "charges": [c.model_dump() for c in args.charges],
            "payments": args.payments,
            "processed": False,
            "points": 0,
            "points_reversed": 0,
            "credit_reception_uuid": None,
            "created_at": stamp,
            "updated_at": stamp,
        },
        uuid=uuid,
    )


def process_order(tx: Tx, order: Doc, *, at: str | None = None) -> dict[str, Any]:
    """Run the Order Action once: award the order's credits to its contact and return the result object.

    A second processing is refused (1003). Inferred: a CANCELLED order is processed but earns nothing.
    """
    if order.get("processed"):
        raise invalid({"order": ["The order has already been processed."]})
    contact = require_contact(tx, order["contact_uuid"])
    shop = require_shop(tx, order["shop_uuid"])
    points = 0 if order["status"] == "CANCELLED" else points_for(tx, contact, int(order["total_order_amount"]))
    if points:
        unit = require_unit(tx, None)
        reception = create_credit_reception(
            tx, contact, shop, unit, credits=points, unit_value=order["total_order_amount"] / 100, created_at=at
        )
        order["credit_reception_uuid"] = reception["uuid"]
    order.update(processed=True, points=points, processed_at=at or now_iso(), updated_at=at or now_iso())
    tx.put(KIND, order)
    return {"type": POINTS, "data": {"points": points, "new_balance": int(contact.get("credit_balance", 0))}}


def simulate_order(tx: Tx, args: SimulateArgs) -> dict[str, Any]:
    """What processing would award, without writing. Without a contact, contact rules (tiers) are skipped."""
    require_shop(tx, args.business_profile.uuid)
    contact = require_contact(tx, args.contact.uuid) if args.contact else None
    points = 0 if args.status == "CANCELLED" else points_for(tx, contact, args.total_order_amount)
    # orders.md: simulate answers lowercase "points_transaction" and only ``points``.
    return {"type": "points_transaction", "data": {"points": points}}


def update_order(order: Doc, status: str | None, payment_status: str | None) -> Doc:
    """Change status / payment status; first PAID sets ``paid_at``, first COMPLETED sets ``completed_at``."""
    stamp = now_iso()
    if status is not None:
        order["status"] = status
        if status == "COMPLETED" and not order.get("completed_at"):
            order["completed_at"] = stamp
    if payment_status is not None:
        order["payment_status"] = payment_status
        if payment_status == "PAID" and not order.get("paid_at"):
            order["paid_at"] = stamp
    order["updated_at"] = stamp
    return order


def formatted_amount(cents: int, currency: str) -> str:
    """``€ 33.31`` as recorded: symbol, a space, two decimals."""
    return f"{_SYMBOLS.get(currency, currency)} {cents / 100:.2f}"


def _line_view(line: Doc, *, with_subs: bool) -> dict[str, Any]:
    keys = ("uuid", "external_identifier", "name", "quantity", "price", "total_amount", "discount_amount", "product")
    view = {k: line.get(k) for k in keys}
    if with_subs:
        view["sub_line_items"] = [_line_view(s, with_subs=False) for s in line.get("sub_line_items", [])]
    return view


def _discount_view(discount: Doc) -> dict[str, Any]:
    view = {k: discount.get(k) for k in ("uuid", "external_identifier", "name", "amount", "type", "value")}
    view["applied_to"] = discount.get("applied_to")
    for key in ("line_items", "sub_line_items", "charges"):
        if discount.get(key):
            view[key] = [{"external_identifier": r.get("external_identifier")} for r in discount[key]]
    return view


def _charge_view(charge: Doc) -> dict[str, Any]:
    definition = charge.get("charge_definition") or {}
    return {
        "external_identifier": charge["external_identifier"],
        "type": definition.get("external_identifier") or charge.get("type"),
        "name": charge["name"],
        "amount": charge.get("amount") if charge.get("amount") is not None else charge["total_amount"],
        "discount_amount": charge.get("discount_amount", 0),
        "total_amount": charge["total_amount"],
    }


def order_view(tx: Tx, order: Doc) -> dict[str, Any]:
    """The Order object of orders.md; the contact's email is read live (null once the contact is gone)."""
    contact = tx.get("contact", order["contact_uuid"])
    shop = tx.get("shop", order["shop_uuid"])
    return {
        "uuid": order["uuid"],
        "contact": {"uuid": order["contact_uuid"], "email": contact["email"] if contact else None},
        "business_profile": {"uuid": shop["uuid"], "name": shop["name"]} if shop else None,
        "external_identifier": order["external_identifier"],
        "reference": order.get("reference"),
        "status": order["status"],
        "payment_status": order["payment_status"],
        "currency": order["currency"],
        "formatted_total_order_amount": formatted_amount(order["total_order_amount"], order["currency"]),
        "order_amount": order["order_amount"],
        "total_charges_amount": order["total_charges_amount"],
        "total_discount_amount": order["total_discount_amount"],
        "total_order_amount": order["total_order_amount"],
        "paid_at": order.get("paid_at"),
        "completed_at": order.get("completed_at"),
        "line_items": [_line_view(line, with_subs=True) for line in order["line_items"]],
        "applied_discounts": [_discount_view(d) for d in order.get("applied_discounts", [])],
        "charges": [_charge_view(c) for c in order.get("charges", [])],
        "created_at": order["created_at"],
        "updated_at": order["updated_at"],
    }


def proportional_points(earned: int, refunded_cents: int, total_cents: int) -> int:
    """The share of ``earned`` credits that ``refunded_cents`` of ``total_cents`` stands for, rounded half up.

    credit-receptions.md recommends "for partial refunds a negative credits proportional to the refunded share".
    """
    if total_cents <= 0 or refunded_cents <= 0:
        return 0
    return math.floor(earned * refunded_cents / total_cents + 0.5)
