"""Tools for the orders area (filled in by the area's owner)."""

from __future__ import annotations

from piggy_agent_tools.tools._spec import ToolSpec

SPECS: list[ToolSpec] = []
