"""piggy-agent-tools: a correct, tested and safe toolkit for agents that run a Piggy (Leat) loyalty program."""

from typing import TYPE_CHECKING

from piggy_agent_tools.errors import (
    AuthenticationError,
    ConflictError,
    InsufficientBalanceError,
    InvalidRequestError,
    MaintenanceError,
    NotFoundError,
    OutcomeUnknownError,
    PiggyAPIError,
    PiggyConnectionError,
    PiggyError,
    PiggyTimeoutError,
    RateLimitError,
    ServerError,
)

if TYPE_CHECKING:
    from piggy_agent_tools.client import AsyncPiggyClient, PiggyClient
    from piggy_agent_tools.toolkit import PiggyToolkit

__all__ = [
    "AsyncPiggyClient",
    "AuthenticationError",
    "ConflictError",
    "InsufficientBalanceError",
    "InvalidRequestError",
    "MaintenanceError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PiggyAPIError",
    "PiggyClient",
    "PiggyConnectionError",
    "PiggyError",
    "PiggyTimeoutError",
    "PiggyToolkit",
    "RateLimitError",
    "ServerError",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """The clients and the toolkit are imported on first use (PEP 562): ``import piggy_agent_tools`` loads only the
    errors; ``PiggyClient`` adds httpx, pydantic and the response models but not asyncio or the async resources;
    ``PiggyToolkit`` adds LangChain and the tool registry."""
    if name == "PiggyClient":
        from piggy_agent_tools.client._sync import PiggyClient

        return PiggyClient
    if name == "PiggyToolkit":
        from piggy_agent_tools.toolkit import PiggyToolkit

        return PiggyToolkit
    if name == "AsyncPiggyClient":
        from piggy_agent_tools.client._async import AsyncPiggyClient

        return AsyncPiggyClient
    raise AttributeError(name)
