"""Engagement tools: hosted forms, referrals and the referral programme, kiosk portal sessions, custom attribute
definitions of any entity, and the perks of tiers."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from piggy_agent_tools.models.engagement import Referral, ReferralSettings
from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import ContactUuid, Limit, PageNo, ShopUuid
from piggy_agent_tools.tools._present import list_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.custom_attributes import CustomAttribute
    from piggy_agent_tools.models.engagement import Form, ReferralContact
    from piggy_agent_tools.models.perks import Perk
    from piggy_agent_tools.models.portal_sessions import PortalSession

MAX_OPTIONS = 20
# The entities of custom-attributes.md ("promotion" holds the fields shared by a promotion's vouchers).
Entity = Literal[
    "contact",
    "voucher",
    "promotion",
    "reward",
    "giftcard",
    "giftcard_transaction",
    "prepaid",
    "booking",
    "visit",
    "shift",
    "business_profiles",
]


class NoArgs(ArgsModel):
    """No arguments."""


# --- forms ----------------------------------------------------------------------------------------------------------


def form_summary(form: Form) -> dict[str, Any]:
    return {"uuid": form.uuid, "name": form.name, "status": form.status, "type": form.type, "url": form.url}


# --- referrals ------------------------------------------------------------------------------------------------------


class ListReferralsArgs(ArgsModel):
    contact_uuid: ContactUuid | None = Field(
        None, description="Only referrals this contact made; friends' emails are then masked."
    )
    page: PageNo = 1
    limit: Limit = 20


def mask_email(email: str | None) -> str | None:
    """``tom.berg@example.com`` -> ``t***@example.com``: enough to recognise a friend, not to contact them."""
    if not email:
        return None
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _referrer_view(referral: Referral) -> Referral:
    """A referral as its referrer may see it: the referred contact only by masked email (no uuid, no extras)."""
    friend = referral.referred_contact
    return Referral(
        uuid=referral.uuid,
        referring_contact=referral.referring_contact,
        status=referral.status,
        referred_email=mask_email(friend.email if friend else None),
    )


def _list_referrals(client: Any, args: ListReferralsArgs) -> Generator[Any, Any, Any]:
    referrals = yield client.referrals.list(referring_contact_uuid=args.contact_uuid, page=args.page, limit=args.limit)
    if args.contact_uuid is None:
        return referrals
    return [_referrer_view(r) for r in referrals]


def _contact(part: ReferralContact | None) -> dict[str, Any] | None:
    return {"uuid": part.uuid, "email": part.email} if part else None


def _referrals(result: list[Referral], args: ListReferralsArgs) -> dict[str, Any]:
    """Piggy sends no pagination meta here (referrals.md): a full page means there may be another."""
    items: list[dict[str, Any]]
    if args.contact_uuid is None:
        items = [
            {
                "uuid": r.uuid,
                "referrer": _contact(r.referring_contact),
                "referred": _contact(r.referred_contact),
                "status": r.status,
            }
            for r in result
        ]
    else:
        items = [
            {"uuid": r.uuid, "friend": (r.model_extra or {}).get("referred_email"), "status": r.status} for r in result
        ]
    out: dict[str, Any] = {"referrer_uuid": args.contact_uuid, "referrals": items, "page": args.page}
    if len(result) >= args.limit:
        out["more"] = f"this page is full: call again with page={args.page + 1}"
    return out


def _referrals_in_scope(result: list[Referral], contact_uuid: str) -> bool:
    """Every referral must have been made by the scoped contact (guards against a filter Piggy ignored)."""
    return all(r.referring_contact is not None and r.referring_contact.uuid == contact_uuid for r in result)


def _incentive(incentive: dict[str, Any] | None) -> dict[str, Any] | None:
    """``{"type": "loyalty_points", "data": {"points": 50, "business_profile": {...}}}`` -> flat, names only."""
    if not incentive:
        return None
    out: dict[str, Any] = {"type": incentive.get("type")}
    for key, value in (incentive.get("data") or {}).items():
        name = "shop" if key == "business_profile" else key
        out[name] = (value.get("name") or value.get("uuid")) if isinstance(value, dict) else value
    return out


def _settings(result: ReferralSettings, args: NoArgs) -> dict[str, Any]:
    """An account without a programme answers every field null (inferred, referrals.md): say so plainly."""
    event = result.completion_event or {}
    if not any(v is not None for v in result.model_dump(include=set(ReferralSettings.model_fields)).values()):
        return {"configured": False, "note": "This account has no referral programme."}
    return {
        "completes_when": {"type": event.get("type"), **(event.get("data") or {})} if event else None,
        "limit_per_contact": result.limit_per_contact,
        "new_customer_gets": _incentive(result.referred_contact_incentive),
        "referrer_gets": _incentive(result.referring_contact_incentive),
    }


# --- portal sessions ------------------------------------------------------------------------------------------------


class PortalSessionArgs(ArgsModel):
    contact_uuid: ContactUuid
    shop_uuid: ShopUuid


def _session(result: PortalSession, args: PortalSessionArgs) -> dict[str, Any]:
    return {
        "portal_session_uuid": result.uuid,
        "url": result.url,
        "contact_uuid": result.contact.uuid if result.contact else None,
        "shop": result.shop.name if result.shop else None,
        "created_at": result.created_at,
    }


# --- custom attributes ----------------------------------------------------------------------------------------------


class ListCustomAttributesArgs(ArgsModel):
    entity: Entity = Field("contact", description="Entity whose fields to list (default contact).")


def custom_attribute_summary(attribute: CustomAttribute) -> dict[str, Any]:
    options = [o.value for o in attribute.options if o.value is not None]
    return {
        "name": attribute.name,
        "label": attribute.label,
        "type": attribute.type,
        "description": attribute.description,
        "options": options[:MAX_OPTIONS] or None,
        "read_only": True if attribute.is_hard_read_only or attribute.is_soft_read_only else None,
    }


def _custom_attributes(result: list[CustomAttribute], args: ListCustomAttributesArgs) -> dict[str, Any]:
    return {"entity": args.entity, **list_summary([custom_attribute_summary(a) for a in result], "attributes", 50)}


# --- perks ----------------------------------------------------------------------------------------------------------


def perk_summary(perk: Perk) -> dict[str, Any]:
    default = next((o for o in perk.options if o.default), None)
    return {
        "uuid": perk.uuid,
        "name": perk.name,
        "label": perk.label,
        "type": perk.data_type,
        "options": [o.label or o.value for o in perk.options][:MAX_OPTIONS],
        "default": (default.label or default.value) if default else None,
    }


SPECS = [
    ToolSpec(
        name="list_forms",
        group="engagement",
        title="List forms",
        description=(
            "List the account's hosted forms (surveys, sign-up or request forms) with uuid, name, status "
            "(PUBLISHED, DRAFT, BIN), type (PUBLIC, PRIVATE) and url. Share a published form's url with a "
            "customer; submissions cannot be read here."
        ),
        args=NoArgs,
        call=lambda c, a: c.forms.list(),
        present=lambda r, a: list_summary([form_summary(f) for f in r], "forms"),
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
    ToolSpec(
        name="list_referrals",
        group="engagement",
        title="List referrals",
        description=(
            "List referrals (friends who joined with a customer's referral code), all or those one customer made, "
            "with status pending, completed (rewards paid) or failed. For the rules and rewards use "
            "get_referral_settings."
        ),
        args=ListReferralsArgs,
        call=_list_referrals,
        present=_referrals,
        risk=Risk.READ,
        idempotent=True,
        check_scope=_referrals_in_scope,
    ),
    ToolSpec(
        name="get_referral_settings",
        group="engagement",
        title="Get referral programme",
        description=(
            "Describe the referral programme: when a referral completes, how many referrals per customer count, "
            "and what the new customer and the referrer each receive. Use it to explain referral rewards."
        ),
        args=NoArgs,
        call=lambda c, a: c.referrals.get_settings(),
        present=_settings,
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
    ToolSpec(
        name="create_portal_session",
        group="engagement",
        title="Create portal session",
        description=(
            "Open a hosted page on a shop's kiosk or screen where this customer earns credits or uses vouchers, "
            "gift cards or prepaid themselves. Moves no value itself; not the login link (get_contacts_portal_url). "
            "Returns the session url."
        ),
        args=PortalSessionArgs,
        call=lambda c, a: c.portal_sessions.create(shop_uuid=a.shop_uuid, contact_uuid=a.contact_uuid),
        present=_session,
        risk=Risk.WRITE,
    ),
    ToolSpec(
        name="list_custom_attributes",
        group="engagement",
        title="List custom attributes",
        description=(
            "List the custom field definitions of one entity: name, label, type, description, select options. "
            "Use it to understand extra fields on vouchers, gift cards, bookings...; to edit a customer profile use "
            "list_contact_attributes."
        ),
        args=ListCustomAttributesArgs,
        call=lambda c, a: c.custom_attributes.list(a.entity),
        present=_custom_attributes,
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
    ToolSpec(
        name="list_perks",
        group="engagement",
        title="List perks",
        description=(
            "List the perks of the loyalty tiers (benefits such as a free refill or a birthday treat) with their "
            "possible values and the default. Use get_loyalty_program for the tiers themselves."
        ),
        args=NoArgs,
        call=lambda c, a: c.perks.list(),
        present=lambda r, a: list_summary([perk_summary(p) for p in r], "perks"),
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
]
