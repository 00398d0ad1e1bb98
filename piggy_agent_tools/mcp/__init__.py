"""The registry's tools served over MCP (stdio or streamable HTTP), with the same names, schemas and risks."""

from piggy_agent_tools.mcp.server import build_server

__all__ = ["build_server"]
