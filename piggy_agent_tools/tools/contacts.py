"""Contact tools: look up, list, create, update and delete customers."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import EmailStr, Field, model_validator

from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import AttributeValues, ContactUuid, Email, IsoDate, Limit, PageNo
from piggy_agent_tools.tools._present import money, page_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.contacts import Contact


def contact_summary(contact: Contact) -> dict[str, Any]:
    """What an agent needs of a contact: identity, name, balances, tier."""
    values = contact.current_values
    name = " ".join(str(values.get(k) or "") for k in ("firstname", "lastname")).strip()
    return {
        "uuid": contact.uuid,
        "email": contact.email,
        "name": name or None,
        "credits": contact.credit_balance.balance if contact.credit_balance else None,
        "prepaid": _prepaid(contact),
        "tier": contact.tier.name if contact.tier else None,
        "anonymous": True if values.get("is_anonymous") in (True, "true", 1) else None,
        "identifiers": _identifiers(contact),
    }


class GetContactArgs(ArgsModel):
    """Identify the contact by exactly one of contact_uuid or email."""

    contact_uuid: ContactUuid | None = Field(None, description="The contact's UUID, if known.")
    email: EmailStr | None = Field(None, description="The customer's email address, if the UUID is not known.")

    @model_validator(mode="after")
    def _one_key(self) -> GetContactArgs:
        if (self.contact_uuid is None) == (self.email is None):
            raise ValueError("give exactly one of contact_uuid or email")
        return self


def _get_contact(client: Any, args: GetContactArgs) -> Generator[Any, Any, Any]:
    """The contact, then its identifiers (cards, QR codes): staff are asked "which card is this?" as often as not."""
    if args.contact_uuid:
        contact = yield client.contacts.get(args.contact_uuid)
    else:
        contact = yield client.contacts.find_by_email(str(args.email))
    identifiers = yield client.contacts.list_identifiers(contact.uuid)
    return contact.model_copy(update={"identifiers": identifiers})


def _prepaid(contact: Contact) -> str | None:
    """The prepaid balance in the account's currency (from Piggy's formatted balance when it gives one)."""
    if contact.prepaid_balance is None:
        return None
    like = contact.prepaid_balance.balance or contact.current_display_values.get("prepaid_balance")
    return money(contact.prepaid_balance.balance_in_cents, like if isinstance(like, str) else None)


def _identifiers(contact: Contact) -> list[dict[str, Any]] | None:
    found = (contact.model_extra or {}).get("identifiers")
    if found is None:
        return None
    return [
        {"name": i.name, "value": i.value, "active": i.active, "default": True if i.default else None} for i in found
    ]


class ListContactsArgs(ArgsModel):
    page: PageNo = 1
    limit: Limit = 20
    sort: Literal["created_at", "-created_at"] | None = Field(None, description="Sort by creation, '-' for newest.")
    created_after: IsoDate | None = Field(None, description="Only contacts created at or after this ISO 8601 date.")


class EmailArgs(ArgsModel):
    email: Email


class CreateAnonymousArgs(ArgsModel):
    contact_identifier_value: str | None = Field(None, description="Card or QR code value to link to the new contact.")


class UpdateContactArgs(ArgsModel):
    contact_uuid: ContactUuid
    attributes: AttributeValues = Field(
        description='The attributes to change, by Piggy attribute name, e.g. [{"name": "firstname", "value": "Jane"}].'
    )


def _update_contact(client: Any, args: UpdateContactArgs) -> Generator[Any, Any, Any]:
    """Check the names against the account's contact attributes first, so a typo is caught, not silently ignored."""
    definitions = yield client.contact_attributes.list()
    known = {d.name: d for d in definitions}
    unknown = [name for name in args.attributes if name not in known]
    if unknown:
        from piggy_agent_tools.errors import InvalidRequestError

        writable = [
            n
            for n, d in known.items()
            if not (getattr(d, "is_hard_read_only", False) or getattr(d, "is_soft_read_only", False))
        ]
        names = ", ".join(sorted(writable))
        raise InvalidRequestError(
            f"Unknown contact attribute(s): {', '.join(unknown)}. Valid names: {names}.",
            errors={n: ["unknown attribute"] for n in unknown},
        )
    contact = yield client.contacts.update(args.contact_uuid, attributes=args.attributes)
    return contact


class DeleteContactArgs(ArgsModel):
    contact_uuid: ContactUuid
    type: Literal["DEFAULT", "GDPR"] = Field(
        "DEFAULT", description="DEFAULT removes the contact; GDPR also erases personal data from its history."
    )


def _deletion(contact_uuid: str, kind: str) -> dict[str, Any]:
    """Say what Piggy actually did: it scheduled the deletion (contacts.md 2.10), which finishes later."""
    what = (
        "a GDPR erasure (the contact and every reference to their personal data)"
        if kind == "GDPR"
        else ("the deletion of the contact and their balances")
    )
    return {
        "deleted": contact_uuid,
        "type": kind,
        "scheduled": True,
        "note": f"Piggy has scheduled {what}; it runs asynchronously and may take a few minutes. It cannot be undone.",
    }


SPECS = [
    ToolSpec(
        name="get_contact",
        group="contacts",
        title="Get contact",
        description=(
            "Look up one customer by contact_uuid or by email. Use this first to identify who you are helping. "
            "Returns uuid, email, name, credit balance, prepaid balance, tier and identifiers (cards, QR codes)."
        ),
        args=GetContactArgs,
        call=_get_contact,
        present=lambda r, a: contact_summary(r),
        risk=Risk.READ,
        idempotent=True,
        extra={"scoped_remove": ["email"]},
    ),
    ToolSpec(
        name="list_contacts",
        group="contacts",
        title="List contacts",
        description=(
            "List customers page by page, optionally newest first or created after a date. Use get_contact "
            "instead when you know the email. Returns up to `limit` contacts with balances and how to get more."
        ),
        args=ListContactsArgs,
        call=lambda c, a: c.contacts.list(
            page=a.page, limit=a.limit, sort=a.sort, created_at={"gte": a.created_after} if a.created_after else None
        ),
        present=lambda r, a: page_summary(r, [contact_summary(c) for c in r.items], "contacts"),
        risk=Risk.READ,
        idempotent=True,
        scope="exclude",
    ),
    ToolSpec(
        name="create_contact",
        group="contacts",
        title="Create contact",
        description=(
            "Create a new customer with this email. Fails if the email already exists; use find_or_create_contact "
            "when unsure. Returns the new contact's uuid."
        ),
        args=EmailArgs,
        call=lambda c, a: c.contacts.create(str(a.email)),
        present=lambda r, a: {"created": True, "uuid": r.uuid, "email": str(a.email)},
        risk=Risk.WRITE,
        scope="exclude",
    ),
    ToolSpec(
        name="find_or_create_contact",
        group="contacts",
        title="Find or create contact",
        description=(
            "Return the customer with this email, creating them if they do not exist yet. Use it to register a "
            "customer safely. Returns the contact with balances and tier."
        ),
        args=EmailArgs,
        call=lambda c, a: c.contacts.find_or_create(str(a.email)),
        present=lambda r, a: contact_summary(r),
        risk=Risk.WRITE,
        idempotent=True,
        scope="exclude",
    ),
    ToolSpec(
        name="create_anonymous_contact",
        group="contacts",
        title="Create anonymous contact",
        description=(
            "Create a customer without an email (for example for a new loyalty card handed out in a shop), "
            "optionally linking a card value. Returns the new contact's uuid."
        ),
        args=CreateAnonymousArgs,
        call=lambda c, a: c.contacts.create_anonymous(contact_identifier_value=a.contact_identifier_value),
        present=lambda r, a: {"created": True, "uuid": r.uuid},
        risk=Risk.WRITE,
        scope="exclude",
    ),
    ToolSpec(
        name="update_contact",
        group="contacts",
        title="Update contact",
        description=(
            "Change a customer's profile attributes by their Piggy names (firstname, lastname, phonenumber, "
            "birthdate, city...). Unknown names are refused with the list of valid ones. Returns the updated contact."
        ),
        args=UpdateContactArgs,
        call=_update_contact,
        present=lambda r, a: {**contact_summary(r), "updated": sorted(a.attributes)},
        risk=Risk.DESTRUCTIVE,
        idempotent=True,
    ),
    ToolSpec(
        name="delete_contact",
        group="contacts",
        title="Delete contact",
        description=(
            "Permanently delete a customer and their balances. type DEFAULT keeps an anonymised log; GDPR also "
            "erases personal data. Piggy schedules the deletion: it completes asynchronously, within minutes. "
            "Cannot be undone; only on the customer's explicit request."
        ),
        args=DeleteContactArgs,
        call=lambda c, a: c.contacts.delete(a.contact_uuid, type=a.type),
        present=lambda r, a: _deletion(a.contact_uuid, a.type),
        risk=Risk.DESTRUCTIVE,
    ),
]
