"""The tool registry: every agent-relevant Piggy operation declared once, as a ``ToolSpec``, grouped by area.

``REGISTRY`` and ``GROUPS`` are built on first access (module ``__getattr__``), so importing the toolkit does not
import every tool module and its models up front; ``from piggy_agent_tools.tools import REGISTRY`` works as usual.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from piggy_agent_tools.tools._spec import Risk, ToolSpec

# The areas, in the order their tools are listed (docs, MCP, get_tools()).
_MODULES = [
    "contacts",
    "subscriptions",
    "identifiers",
    "loyalty",
    "rewards",
    "shops",
    "vouchers",
    "giftcards",
    "prepaid",
    "automations",
    "orders",
    "bookings",
    "engagement",
    "webhooks",
]

if TYPE_CHECKING:
    REGISTRY: list[ToolSpec]
    GROUPS: list[str]


def _load() -> None:
    registry: list[ToolSpec] = [spec for name in _MODULES for spec in import_module(f"{__name__}.{name}").SPECS]
    globals().update(REGISTRY=registry, GROUPS=list(dict.fromkeys(spec.group for spec in registry)))


def __getattr__(name: str) -> Any:
    if name in ("REGISTRY", "GROUPS"):
        _load()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["GROUPS", "REGISTRY", "Risk", "ToolSpec"]
