"""Contact verification by email login code (contacts.md §5), contact session tokens (§6) and the Contacts Portal
authenticated URL (§7).
"""

from __future__ import annotations

from piggy_agent_tools.client._core import RequestSpec, text_segment, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.contact_verification import (
    AuthToken,
    ContactSessionToken,
    PortalAuthUrl,
    VerificationSent,
    VerifiedContact,
)


class ContactVerificationResource(SyncAPIResource):
    """Contact verification by email login code (contacts.md §5)."""

    def send(self, email: str) -> VerificationSent:
        """POST /contact-verification/send: email the contact a login code (55031 when no contact has it)."""
        return self._request(RequestSpec("POST", "/contact-verification/send", body={"email": email}), VerificationSent)

    def verify(self, *, email: str, code: str) -> VerifiedContact:
        """POST /contact-verification/verify: the contact's uuid when the code is right; NotFoundError 13010 if not."""
        body = {"email": email, "code": code}
        return self._request(RequestSpec("POST", "/contact-verification/verify", body=body), VerifiedContact)

    def get_auth_token(self, contact_uuid: str) -> AuthToken:
        """GET /contact-verification/auth-token/{contact_uuid}: an opaque token authenticating the contact.

        DOCS answer ``{auth_token}``, PM recorded a bare string; both are accepted.
        """
        path = f"/contact-verification/auth-token/{uuid_segment('contact_uuid', contact_uuid)}"
        data = self._raw(RequestSpec("GET", path))
        return AuthToken(auth_token=data) if isinstance(data, str) else AuthToken.model_validate(data)


class ContactSessionTokensResource(SyncAPIResource):
    """Contact session tokens (contacts.md §6)."""

    def get(self, contact_session_token: str) -> ContactSessionToken:
        """GET /contact-session-tokens/{token}: the token's contact and status (``active`` or ``used``)."""
        path = f"/contact-session-tokens/{text_segment('contact_session_token', contact_session_token)}"
        return self._request(RequestSpec("GET", path), ContactSessionToken)

    def use(self, contact_session_token: str) -> ContactSessionToken:
        """POST /contact-session-tokens/{token}/use: mark the token used (a token works once)."""
        path = f"/contact-session-tokens/{text_segment('contact_session_token', contact_session_token)}/use"
        return self._request(RequestSpec("POST", path), ContactSessionToken)


class ContactsPortalResource(SyncAPIResource):
    """Contacts Portal authenticated URL (contacts.md §7)."""

    def get_auth_url(self, contact_uuid: str) -> PortalAuthUrl:
        """GET /contacts-portal/auth-url: a portal URL (with a login token) that opens as this contact."""
        spec = RequestSpec("GET", "/contacts-portal/auth-url", params={"contact_uuid": contact_uuid})
        return self._request(spec, PortalAuthUrl)
