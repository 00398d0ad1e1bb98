"""Contact login: verification email, verified contact, auth token, session tokens, portal URL (contacts.md §5-7)."""

from __future__ import annotations

from piggy_agent_tools.models._base import PiggyModel


class VerificationSent(PiggyModel):
    """What ``send`` answers: ``type`` ("success") and a sentence naming the address."""

    type: str | None = None
    message: str | None = None


class VerifiedContact(PiggyModel):
    """The contact whose login code was correct."""

    uuid: str


class AuthToken(PiggyModel):
    """An opaque token that authenticates the contact (DOCS ``{auth_token}``; PM recorded a bare string)."""

    auth_token: str


class SessionTokenContact(PiggyModel):
    uuid: str | None = None
    email: str | None = None


class ContactSessionToken(PiggyModel):
    """A contact session token and its ``status``: ``active`` until used, then ``used``."""

    token: str
    contact: SessionTokenContact | None = None
    status: str | None = None


class PortalAuthUrl(PiggyModel):
    """A Contacts Portal URL that logs the contact in."""

    url: str
