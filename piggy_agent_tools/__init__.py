"""piggy-agent-tools: a correct, tested and safe toolkit for agents that run a Piggy (Leat) loyalty program."""

from typing import TYPE_CHECKING

from piggy_agent_tools.client import AsyncPiggyClient, PiggyClient
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
    """``PiggyToolkit`` is imported on first use, so the bare client does not load the tool registry."""
    if name == "PiggyToolkit":
        from piggy_agent_tools.toolkit import PiggyToolkit

        return PiggyToolkit
    raise AttributeError(name)
