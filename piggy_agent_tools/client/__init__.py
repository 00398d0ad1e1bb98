"""The Piggy v3 OAuth API client: ``PiggyClient`` (sync) and ``AsyncPiggyClient`` over one shared core."""

from piggy_agent_tools.client._async import AsyncPiggyClient
from piggy_agent_tools.client._core import DEFAULT_BASE_URL, RequestSpec
from piggy_agent_tools.client._sync import PiggyClient

__all__ = ["DEFAULT_BASE_URL", "AsyncPiggyClient", "PiggyClient", "RequestSpec"]
