"""The tool registry: every agent-relevant Piggy operation declared once, as a ``ToolSpec``, grouped by area."""

from __future__ import annotations

from piggy_agent_tools.tools import (
    automations,
    bookings,
    contacts,
    engagement,
    giftcards,
    identifiers,
    loyalty,
    orders,
    prepaid,
    rewards,
    shops,
    subscriptions,
    vouchers,
    webhooks,
)
from piggy_agent_tools.tools._spec import Risk, ToolSpec

_MODULES = [
    contacts,
    subscriptions,
    identifiers,
    loyalty,
    rewards,
    shops,
    vouchers,
    giftcards,
    prepaid,
    automations,
    orders,
    bookings,
    engagement,
    webhooks,
]

REGISTRY: list[ToolSpec] = [spec for module in _MODULES for spec in module.SPECS]
GROUPS: list[str] = list(dict.fromkeys(spec.group for spec in REGISTRY))

__all__ = ["GROUPS", "REGISTRY", "Risk", "ToolSpec"]
