"""piggy-agent-tools: a correct, tested and safe toolkit for agents that run a Piggy (Leat) loyalty program."""

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
    "RateLimitError",
    "ServerError",
]
__version__ = "0.1.0"
