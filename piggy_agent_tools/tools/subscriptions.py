"""Contact extras: profile attribute definitions, subscriptions (opt-in/opt-out), claiming anonymous contacts and
the Contacts Portal login link. Group ``contacts``; the core contact tools live in ``tools/contacts.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import ContactUuid, Email, Uuid
from piggy_agent_tools.tools._present import list_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec
from piggy_agent_tools.tools.contacts import contact_summary

if TYPE_CHECKING:
    from piggy_agent_tools.models.contact_attributes import ContactAttribute
    from piggy_agent_tools.models.subscriptions import Subscription, SubscriptionType

MAX_OPTIONS = 20
PENDING = "PENDING_CONFIRMATION"


class NoArgs(ArgsModel):
    """No arguments."""


class ContactArgs(ArgsModel):
    contact_uuid: ContactUuid


class SubscriptionArgs(ArgsModel):
    contact_uuid: ContactUuid
    subscription_type_uuid: Uuid = Field(description="Subscription type UUID (from list_subscription_types).")


class ClaimArgs(ArgsModel):
    contact_uuid: ContactUuid = Field(description="The anonymous contact's UUID.")
    email: Email = Field(description="The customer's real email address.")


def _writable(attribute: ContactAttribute) -> bool:
    return not (attribute.is_soft_read_only or attribute.is_hard_read_only)


def attribute_summary(attribute: ContactAttribute) -> dict[str, Any]:
    """Name (what update_contact takes), label, type and the allowed option values of a select."""
    options = [o.value for o in attribute.options if o.value is not None]
    return {
        "name": attribute.name,
        "label": attribute.label,
        "type": attribute.type,
        "options": options[:MAX_OPTIONS] or None,
    }


def _attributes(result: list[ContactAttribute], args: NoArgs) -> dict[str, Any]:
    """The writable attributes in full; the read-only ones by name only (update_contact refuses them)."""
    out = list_summary([attribute_summary(a) for a in result if _writable(a)], "attributes", limit=50)
    out["read_only"] = [a.name for a in result if not _writable(a)][:50]
    return out


def type_summary(stype: SubscriptionType) -> dict[str, Any]:
    return {
        "uuid": stype.uuid,
        "name": stype.name,
        "description": stype.description,
        "strategy": stype.strategy,
        "active": None if stype.active else False,
    }


def _status(subscription: Subscription) -> str:
    """The status as a word (DOCS once show ``0``: then is_subscribed decides)."""
    if isinstance(subscription.status, str) and subscription.status:
        return subscription.status
    return "SUBSCRIBED" if subscription.is_subscribed else "UNSUBSCRIBED"


def subscription_summary(subscription: Subscription) -> dict[str, Any]:
    stype = subscription.subscription_type
    return {
        "subscription_type_uuid": stype.uuid if stype else None,
        "name": stype.name if stype else None,
        "status": _status(subscription),
    }


def _changed(result: Subscription, args: SubscriptionArgs) -> dict[str, Any]:
    out: dict[str, Any] = {"contact_uuid": args.contact_uuid, **subscription_summary(result)}
    if out["status"] == PENDING:
        out["note"] = "Piggy emailed the customer a confirmation link; subscribed once they confirm."
    return out


def _claimed(result: Any, args: ClaimArgs) -> dict[str, Any]:
    merged = result.uuid != args.contact_uuid
    return {**contact_summary(result), "claimed": True, "merged_into_existing": True if merged else None}


SPECS = [
    ToolSpec(
        name="list_contact_attributes",
        group="profile",
        title="List contact attributes",
        description=(
            "List the customer profile attributes of this account: name, label, type and allowed option values. "
            "Use it before update_contact to find the right attribute name and value. Read-only attributes are "
            "listed by name only; they cannot be changed."
        ),
        args=NoArgs,
        call=lambda c, a: c.contact_attributes.list(),
        present=_attributes,
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
    ToolSpec(
        name="list_subscription_types",
        group="profile",
        title="List subscription types",
        description=(
            "List the kinds of messages customers can subscribe to (marketing, newsletter...), with uuid and "
            "strategy: OPT_IN, OPT_OUT (subscribed by default) or DOUBLE_OPT_IN (confirmed by email). Use "
            "list_contact_subscriptions for one customer's choices."
        ),
        args=NoArgs,
        call=lambda c, a: c.subscription_types.list(),
        present=lambda r, a: list_summary([type_summary(t) for t in r], "subscription_types"),
        risk=Risk.READ,
        idempotent=True,
        scope="shared",
    ),
    ToolSpec(
        name="list_contact_subscriptions",
        group="profile",
        title="List customer's subscriptions",
        description=(
            "Show a customer's status for every subscription type: SUBSCRIBED, UNSUBSCRIBED or "
            "PENDING_CONFIRMATION (waiting for the email confirmation). Use it before subscribing or "
            "unsubscribing. Returns each type's uuid, name and status."
        ),
        args=ContactArgs,
        call=lambda c, a: c.contact_subscriptions.list(a.contact_uuid),
        present=lambda r, a: list_summary([subscription_summary(s) for s in r], "subscriptions"),
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="subscribe_contact",
        group="profile",
        title="Subscribe customer",
        description=(
            "Subscribe a customer to a subscription type, only at their request. For a DOUBLE_OPT_IN type the "
            "status becomes PENDING_CONFIRMATION until they confirm Piggy's email. Returns the new status."
        ),
        args=SubscriptionArgs,
        call=lambda c, a: c.contact_subscriptions.subscribe(
            a.contact_uuid, subscription_type_uuid=a.subscription_type_uuid
        ),
        present=_changed,
        risk=Risk.WRITE,
        idempotent=True,
    ),
    ToolSpec(
        name="unsubscribe_contact",
        group="profile",
        title="Unsubscribe customer",
        description=(
            "Unsubscribe a customer from a subscription type, e.g. marketing messages, including OPT_OUT types "
            "they get by default. Take the uuid from list_contact_subscriptions. Returns the new status."
        ),
        args=SubscriptionArgs,
        call=lambda c, a: c.contact_subscriptions.unsubscribe(
            a.contact_uuid, subscription_type_uuid=a.subscription_type_uuid
        ),
        present=_changed,
        risk=Risk.DESTRUCTIVE,
        idempotent=True,
    ),
    ToolSpec(
        name="claim_anonymous_contact",
        group="profile",
        title="Claim anonymous contact",
        description=(
            "Give an anonymous contact (card without email) the customer's real email. If that email already has "
            "a contact, the anonymous one is merged into it, irreversibly. Fails if not anonymous. Returns the "
            "resulting contact."
        ),
        args=ClaimArgs,
        call=lambda c, a: c.contacts.claim(a.contact_uuid, email=str(a.email)),
        present=_claimed,
        risk=Risk.DESTRUCTIVE,
        scope="exclude",
    ),
    ToolSpec(
        name="get_contacts_portal_url",
        group="profile",
        title="Get customer portal link",
        description=(
            "Get a Contacts Portal link that logs this customer in, to view their balance, rewards and profile. "
            "It contains a personal login token: give it only to that customer, never post it publicly. "
            "Returns the url."
        ),
        args=ContactArgs,
        call=lambda c, a: c.contacts_portal.get_auth_url(a.contact_uuid),
        present=lambda r, a: {"contact_uuid": a.contact_uuid, "url": r.url},
        risk=Risk.READ,
    ),
]
