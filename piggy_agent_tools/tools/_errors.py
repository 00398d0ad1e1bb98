"""Turn typed errors into messages a model can act on: what went wrong, and what to do next. One place only."""

from __future__ import annotations

from pydantic import ValidationError

from piggy_agent_tools.errors import (
    AuthenticationError,
    ConflictError,
    InsufficientBalanceError,
    InvalidRequestError,
    MaintenanceError,
    NotFoundError,
    OutcomeUnknownError,
    PiggyConnectionError,
    PiggyError,
    PiggyTimeoutError,
    RateLimitError,
)

_NEXT_STEP: list[tuple[type[PiggyError], str]] = [
    (NotFoundError, "Check the id, code or email, or look it up first; do not guess ids."),
    (InsufficientBalanceError, "Tell the customer the balance, stock or limit is not enough; do not retry."),
    (ConflictError, "The current state does not allow this; explain it to the customer instead of retrying."),
    (InvalidRequestError, "Fix the named arguments and call again."),
    (AuthenticationError, "The Piggy credentials are not valid; a person must fix the configuration."),
    (RateLimitError, "Piggy is rate limiting; wait before trying again."),
    (MaintenanceError, "Piggy is in maintenance; try again later."),
    (OutcomeUnknownError, "Do not repeat the action until you have checked whether it happened."),
    (PiggyTimeoutError, "Piggy did not answer in time; a read can be retried later."),
    (PiggyConnectionError, "Piggy is unreachable; try again later."),
]


def tool_error_message(tool: str, exc: PiggyError) -> str:
    """``Error in <tool>: <ErrorClass>: <message>. <next step>``."""
    step = next((hint for kind, hint in _NEXT_STEP if isinstance(exc, kind)), "")
    return f"Error in {tool}: {type(exc).__name__}: {exc} {step}".strip()


def validation_message(tool: str, exc: ValidationError) -> str:
    """Name each bad argument in words, so the model can correct the call."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ())) or "arguments"
        kind = err.get("type", "")
        if kind == "missing":
            text = "is required"
        elif kind == "string_pattern_mismatch":
            text = "must be a UUID like 0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11 (look it up first)"
        elif kind == "extra_forbidden":
            text = "is not an argument of this tool"
        elif kind == "value_error":
            text = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        else:
            text = str(err.get("msg", "is invalid"))
            text = text[:1].lower() + text[1:]
        parts.append(f"{field} {text}")
    return f"Error in {tool}: invalid arguments: {'; '.join(parts)}. Fix them and call again; nothing was sent."
