"""Loyalty tools: award credits, calculate them, reverse an award, read history and the program itself."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Literal

from pydantic import Field, model_validator

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import ContactUuid, IsoDate, Limit, PageNo, ShopUuid, Uuid
from piggy_agent_tools.tools._ownership import require_owned
from piggy_agent_tools.tools._present import page_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec


def _get(obj: Any, *path: str) -> Any:
    """Read a nested field from a model or dict; None when absent."""
    for key in path:
        if obj is None:
            return None
        obj = obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)
    return obj


def reception_summary(reception: Any) -> dict[str, Any]:
    return {
        "credit_reception_uuid": _get(reception, "uuid"),
        "credits": _get(reception, "credits"),
        "unit_value": _get(reception, "unit_value"),
        "balance": _get(reception, "contact", "credit_balance", "balance"),
        "shop": _get(reception, "shop", "name"),
    }


class AwardCreditsArgs(ArgsModel):
    """Give exactly one of credits or unit_value."""

    contact_uuid: ContactUuid
    shop_uuid: ShopUuid
    credits: int | None = Field(None, gt=0, le=100_000, description="Explicit credits to add (overrides the rules).")
    unit_value: float | None = Field(
        None, gt=0, le=100_000, description="Purchase amount in major units, e.g. 12.50 for €12.50 (rules apply)."
    )
    unit_name: str | None = Field(None, max_length=64, description="Unit of unit_value; default: the purchase amount.")

    @model_validator(mode="after")
    def _one_amount(self) -> AwardCreditsArgs:
        if (self.credits is None) == (self.unit_value is None):
            raise ValueError("give exactly one of credits or unit_value")
        return self


class CalculateArgs(ArgsModel):
    shop_uuid: ShopUuid
    unit_value: float = Field(gt=0, le=100_000, description="Purchase amount in major units, e.g. 12.50.")
    unit_name: str | None = Field(None, max_length=64, description="Unit of unit_value; default: purchase amount.")
    contact_uuid: ContactUuid | None = Field(None, description="Include this customer's tier bonus.")


class ReverseCreditsArgs(ArgsModel):
    credit_reception_uuid: Uuid = Field(description="The award to take back (from award_credits or the history).")
    contact_uuid: ContactUuid | None = Field(None, description="If given, refuse unless the award is this customer's.")


def _reverse_credits(client: Any, args: ReverseCreditsArgs) -> Generator[Any, Any, Any]:
    if args.contact_uuid:
        yield from require_owned(
            client,
            args.contact_uuid,
            "credit_receptions",
            args.credit_reception_uuid,
            "This credit reception does not belong to the customer.",
        )
    reversal = yield client.credit_receptions.reverse(args.credit_reception_uuid)
    return reversal


def _date_range(after: str | None, before: str | None) -> dict[str, str] | None:
    """Piggy's ``created_at`` filter: ``gte`` the lower bound, ``lt`` the upper; None when neither is given."""
    bounds = {op: value for op, value in (("gte", after), ("lt", before)) if value}
    return bounds or None


class TransactionsArgs(ArgsModel):
    contact_uuid: ContactUuid | None = Field(None, description="Only this customer's transactions.")
    shop_uuid: ShopUuid | None = Field(None, description="Only transactions at this shop.")
    type: Literal["credit_receptions", "reward_receptions"] | None = Field(None, description="Only this kind.")
    created_after: IsoDate | None = Field(None, description="ISO 8601 date; only transactions at or after it.")
    created_before: IsoDate | None = Field(None, description="ISO 8601 date; only transactions before it.")
    page: PageNo = 1
    limit: Limit = 20


def _transaction(item: Any) -> dict[str, Any]:
    return {
        "uuid": _get(item, "uuid"),
        "type": _get(item, "type"),
        "credits": _get(item, "credits"),
        "title": _get(item, "title"),
        "shop": _get(item, "shop", "name"),
        "created_at": _get(item, "created_at"),
    }


class NoArgs(ArgsModel):
    """No arguments."""


def _program(client: Any, args: NoArgs) -> Generator[Any, Any, Any]:
    program = yield client.loyalty_program.get()
    tiers = yield client.tiers.list()
    units = yield client.units.list()
    giftcard_programs = yield client.giftcard_programs.list()
    return {"program": program, "tiers": tiers, "units": units, "giftcard_programs": giftcard_programs}


def _program_summary(result: dict[str, Any], args: Any) -> dict[str, Any]:
    program = result["program"]
    return {
        "name": _get(program, "name"),
        "credit_name": _get(program, "custom_credit_name"),
        "max_credits": _get(program, "max_amount"),
        "tiers": [
            {"name": _get(t, "name"), "position": _get(t, "position"), "description": _get(t, "description")}
            for t in result["tiers"]
        ],
        "units": [
            {"name": _get(u, "name"), "label": _get(u, "label"), "default": _get(u, "is_default")}
            for u in result["units"]
        ],
        "giftcard_programs": [
            {
                "uuid": _get(p, "uuid"),
                "name": _get(p, "name"),
                "active": _get(p, "active"),
                "max_amount_in_cents": _get(p, "max_amount_in_cents"),
                "expiration_days": _get(p, "expiration_days"),
            }
            for p in result.get("giftcard_programs", [])
        ],
    }


SPECS = [
    ToolSpec(
        name="award_credits",
        group="loyalty",
        title="Award credits",
        description=(
            "Add credits to a customer: either a purchase amount in unit_value (the program's rules and tier bonus "
            "apply) or an explicit number of credits. Returns the credits added and the new balance."
        ),
        args=AwardCreditsArgs,
        call=lambda c, a: c.credit_receptions.create(
            contact_uuid=a.contact_uuid,
            shop_uuid=a.shop_uuid,
            credits=a.credits,
            unit_value=a.unit_value,
            unit_name=a.unit_name,
        ),
        present=lambda r, a: reception_summary(r),
        risk=Risk.WRITE,
    ),
    ToolSpec(
        name="calculate_credits",
        group="loyalty",
        title="Calculate credits",
        description=(
            "Calculate how many credits a purchase amount would earn, without awarding anything. Use it to answer "
            "'how many points would I get'. Returns the credits."
        ),
        args=CalculateArgs,
        call=lambda c, a: c.credit_receptions.calculate(
            shop_uuid=a.shop_uuid, unit_value=a.unit_value, unit_name=a.unit_name, contact_uuid=a.contact_uuid
        ),
        present=lambda r, a: {"credits": _get(r, "credits"), "unit_value": a.unit_value},
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="reverse_credit_reception",
        group="loyalty",
        title="Reverse credit award",
        description=(
            "Take back the credits of an earlier award (for a refunded purchase or a mistake). Fails if the "
            "customer has already spent them. Returns the reversal and the new balance."
        ),
        args=ReverseCreditsArgs,
        call=_reverse_credits,
        present=lambda r, a: {"reversed": a.credit_reception_uuid, **reception_summary(r)},
        risk=Risk.DESTRUCTIVE,
    ),
    ToolSpec(
        name="list_loyalty_transactions",
        group="loyalty",
        title="List loyalty transactions",
        description=(
            "List credit history: credits earned and rewards claimed, newest first, filterable by customer, shop, "
            "type and date. Returns up to `limit` transactions and how to get more."
        ),
        args=TransactionsArgs,
        call=lambda c, a: c.loyalty_transactions.list(
            contact_uuid=a.contact_uuid,
            shop_uuid=a.shop_uuid,
            type=a.type,
            sort="-created_at",
            created_at=_date_range(a.created_after, a.created_before),
            page=a.page,
            limit=a.limit,
        ),
        present=lambda r, a: page_summary(r, [_transaction(t) for t in r.items], "transactions"),
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="get_loyalty_program",
        group="loyalty",
        title="Get loyalty program",
        description=(
            "Describe the loyalty program: its name, what the credits are called, the maximum balance, the tiers, "
            "the units credits are earned on and the gift-card programs (uuid, maximum card balance, validity). "
            "Use it to explain how the program works."
        ),
        args=NoArgs,
        call=_program,
        present=_program_summary,
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
]
