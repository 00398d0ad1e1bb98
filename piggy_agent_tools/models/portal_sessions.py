"""Portal sessions: short-lived hosted pages where a contact identifies and acts (portal-sessions.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel


class PortalSessionContact(PiggyModel):
    uuid: str


class PortalSessionShop(PiggyModel):
    uuid: str
    id: int | None = None
    reference: str | None = None
    name: str | None = None


class PortalSession(PiggyModel):
    """A session: open ``url`` on the kiosk or customer screen. ``contact`` is null unless it was preset."""

    uuid: str
    url: str | None = None
    contact: PortalSessionContact | None = None
    shop: PortalSessionShop | None = None
    events: list[Any] = []
    created_at: str | None = None
