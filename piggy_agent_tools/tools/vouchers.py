"""Voucher tools: promotions, list, find, validate, create, update, redeem and reverse a redemption."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema, model_validator

from piggy_agent_tools.errors import InvalidRequestError, NotFoundError
from piggy_agent_tools.models.promotions import Promotion
from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import Limit, PageNo, ShopUuid, Uuid, omittable
from piggy_agent_tools.tools._present import list_summary, page_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.vouchers import RedeemedVoucher, Voucher


def _code(value: str) -> str:
    """Letters, digits, '-', '_' and '.', not starting with a separator (so "../x" is refused before any request)."""
    if not value[:1].isalnum() or not all(ch.isalnum() or ch in "-_." for ch in value):
        raise ValueError("must be a voucher code of letters, digits, '-', '_' or '.', as printed on the voucher")
    return value


def _iso_date(value: str) -> str:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("must be an ISO 8601 date or time, like 2026-12-31T23:59:00+00:00") from None
    return value


VoucherCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=255),
    AfterValidator(_code),
    WithJsonSchema({"type": "string"}),
    Field(description="The voucher code, as printed."),
]
IsoDate = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_iso_date)]
PromotionUuid = Annotated[Uuid, Field(description="The promotion's UUID (from list_promotions).")]
VoucherStatus = Literal["ACTIVE", "REDEEMED", "EXPIRED", "DEACTIVATED", "INACTIVE", "LOCKED"]
UpdateStatus = Literal["ACTIVE", "DEACTIVATED"]

# Optional arguments: shown as the value's schema or null (strict mode needs the null to leave one out).
OptionalUuid = Annotated[Uuid | None, omittable({"type": "string", "format": "uuid"})]
OptionalCode = Annotated[VoucherCode | None, omittable({"type": "string"})]
OptionalDate = Annotated[IsoDate | None, omittable({"type": "string"})]
OptionalStatus = Annotated[VoucherStatus | None, omittable({"type": "string", "enum": list(get_args(VoucherStatus))})]
OptionalUpdateStatus = Annotated[
    UpdateStatus | None, omittable({"type": "string", "enum": list(get_args(UpdateStatus))})
]


def voucher_summary(voucher: Voucher) -> dict[str, Any]:
    """What an agent needs of a voucher: code, status, promotion name, owner, expiry and, if multi-use, uses left."""
    multi = (voucher.total_redemptions_allowed or 1) > 1
    return {
        "uuid": voucher.uuid,
        "code": voucher.code,
        "status": voucher.status,
        "promotion": voucher.promotion.name if voucher.promotion else voucher.name,
        "contact_uuid": voucher.contact.uuid if voucher.contact else None,
        "expiration_date": voucher.expiration_date,
        "redemptions_remaining": voucher.redemptions_remaining if multi else None,
    }


def voucher_in_scope(voucher: Voucher, contact_uuid: str) -> bool:
    """An unassigned voucher is fine (the customer holds its code); one assigned to another contact is not."""
    return voucher.contact is None or voucher.contact.uuid == contact_uuid


def _promotion_summary(promotion: Promotion) -> dict[str, Any]:
    return {"uuid": promotion.uuid, "name": promotion.name, "description": promotion.description}


def _promotion_details(promotion: Promotion) -> dict[str, Any]:
    seconds = promotion.expiration_duration
    return {
        **_promotion_summary(promotion),
        "type": promotion.type,
        "voucher_limit": promotion.voucher_limit,
        "limit_per_contact": promotion.limit_per_contact,
        "redemptions_per_voucher": promotion.redemptions_per_voucher,
        "valid_days": round(seconds / 86400, 1) if seconds else None,
        "attributes": promotion.attributes,
    }


def _owned_voucher(client: Any, code: str, contact_uuid: str | None) -> Generator[Any, Any, Voucher]:
    """Find the voucher by code and refuse one assigned to another contact than ``contact_uuid`` (when given)."""
    voucher: Voucher = yield client.vouchers.find(code)
    if contact_uuid is not None and not voucher_in_scope(voucher, contact_uuid):
        raise NotFoundError("Voucher not found for this customer.")
    return voucher


class ListPromotionsArgs(ArgsModel):
    promotion_uuid: OptionalUuid = Field(None, description="Get this one promotion's details.")


def _list_promotions(client: Any, args: ListPromotionsArgs) -> Any:
    if args.promotion_uuid:
        return client.promotions.get(args.promotion_uuid)
    return client.promotions.list()


def _present_promotions(result: Any, args: ListPromotionsArgs) -> dict[str, Any]:
    if isinstance(result, Promotion):
        return {"promotion": _promotion_details(result)}
    return list_summary([_promotion_summary(p) for p in result], "promotions")


class ListVouchersArgs(ArgsModel):
    contact_uuid: OptionalUuid = Field(None, description="Only this customer's.")
    promotion_uuid: OptionalUuid = Field(None, description="Only this promotion's.")
    status: OptionalStatus = Field(None, description="Only this status.")
    page: PageNo = 1
    limit: Limit = 20


class FindVoucherArgs(ArgsModel):
    code: VoucherCode


class ValidateVoucherArgs(ArgsModel):
    code: VoucherCode
    contact_uuid: OptionalUuid = Field(None, description="Who would redeem it.")
    shop_uuid: OptionalUuid = Field(None, description="Where it would be used; may be omitted if there is one shop.")


def _validate_voucher(client: Any, args: ValidateVoucherArgs) -> Generator[Any, Any, Any]:
    voucher = yield from _owned_voucher(client, args.code, args.contact_uuid)
    shop_uuid = args.shop_uuid
    if shop_uuid is None:
        # The validate endpoint requires a shop (promotions-vouchers.md, Check validity). With one shop it is that
        # one; with several the answer may differ per shop, so the model is asked to choose instead of a guess.
        shops = yield client.shops.list()
        if len(shops) > 1:
            names = ", ".join(f"{s.name} ({s.uuid})" for s in shops)
            raise InvalidRequestError(
                f"This account has {len(shops)} shops and a voucher's validity can differ per shop; call again "
                f"with shop_uuid, one of: {names}."
            )
        shop_uuid = shops[0].uuid if shops else None
    checked = yield client.vouchers.validate(voucher.uuid, shop_uuid=shop_uuid, contact_uuid=args.contact_uuid)
    return checked


class CreateVoucherArgs(ArgsModel):
    promotion_uuid: PromotionUuid
    contact_uuid: OptionalUuid = Field(None, description="Assign to this customer.")
    code: OptionalCode = Field(None, description="Custom code; omit to generate.")


class UpdateVoucherArgs(ArgsModel):
    """Change the status, the expiration date, or both."""

    voucher_uuid: Uuid = Field(description="The voucher's UUID (from find_voucher).")
    status: OptionalUpdateStatus = Field(None, description="DEACTIVATED blocks use.")
    expiration_date: OptionalDate = Field(None, description="New expiry, ISO 8601.")

    @model_validator(mode="after")
    def _something(self) -> UpdateVoucherArgs:
        if self.status is None and self.expiration_date is None:
            raise ValueError("give status, expiration_date or both")
        return self


class RedeemVoucherArgs(ArgsModel):
    code: VoucherCode
    shop_uuid: ShopUuid
    contact_uuid: OptionalUuid = Field(None, description="Who redeems it (needed if unassigned).")


def _redeem_voucher(client: Any, args: RedeemVoucherArgs) -> Generator[Any, Any, Any]:
    """Check the owner first: a voucher assigned to another contact is never redeemed for this one."""
    yield from _owned_voucher(client, args.code, args.contact_uuid)
    redeemed = yield client.vouchers.redeem(args.code, shop_uuid=args.shop_uuid, contact_uuid=args.contact_uuid)
    return redeemed


def _present_redeemed(result: RedeemedVoucher, args: RedeemVoucherArgs) -> dict[str, Any]:
    redemption = result.voucher_redemption
    return {
        "redeemed": True,
        **voucher_summary(result),
        "redeemed_at": result.redeemed_at,
        "voucher_redemption_uuid": redemption.uuid if redemption else None,
    }


class ReverseRedemptionArgs(ArgsModel):
    voucher_redemption_uuid: Uuid = Field(description="The voucher_redemption_uuid from redeem_voucher.")


SPECS: list[ToolSpec] = [
    ToolSpec(
        name="list_promotions",
        group="vouchers",
        title="List promotions",
        description=(
            "List the voucher promotions (campaigns) with uuid, name and description, to pick one for "
            "create_voucher. With promotion_uuid, returns that promotion's details: limits, validity, uses per "
            "voucher, attributes."
        ),
        args=ListPromotionsArgs,
        call=_list_promotions,
        present=_present_promotions,
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
    ToolSpec(
        name="list_vouchers",
        group="vouchers",
        title="List vouchers",
        description=(
            "List vouchers, optionally of one customer, promotion or status. Use find_voucher when you have a "
            "code. Returns code, status, promotion, expiry and uuid per voucher, a page at a time."
        ),
        args=ListVouchersArgs,
        call=lambda c, a: c.vouchers.list(
            contact_uuid=a.contact_uuid, promotion_uuid=a.promotion_uuid, status=a.status, page=a.page, limit=a.limit
        ),
        present=lambda r, a: page_summary(r, [voucher_summary(v) for v in r.items], "vouchers"),
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="find_voucher",
        group="vouchers",
        title="Find voucher",
        description=(
            "Look up a voucher by its code. Returns uuid, status (ACTIVE, REDEEMED, EXPIRED, DEACTIVATED, "
            "INACTIVE, LOCKED), promotion name, owner, expiration date and uses left. To check it can be redeemed "
            "now, use validate_voucher."
        ),
        args=FindVoucherArgs,
        call=lambda c, a: c.vouchers.find(a.code),
        present=lambda r, a: voucher_summary(r),
        risk=Risk.READ,
        idempotent=True,
        check_scope=voucher_in_scope,
    ),
    ToolSpec(
        name="validate_voucher",
        group="vouchers",
        title="Validate voucher",
        description=(
            "Check whether a voucher can be redeemed now, without redeeming it. Returns the voucher with "
            "valid=true, or an error saying why not (expired, redeemed, deactivated, not yet active, locked)."
        ),
        args=ValidateVoucherArgs,
        call=_validate_voucher,
        present=lambda r, a: {"valid": True, **voucher_summary(r)},
        risk=Risk.READ,
        idempotent=True,
        check_scope=voucher_in_scope,
    ),
    ToolSpec(
        name="create_voucher",
        group="vouchers",
        title="Create voucher",
        description=(
            "Issue a new voucher of a promotion, optionally for one customer and with a custom code. Fails when "
            "the code is taken or the promotion's voucher limit is reached. Returns code, uuid, status and expiry."
        ),
        args=CreateVoucherArgs,
        call=lambda c, a: c.vouchers.create(a.promotion_uuid, code=a.code, contact_uuid=a.contact_uuid),
        present=lambda r, a: {"created": True, **voucher_summary(r)},
        risk=Risk.WRITE,
        scope="exclude",
    ),
    ToolSpec(
        name="update_voucher",
        group="vouchers",
        title="Update voucher",
        description=(
            "Deactivate or reactivate a voucher, or move its expiration date. Its name and description come from "
            "the promotion and cannot be changed per voucher. Returns the updated voucher."
        ),
        args=UpdateVoucherArgs,
        call=lambda c, a: c.vouchers.update(a.voucher_uuid, status=a.status, expiration_date=a.expiration_date),
        present=lambda r, a: {"updated": True, **voucher_summary(r)},
        risk=Risk.DESTRUCTIVE,
        idempotent=True,
        scope="exclude",
    ),
    ToolSpec(
        name="redeem_voucher",
        group="vouchers",
        title="Redeem voucher",
        description=(
            "Use a voucher once at a shop; one assigned to another customer is refused. Returns the new status, "
            "uses left and voucher_redemption_uuid (for reverse_voucher_redemption). On an unknown outcome, check "
            "with find_voucher before retrying."
        ),
        args=RedeemVoucherArgs,
        call=_redeem_voucher,
        present=_present_redeemed,
        risk=Risk.DESTRUCTIVE,
    ),
    ToolSpec(
        name="reverse_voucher_redemption",
        group="vouchers",
        title="Reverse voucher redemption",
        description=(
            "Undo one redemption of a voucher so it can be used again, by the voucher_redemption_uuid that "
            "redeem_voucher returned. Returns the voucher with its restored status."
        ),
        args=ReverseRedemptionArgs,
        call=lambda c, a: c.vouchers.reverse(a.voucher_redemption_uuid),
        present=lambda r, a: {"reversed": a.voucher_redemption_uuid, **voucher_summary(r)},
        risk=Risk.DESTRUCTIVE,
        scope="exclude",
    ),
]
