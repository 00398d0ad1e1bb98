"""Sandbox routes: the loyalty transactions list (credit and reward receptions) and loyalty transaction attributes
(loyalty-transactions.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from piggy_agent_tools.sandbox.context import CtxDep
from piggy_agent_tools.sandbox.domain import credits, rewards
from piggy_agent_tools.sandbox.domain.contact_attributes import DATA_TYPES
from piggy_agent_tools.sandbox.domain.contacts import require_contact
from piggy_agent_tools.sandbox.domain.shops import require_shop
from piggy_agent_tools.sandbox.envelope import meta_a, ok, slice_page
from piggy_agent_tools.sandbox.errors import fail, invalid
from piggy_agent_tools.sandbox.store import Doc, Tx

router = APIRouter()
_KINDS = {"credit_receptions": credits.KIND, "reward_receptions": rewards.RECEPTION}
# Fields of the Credit Reception object and its create body: an attribute with one of these names would clash.
_RESERVED = frozenset(
    {
        "type",
        "uuid",
        "credits",
        "unit_value",
        "unit",
        "unit_name",
        "contact",
        "contact_uuid",
        "shop",
        "shop_uuid",
        "contact_identifier",
        "contact_identifier_value",
        "pos_transaction_uuid",
        "pos_transaction_id",
        "created_at",
        "channel",
    }
)


class DateRange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gt: datetime | None = None
    gte: datetime | None = None
    lt: datetime | None = None
    lte: datetime | None = None

    @field_validator("*", mode="after")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        """A date without an offset is read as UTC."""
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class ListArgs(BaseModel):
    page: int = Field(1, ge=1)
    limit: int = Field(10, ge=1, le=100)
    type: Literal["credit_receptions", "reward_receptions"] | None = None
    contact_uuid: str | None = None
    shop_uuid: str | None = None
    sort: Literal["created_at", "-created_at"] = "-created_at"
    created_at: DateRange | None = None


class AttributeArgs(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    data_type: str
    label: str | None = Field(None, max_length=255)
    description: str | None = None
    placeholder: str | None = None
    options: dict[str, Any] | list[Any] | None = None

    @field_validator("data_type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        """One of the shared attribute data types (README §10)."""
        if value not in DATA_TYPES:
            raise ValueError("The selected data type is invalid.")
        return value


def _in_range(doc: Doc, when: DateRange | None) -> bool:
    if when is None:
        return True
    at = datetime.fromisoformat(doc["created_at"])
    return (
        (when.gt is None or at > when.gt)
        and (when.gte is None or at >= when.gte)
        and (when.lt is None or at < when.lt)
        and (when.lte is None or at <= when.lte)
    )


def _view(tx: Tx, kind: str, doc: Doc) -> dict[str, Any]:
    if kind == credits.KIND:
        return credits.credit_reception_view(tx, doc)
    return rewards.reward_reception_view(tx, doc)


@router.get("/loyalty-transactions")
def list_transactions(ctx: CtxDep) -> JSONResponse:
    """Credit and reward receptions, filtered and sorted by ``created_at`` (newest first unless ``sort``)."""
    args = ctx.args(ListArgs)
    kinds = [_KINDS[args.type]] if args.type else list(_KINDS.values())
    where: dict[str, Any] = {}
    with ctx.read() as tx:
        # Inferred: unknown filter ids answer their not-found codes rather than an empty page.
        if args.contact_uuid:
            where["contact_uuid"] = require_contact(tx, args.contact_uuid)["uuid"]
        if args.shop_uuid:
            where["shop_uuid"] = require_shop(tx, args.shop_uuid)["uuid"]
        found = [(kind, doc) for kind in kinds for doc in tx.find(kind, **where) if _in_range(doc, args.created_at)]
        found.sort(key=lambda item: (datetime.fromisoformat(item[1]["created_at"]), item[1]["id"]))
        if args.sort == "-created_at":
            found.reverse()
        items, total, _last = slice_page(found, args.page, args.limit)
        data = [_view(tx, kind, doc) for kind, doc in items]
    meta = meta_a(args.page, args.limit, total)
    meta["limit"] = args.limit  # recorded as a number here (leat-openapi.yaml, List Loyalty Transactions)
    return ok(data, meta)


def _attribute_view(doc: Doc) -> dict[str, Any]:
    return {
        "name": doc["name"],
        "label": doc.get("label") or doc["name"],
        "placeholder": doc.get("placeholder"),
        "type": doc["data_type"],
        "field_type": doc["data_type"],
        "options": doc.get("options") if doc.get("options") is not None else [],
        "is_piggy_defined": False,
        "is_soft_read_only": False,
        "is_hard_read_only": False,
    }


@router.get("/loyalty-transaction-attributes")
@router.get("/loyalty-transaction-attributes/")  # the Postman collection records the trailing slash
def list_attributes(ctx: CtxDep) -> JSONResponse:
    with ctx.read() as tx:
        return ok([_attribute_view(a) for a in tx.all(credits.ATTRIBUTE_KIND)], {})


@router.post("/loyalty-transaction-attributes")
def create_attribute(ctx: CtxDep) -> JSONResponse:
    """A new attribute; its values are then accepted as top-level fields of credit receptions and echoed."""
    args = ctx.args(AttributeArgs)
    if args.name in _RESERVED:
        raise invalid({"name": [f"The name {args.name} is reserved by the credit reception."]})
    if args.data_type in ("select", "multi_select") and not args.options:
        raise invalid({"options": ["The options field is required for select attributes."]})
    with ctx.write("loyalty_transaction_attributes.create") as tx:
        if tx.find_one(credits.ATTRIBUTE_KIND, name=args.name):
            raise fail(60009)  # Inferred (loyalty-transactions.md: "60009 Attribute already exists likely")
        doc = tx.insert(credits.ATTRIBUTE_KIND, args.model_dump())
        return ok(_attribute_view(doc), {})
