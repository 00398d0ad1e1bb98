"""Contact verification by email login code (contacts.md §5).

Contact session tokens (contacts.md §6).
Contacts Portal authenticated URL (contacts.md §7).
"""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class ContactVerificationResource(SyncAPIResource):
    """Contact verification by email login code (contacts.md §5)."""


class ContactSessionTokensResource(SyncAPIResource):
    """Contact session tokens (contacts.md §6)."""


class ContactsPortalResource(SyncAPIResource):
    """Contacts Portal authenticated URL (contacts.md §7)."""
