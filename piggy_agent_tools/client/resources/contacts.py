"""Contacts: list, find, create, update, delete, claim, balances and tier (contacts.md §2)."""

from __future__ import annotations

from typing import Any, Literal

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.contacts import Contact, ContactRef, CreditBalance, PrepaidBalance, Tier


class ContactsResource(SyncAPIResource):
    """Contacts: list, find, create, update, delete, claim, balances and tier (contacts.md §2)."""

    def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        sort: str | None = None,
        created_at: dict[str, str] | None = None,
    ) -> Page[Contact]:
        """GET /contacts: one page of contacts (meta format A)."""
        params = {"page": page, "limit": limit, "sort": sort, "created_at": created_at}
        return self._page(RequestSpec("GET", "/contacts", params=params), Contact)

    def get(self, contact_uuid: str) -> Contact:
        """GET /contacts/{contact_uuid}: one contact with balances and tier."""
        return self._request(RequestSpec("GET", f"/contacts/{uuid_segment('contact_uuid', contact_uuid)}"), Contact)

    def find_by_email(self, email: str) -> Contact:
        """GET /contacts/find-one-by?email=: the contact with this email; NotFoundError (55031) when none."""
        return self._request(RequestSpec("GET", "/contacts/find-one-by", params={"email": email}), Contact)

    def find_or_create(self, email: str) -> Contact:
        """GET /contacts/find-or-create?email=: the existing contact, or a new one (a GET that may create)."""
        return self._request(RequestSpec("GET", "/contacts/find-or-create", params={"email": email}), Contact)

    def create(self, email: str, *, referral_code: str | None = None) -> ContactRef:
        """POST /contacts: create a contact; returns only its uuid. ConflictError (60005) if the email exists."""
        body = {"email": email, "referral_code": referral_code}
        return self._request(RequestSpec("POST", "/contacts", body=body), ContactRef)

    def update(self, contact_uuid: str, *, attributes: dict[str, Any]) -> Contact:
        """PUT /contacts/{contact_uuid}: set attribute values keyed by their Piggy names (``firstname``...)."""
        path = f"/contacts/{uuid_segment('contact_uuid', contact_uuid)}"
        return self._request(RequestSpec("PUT", path, body={"attributes": attributes}), Contact)

    def delete(self, contact_uuid: str, *, type: Literal["DEFAULT", "GDPR"] = "DEFAULT") -> None:
        """POST /contacts/{contact_uuid}/delete: DEFAULT removes the contact; GDPR also erases personal data."""
        path = f"/contacts/{uuid_segment('contact_uuid', contact_uuid)}/delete"
        self._raw(RequestSpec("POST", path, body={"type": type}))

    def get_credit_balance(self, contact_uuid: str) -> CreditBalance:
        """GET /contacts/{contact_uuid}/credit-balance."""
        path = f"/contacts/{uuid_segment('contact_uuid', contact_uuid)}/credit-balance"
        return self._request(RequestSpec("GET", path), CreditBalance)

    def get_prepaid_balance(self, contact_uuid: str) -> PrepaidBalance:
        """GET /contacts/{contact_uuid}/prepaid-balance: cents and a formatted display string."""
        path = f"/contacts/{uuid_segment('contact_uuid', contact_uuid)}/prepaid-balance"
        return self._request(RequestSpec("GET", path), PrepaidBalance)

    def get_tier(self, contact_uuid: str) -> Tier:
        """GET /contacts/{contact_uuid}/tier: the contact's current tier (name is null when none)."""
        path = f"/contacts/{uuid_segment('contact_uuid', contact_uuid)}/tier"
        return self._request(RequestSpec("GET", path), Tier)
