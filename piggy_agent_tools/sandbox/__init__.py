"""A local Piggy-compatible server (FastAPI + SQLite): the embedded default backend for tools, tests and demos."""

from piggy_agent_tools.sandbox.server import Sandbox

__all__ = ["Sandbox"]
