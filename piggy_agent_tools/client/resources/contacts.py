"""Contacts: list, find, create, update, delete, anonymous, claim, merge, batch, balances, tier (contacts.md §2)."""

from __future__ import annotations

import builtins
from typing import Any, Literal

from piggy_agent_tools.client._core import RequestSpec, uuid_segment
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models._base import Page
from piggy_agent_tools.models.contacts import (
    BatchContactResult,
    Contact,
    ContactIdentifierItem,
    ContactRef,
    CreditBalance,
    PrepaidBalance,
    Tier,
)


class ContactsResource(SyncAPIResource):
    """Contacts: list, find, create, update, delete, anonymous and claim, merge, batch, balances and tier."""

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

    def create_async(self, email: str, *, referral_code: str | None = None) -> ContactRef:
        """POST /contacts/async: the faster create (skips system values); returns only the uuid. 60005 if it exists."""
        body = {"email": email, "referral_code": referral_code}
        return self._request(RequestSpec("POST", "/contacts/async", body=body), ContactRef)

    def find_or_create_async(self, email: str) -> ContactRef:
        """GET /contacts/find-or-create/async: the existing or new contact's uuid only (a GET that may create)."""
        return self._request(RequestSpec("GET", "/contacts/find-or-create/async", params={"email": email}), ContactRef)

    def create_anonymous(self, *, contact_identifier_value: str | None = None) -> ContactRef:
        """POST /contacts/anonymous: a contact with a fictitious email, optionally linked to an unlinked identifier.

        NotFoundError 60003 for an unknown identifier; ConflictError 60014 when it is already linked.
        """
        body = {"contact_identifier_value": contact_identifier_value}
        return self._request(RequestSpec("POST", "/contacts/anonymous", body=body), ContactRef)

    def claim(self, anonymous_contact_uuid: str, *, email: str) -> Contact:
        """PUT /contacts/{uuid}/claim: give an anonymous contact its real email.

        If a contact with that email exists the two are merged and that contact is returned. 60016 when the
        contact is not anonymous.
        """
        path = f"/contacts/{uuid_segment('anonymous_contact_uuid', anonymous_contact_uuid)}/claim"
        return self._request(RequestSpec("PUT", path, body={"email": email}), Contact)

    def merge(self, *, source_contact_uuid: str, destination_contact_uuid: str) -> None:
        """POST /contacts/merge: move the source's balances and transactions to the destination; the source is
        deleted. Irreversible."""
        body = {"source_contact_uuid": source_contact_uuid, "destination_contact_uuid": destination_contact_uuid}
        spec = RequestSpec(
            "POST",
            "/contacts/merge",
            body=body,
            moves_value=True,
            how_to_check="get the source contact: NotFoundError 55031 means the merge already happened.",
        )
        self._raw(spec)

    def batch(self, contacts: builtins.list[dict[str, Any]]) -> builtins.list[BatchContactResult]:
        """POST /contacts/batch: import contacts.

        Each item is ``{"email", "custom_attributes": [{"name", "value"}], "subscription_types": [{"uuid",
        "enroll"}]}``; existing emails are updated. The response shape is inferred (never recorded).
        """
        return self._list(RequestSpec("POST", "/contacts/batch", body={"contacts": contacts}), BatchContactResult)

    def list_identifiers(self, contact_uuid: str) -> builtins.list[ContactIdentifierItem]:
        """GET /contacts/{contact_uuid}/contact-identifiers: the contact's cards, QR codes... with ``default``."""
        path = f"/contacts/{uuid_segment('contact_uuid', contact_uuid)}/contact-identifiers"
        return self._list(RequestSpec("GET", path), ContactIdentifierItem)
