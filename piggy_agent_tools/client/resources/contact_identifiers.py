"""Contact identifiers (cards, QR codes): find, create, link, unlink, update, delete (contact-identifiers.md)."""

from __future__ import annotations

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.client.resources._base import SyncAPIResource
from piggy_agent_tools.models.contact_identifiers import ContactIdentifier


class ContactIdentifiersResource(SyncAPIResource):
    """Contact identifiers (cards, QR codes): find, create, link, unlink, update, delete."""

    def find(self, contact_identifier_value: str) -> ContactIdentifier:
        """GET /contact-identifiers/find: the identifier and its contact (None when unlinked).

        NotFoundError 60003; ConflictError 60004 when it is inactive.
        """
        params = {"contact_identifier_value": contact_identifier_value}
        return self._request(RequestSpec("GET", "/contact-identifiers/find", params=params), ContactIdentifier)

    def create(
        self,
        contact_identifier_value: str,
        *,
        contact_uuid: str | None = None,
        contact_identifier_name: str | None = None,
    ) -> ContactIdentifier:
        """POST /contact-identifiers: a new identifier, linked at once when ``contact_uuid`` is given.

        ConflictError 60006 when the value exists; NotFoundError 55031 for an unknown contact.
        """
        body = {
            "contact_identifier_value": contact_identifier_value,
            "contact_uuid": contact_uuid,
            "contact_identifier_name": contact_identifier_name,
        }
        return self._request(RequestSpec("POST", "/contact-identifiers", body=body), ContactIdentifier)

    def link(self, contact_identifier_value: str, *, contact_uuid: str) -> ContactIdentifier:
        """PUT /contact-identifiers/link: link an unlinked identifier to a contact (ConflictError 60014 if linked)."""
        body = {"contact_identifier_value": contact_identifier_value, "contact_uuid": contact_uuid}
        return self._request(RequestSpec("PUT", "/contact-identifiers/link", body=body), ContactIdentifier)

    def unlink(self, contact_identifier_value: str) -> ContactIdentifier:
        """PUT /contact-identifiers/unlink: detach it from its contact (NotFoundError 60011 when not linked)."""
        body = {"contact_identifier_value": contact_identifier_value}
        return self._request(RequestSpec("PUT", "/contact-identifiers/unlink", body=body), ContactIdentifier)

    def update(
        self,
        contact_identifier_value: str,
        *,
        contact_identifier_name: str | None = None,
        contact_identifier_active: bool | None = None,
    ) -> ContactIdentifier:
        """PUT /contact-identifiers: rename or (de)activate an identifier; the value itself cannot change."""
        body = {
            "contact_identifier_value": contact_identifier_value,
            "contact_identifier_name": contact_identifier_name,
            "contact_identifier_active": contact_identifier_active,
        }
        return self._request(RequestSpec("PUT", "/contact-identifiers", body=body), ContactIdentifier)

    def delete(self, contact_identifier_value: str) -> ContactIdentifier:
        """DELETE /contact-identifiers?contact_identifier_value=: delete it (sent as a query, like the SDK).

        Returns the deleted identifier (inferred: the response is undocumented). NotFoundError 60003.
        """
        params = {"contact_identifier_value": contact_identifier_value}
        return self._request(RequestSpec("DELETE", "/contact-identifiers", params=params), ContactIdentifier)
