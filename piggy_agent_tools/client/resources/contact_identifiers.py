"""Contact identifiers (cards, QR codes): find, create, link, unlink, update, delete."""

from __future__ import annotations

from piggy_agent_tools.client.resources._base import SyncAPIResource


class ContactIdentifiersResource(SyncAPIResource):
    """Contact identifiers (cards, QR codes): find, create, link, unlink, update, delete."""
