"""The Piggy v3 OAuth API client: ``PiggyClient`` (sync) and ``AsyncPiggyClient`` over one shared core.

``AsyncPiggyClient`` is imported on first use: the sync client alone does not load asyncio and the async resources.
"""

from typing import TYPE_CHECKING

from piggy_agent_tools.client._core import DEFAULT_BASE_URL, RequestSpec
from piggy_agent_tools.client._sync import PiggyClient

if TYPE_CHECKING:
    from piggy_agent_tools.client._async import AsyncPiggyClient

__all__ = ["DEFAULT_BASE_URL", "AsyncPiggyClient", "PiggyClient", "RequestSpec"]


def __getattr__(name: str) -> object:
    if name == "AsyncPiggyClient":
        from piggy_agent_tools.client._async import AsyncPiggyClient

        return AsyncPiggyClient
    raise AttributeError(name)
