"""Typed errors for the Piggy API, chosen by the meaning of Piggy's numeric code, not only the HTTP status.

Every message names what went wrong in words a person or an LLM can act on. No error ever carries the API key:
messages are built from Piggy's response body and our own words, never from request headers.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AuthenticationError",
    "ConflictError",
    "InsufficientBalanceError",
    "InvalidRequestError",
    "MaintenanceError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PiggyAPIError",
    "PiggyConnectionError",
    "PiggyError",
    "PiggyTimeoutError",
    "RateLimitError",
    "ServerError",
    "error_from_body",
]


class PiggyError(Exception):
    """Base of every error raised by piggy-agent-tools."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class PiggyAPIError(PiggyError):
    """Piggy answered with an error body ``{message, code, status_code[, errors]}``."""

    def __init__(
        self,
        message: str,
        code: int | None = None,
        status_code: int | None = None,
        errors: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status_code = status_code
        self.errors = errors or {}

    def __str__(self) -> str:
        text = self.message
        if self.code is not None:
            text = f"{text} (Piggy code {self.code})"
        if self.errors:
            fields = "; ".join(f"{k}: {_join(v)}" for k, v in self.errors.items())
            text = f"{text} Fields: {fields}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, code={self.code!r}, "
            f"status_code={self.status_code!r}, errors={self.errors!r})"
        )


class AuthenticationError(PiggyAPIError):
    """The API key or access token is missing, invalid or expired (HTTP 401, codes 1053, 3000, 7011)."""


class NotFoundError(PiggyAPIError):
    """The thing named by an id, code or value does not exist (55031 contact, 80004 voucher, 5001 gift card...)."""


class InvalidRequestError(PiggyAPIError):
    """Piggy rejected the arguments (1003 Invalid input, with per-field ``errors`` when given)."""


class InsufficientBalanceError(PiggyAPIError):
    """Not enough credits, gift-card or prepaid balance, or stock, for the operation (1017, 5003, 1018...)."""


class ConflictError(PiggyAPIError):
    """The operation clashes with current state: already exists, already redeemed, already linked, locked..."""


class RateLimitError(PiggyAPIError):
    """Too many requests (HTTP 429). ``retry_after`` is the server's wait hint in seconds, when it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class MaintenanceError(PiggyAPIError):
    """Piggy is in maintenance mode (HTTP 503). Nothing was processed; try again later."""


class ServerError(PiggyAPIError):
    """Piggy failed internally (HTTP 5xx or code 1000)."""


class PiggyConnectionError(PiggyError):
    """The request could not reach Piggy (DNS, refused or dropped connection)."""


class PiggyTimeoutError(PiggyError):
    """Piggy did not answer in time."""


class OutcomeUnknownError(PiggyError):
    """A value-moving write may or may not have been processed; it was not retried, to avoid doing it twice."""

    def __init__(self, message: str, *, method: str, path: str, how_to_check: str) -> None:
        super().__init__(f"{message} How to check: {how_to_check}")
        self.method = method
        self.path = path
        self.how_to_check = how_to_check


def _join(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


# Codes from ../shared/piggy-api/README.md §7, grouped by meaning.
_NOT_FOUND = {
    1008,
    1013,
    1027,
    1028,
    1041,
    1048,
    1100,
    1103,
    5001,
    5007,
    5010,
    6003,
    7010,
    13010,
    55004,
    55007,
    55012,
    55020,
    55030,
    55031,
    55032,
    55046,
    60003,
    60007,
    60011,
    60013,
    80002,
    80004,
    80300,
    80530,
    80531,
    80540,
    80550,
    110000,
}
_INSUFFICIENT = {1015, 1017, 1018, 1019, 5003, 5008, 60000, 80008, 80019}
_CONFLICT = {
    1010,
    1034,
    1052,
    1114,
    5002,
    5006,
    6001,
    55005,
    55016,
    55017,
    55018,
    55021,
    55024,
    55025,
    60001,
    60004,
    60005,
    60006,
    60009,
    60014,
    60016,
    55045,
    80003,
    80005,
    80006,
    80012,
    80014,
    80017,
    80020,
    1102,
    7002,
    7015,
}
_AUTH = {1053, 3000, 7011}


def error_from_body(status_code: int, body: Any, *, retry_after: float | None = None) -> PiggyAPIError:
    """Build the typed error for an HTTP error response, from Piggy's ``{message, code, status_code}`` body."""
    message = "Piggy returned an error."
    code: int | None = None
    errors: dict[str, Any] | None = None
    if isinstance(body, dict):
        if isinstance(body.get("message"), str) and body["message"]:
            message = body["message"]
        if isinstance(body.get("code"), int):
            code = body["code"]
        if isinstance(body.get("errors"), dict):
            errors = body["errors"]
    else:
        message = f"Piggy returned HTTP {status_code} without a Piggy error body."
    kwargs: dict[str, Any] = {"code": code, "status_code": status_code, "errors": errors}
    if status_code == 429:
        return RateLimitError(_rate_limit_message(message, retry_after), retry_after=retry_after, **kwargs)
    if status_code == 503:
        return MaintenanceError(f"{message} Piggy is in maintenance mode; try again later.", **kwargs)
    if status_code == 401 or code in _AUTH:
        return AuthenticationError(f"{message} Check the API key or access token.", **kwargs)
    if code in _NOT_FOUND or (code is None and status_code == 404):
        return NotFoundError(message, **kwargs)
    if code in _INSUFFICIENT:
        return InsufficientBalanceError(message, **kwargs)
    if code in _CONFLICT:
        return ConflictError(message, **kwargs)
    if code == 1003 or status_code in (400, 422):
        return InvalidRequestError(message, **kwargs)
    if status_code >= 500 or code == 1000:
        return ServerError(message, **kwargs)
    return PiggyAPIError(message, **kwargs)


def _rate_limit_message(message: str, retry_after: float | None) -> str:
    wait = f" Wait {retry_after:g} seconds before trying again." if retry_after else " Slow down and retry."
    return f"{message.rstrip('.')}: rate limit reached.{wait}"
