"""Pydantic models of Piggy's objects, one module per API area; all keep unknown fields."""

from piggy_agent_tools.models._base import Page, PiggyModel

__all__ = ["Page", "PiggyModel"]
