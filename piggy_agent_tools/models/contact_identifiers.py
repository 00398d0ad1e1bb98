"""Contact identifiers (contact-identifiers.md): account-unique card / QR values that may point to a contact."""

from __future__ import annotations

from piggy_agent_tools.models._base import PiggyModel


class IdentifierContact(PiggyModel):
    """The linked contact: ``{uuid, email}``."""

    uuid: str
    email: str | None = None


class ContactIdentifier(PiggyModel):
    """An identifier; ``contact`` is None while it is unlinked."""

    value: str
    name: str | None = None
    active: bool = True
    contact: IdentifierContact | None = None
