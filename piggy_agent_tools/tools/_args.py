"""The base of every tool's arguments model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ArgsModel(BaseModel):
    """A tool's arguments. Validators are built on first use (``defer_build``), not when the registry is imported:
    some 60 models would otherwise be compiled by every ``from piggy_agent_tools import PiggyToolkit``."""

    model_config = ConfigDict(defer_build=True)
