"""Contact identifier tools: loyalty cards and QR codes that point to a customer (find, list, create, link, unlink)."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, StringConstraints

from piggy_agent_tools.errors import ConflictError
from piggy_agent_tools.tools._args import ArgsModel
from piggy_agent_tools.tools._fields import ContactUuid, Uuid
from piggy_agent_tools.tools._present import list_summary
from piggy_agent_tools.tools._spec import Risk, ToolSpec

if TYPE_CHECKING:
    from piggy_agent_tools.models.contact_identifiers import ContactIdentifier

IdentifierValue = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=255),
    Field(description="The card number or QR code value, exactly as printed or scanned."),
]


def identifier_summary(identifier: ContactIdentifier) -> dict[str, Any]:
    """The value, name, whether it is active, and whom it is linked to (email, and uuid for further calls)."""
    contact = identifier.contact
    return {
        "value": identifier.value,
        "name": identifier.name,
        "active": identifier.active,
        "linked": contact is not None,
        "contact": (contact.email or contact.uuid) if contact else None,
        "contact_uuid": contact.uuid if contact else None,
    }


def identifier_in_scope(identifier: ContactIdentifier, contact_uuid: str) -> bool:
    """An unlinked identifier is fine; one linked to another contact is refused."""
    return identifier.contact is None or identifier.contact.uuid == contact_uuid


class FindIdentifierArgs(ArgsModel):
    contact_identifier_value: IdentifierValue


class ListIdentifiersArgs(ArgsModel):
    contact_uuid: ContactUuid


class CreateIdentifierArgs(ArgsModel):
    contact_identifier_value: IdentifierValue
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)] | None = Field(
        None, description="Display name, e.g. Loyalty card."
    )
    contact_uuid: Uuid | None = Field(None, description="Contact to link it to at once.")


class LinkIdentifierArgs(ArgsModel):
    contact_identifier_value: IdentifierValue
    contact_uuid: ContactUuid


class UnlinkIdentifierArgs(ArgsModel):
    contact_identifier_value: IdentifierValue
    contact_uuid: Uuid | None = Field(None, description="Refuse unless it is linked to this contact.")


def _unlink(client: Any, args: UnlinkIdentifierArgs) -> Generator[Any, Any, Any]:
    """With ``contact_uuid``, check the owner first and refuse to unlink another contact's card."""
    if args.contact_uuid is not None:
        found = yield client.contact_identifiers.find(args.contact_identifier_value)
        if found.contact is None or found.contact.uuid != args.contact_uuid:
            raise ConflictError(
                f"Contact identifier {args.contact_identifier_value} is not linked to contact {args.contact_uuid}; "
                "nothing was unlinked."
            )
    unlinked = yield client.contact_identifiers.unlink(args.contact_identifier_value)
    return unlinked


SPECS = [
    ToolSpec(
        name="find_contact_identifier",
        group="identifiers",
        title="Find card or QR code",
        description=(
            "Look up a loyalty card number or QR code value: whether it exists, is active and whom it is linked "
            "to. Use it before linking or unlinking. Returns value, name, status and the linked contact."
        ),
        args=FindIdentifierArgs,
        call=lambda c, a: c.contact_identifiers.find(a.contact_identifier_value),
        present=lambda r, a: identifier_summary(r),
        risk=Risk.READ,
        idempotent=True,
        check_scope=identifier_in_scope,
    ),
    ToolSpec(
        name="list_contact_identifiers",
        group="identifiers",
        title="List customer's cards",
        description=(
            "List the loyalty cards and QR codes linked to a customer. Use find_contact_identifier instead when "
            "you have a card number. Returns each value, name, whether it is active and which is the default."
        ),
        args=ListIdentifiersArgs,
        call=lambda c, a: c.contacts.list_identifiers(a.contact_uuid),
        present=lambda r, a: list_summary(
            [{"value": i.value, "name": i.name, "active": i.active, "default": i.default} for i in r], "identifiers"
        ),
        risk=Risk.READ,
        idempotent=True,
    ),
    ToolSpec(
        name="create_contact_identifier",
        group="identifiers",
        title="Register card or QR code",
        description=(
            "Register a new card number or QR code value, optionally linked to a customer at once. Fails if the "
            "value exists already; then use link_contact_identifier. Returns the new identifier and its contact."
        ),
        args=CreateIdentifierArgs,
        call=lambda c, a: c.contact_identifiers.create(
            a.contact_identifier_value, contact_uuid=a.contact_uuid, contact_identifier_name=a.name
        ),
        present=lambda r, a: {"created": True, **identifier_summary(r)},
        risk=Risk.WRITE,
    ),
    ToolSpec(
        name="link_contact_identifier",
        group="identifiers",
        title="Link card to customer",
        description=(
            "Link an existing, unlinked card or QR code to a customer. Fails if it is linked already (unlink it "
            "first) or inactive. Use create_contact_identifier for a value that does not exist yet."
        ),
        args=LinkIdentifierArgs,
        call=lambda c, a: c.contact_identifiers.link(a.contact_identifier_value, contact_uuid=a.contact_uuid),
        present=lambda r, a: identifier_summary(r),
        risk=Risk.WRITE,
    ),
    ToolSpec(
        name="unlink_contact_identifier",
        group="identifiers",
        title="Unlink card from customer",
        description=(
            "Detach a card or QR code from its customer, for example when it is lost. Give contact_uuid to "
            "refuse unless the card belongs to that customer. The card remains and can be linked again."
        ),
        args=UnlinkIdentifierArgs,
        call=_unlink,
        present=lambda r, a: {"unlinked": True, **identifier_summary(r)},
        risk=Risk.DESTRUCTIVE,
    ),
]
