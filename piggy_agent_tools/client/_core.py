"""The transport-free core shared by the sync and async clients: config, auth, request building, retry policy.

Retry policy (one place, used by both clients):

* GET, PUT and DELETE are idempotent. They are retried on connection errors, timeouts, HTTP 429, 503 and other
  5xx answers, with exponential backoff and full jitter, honouring ``Retry-After`` (capped at ``max_retry_wait``).
* POST is retried only when the request surely never reached Piggy (the connection could not be opened) or was
  refused before processing: a 429, or a 503 whose body is Piggy's own maintenance error (its error envelope
  ``{message, code, status_code: 503}``). Any other 503 (a proxy's or load balancer's page, an empty or foreign
  body) may come after Piggy processed the request, so it is not retried. After such a 503, a read timeout, a
  dropped connection, another 5xx or an unreadable 2xx on a POST that moves value (credits, rewards, vouchers, gift
  cards, prepaid, orders), :class:`OutcomeUnknownError` is raised, naming how to check what happened. Other POSTs
  raise the plain timeout, connection or server error. Either way a POST is never sent twice once it may have been
  processed, so a retry never doubles a value-moving write.
* After ``max_retries`` retries the last error is raised.
"""

from __future__ import annotations

import logging
import os
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import SecretStr

from piggy_agent_tools.errors import (
    InvalidRequestError,
    OutcomeUnknownError,
    PiggyAPIError,
    PiggyConnectionError,
    PiggyError,
    PiggyTimeoutError,
    ServerError,
    error_from_body,
)

logger = logging.getLogger("piggy_agent_tools.client")

DEFAULT_BASE_URL = "https://api.piggy.eu"
API_PREFIX = "/api/v3/oauth/clients"
TOKEN_PATH = "/oauth/token"
USER_AGENT = "piggy-agent-tools/0.1 (python)"
# Piggy v3 ids are UUIDs, but the reference (README §9) warns that recorded examples use ids such as "123123"
# and says not to validate UUID syntax strictly. So an id must be identifier-shaped (letters, digits, "-", "_";
# no "/", ".", "?", "#", "%" or spaces), which keeps every argument inside its own path segment.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$"
_ID_RE = re.compile(ID_PATTERN)
_IDEMPOTENT = {"GET", "PUT", "DELETE", "HEAD", "OPTIONS"}
_RETRY_STATUSES = {429, 500, 502, 503, 504}


class Credentials:
    """Holds the API key (or OAuth client credentials and the cached token) as secrets."""

    def __init__(
        self,
        api_key: str | SecretStr | None = None,
        client_id: str | int | None = None,
        client_secret: str | SecretStr | None = None,
    ) -> None:
        if api_key is None and client_id is None:
            env_key = os.environ.get("PIGGY_API_KEY")
            api_key = env_key or None
        if api_key is None and (client_id is None or client_secret is None):
            raise PiggyError(
                "No Piggy credentials: pass api_key=..., set PIGGY_API_KEY, "
                "or pass client_id=... and client_secret=... for OAuth client credentials."
            )
        self.api_key = _secret(api_key)
        self.client_id = None if client_id is None else str(client_id)
        self.client_secret = _secret(client_secret)
        self.access_token: SecretStr | None = None
        self.token_expires_at = 0.0

    @property
    def uses_oauth(self) -> bool:
        return self.api_key is None

    def bearer(self) -> str | None:
        """The current bearer token, or None when an OAuth token must be fetched first."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        if self.access_token is not None and time.monotonic() < self.token_expires_at - 30:
            return self.access_token.get_secret_value()
        return None

    def token_request_body(self) -> dict[str, str]:
        assert self.client_id is not None and self.client_secret is not None
        return {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret.get_secret_value(),
        }

    def store_token(self, payload: Any) -> None:
        """Keep the token from a ``/oauth/token`` answer: ``{token_type, expires_in, access_token}``."""
        if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
            raise PiggyError("Piggy's /oauth/token answer had no access_token; check client_id and client_secret.")
        self.access_token = SecretStr(payload["access_token"])
        expires_in = payload.get("expires_in")
        self.token_expires_at = time.monotonic() + (float(expires_in) if expires_in else 3600.0)

    def forget_token(self, refused: httpx.Request | None = None) -> None:
        """Drop the cached token; with ``refused`` (a request answered 401), only if that request carried it, so
        concurrent 401s do not throw away the fresh token another request has just fetched."""
        if refused is not None and self.access_token is not None:
            if refused.headers.get("Authorization") != f"Bearer {self.access_token.get_secret_value()}":
                return
        self.access_token = None
        self.token_expires_at = 0.0

    def __repr__(self) -> str:
        kind = "oauth" if self.uses_oauth else "api_key"
        return f"Credentials(kind={kind!r}, secret='**********')"


def _secret(value: str | SecretStr | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)


@dataclass
class ClientConfig:
    """Settings shared by both clients."""

    base_url: str
    timeout: float | httpx.Timeout = 30.0
    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_wait: float = 30.0
    extra_headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, base_url: str | None, **kwargs: Any) -> ClientConfig:
        url = (base_url or os.environ.get("PIGGY_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        if url.endswith(API_PREFIX):
            url = url[: -len(API_PREFIX)]
        if not url.startswith(("http://", "https://")):
            raise PiggyError(f"base_url must start with http:// or https://, got {url!r}.")
        return cls(base_url=url, **kwargs)


@dataclass(frozen=True)
class RequestSpec:
    """One API call as the resources describe it, before any transport is involved."""

    method: str
    path: str
    params: dict[str, Any] | None = None
    body: dict[str, Any] | None = None
    moves_value: bool = False
    how_to_check: str = "list the contact's recent loyalty transactions before trying again."

    @property
    def idempotent(self) -> bool:
        return self.method in _IDEMPOTENT


def uuid_segment(name: str, value: Any) -> str:
    """Validate an id path parameter (a UUID in practice), so no argument can reach another path."""
    text = value.strip() if isinstance(value, str) else ""
    if not _ID_RE.match(text):
        raise InvalidRequestError(
            f"{name} must be a UUID like 0b9a3f52-7c1e-4d5a-9a63-2f0f3b1e8c11, got {_preview(value)}.",
            errors={name: [f"{name} must be a UUID."]},
        )
    return text


def text_segment(name: str, value: Any) -> str:
    """URL-encode a free-text path parameter (a token, an attribute name) as exactly one segment."""
    text = "" if value is None else str(value)
    if text.strip() in ("", ".", "..") or len(text) > 512:
        raise InvalidRequestError(
            f"{name} must be a non-empty value of at most 512 characters, got {_preview(value)}.",
            errors={name: [f"{name} is invalid."]},
        )
    return quote(text, safe="")


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def clean_params(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """Drop None values and flatten nested dicts into Piggy's bracket syntax (``created_at[gte]``)."""
    if not params:
        return None
    flat: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                if subvalue is not None:
                    flat[f"{key}[{sub}]"] = _scalar(subvalue)
        elif isinstance(value, list | tuple):
            flat[f"{key}[]"] = [_scalar(v) for v in value]
        else:
            flat[key] = _scalar(value)
    return flat or None


def _scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "value") and not isinstance(value, str | int | float):
        return value.value  # enums
    return value


def clean_body(body: dict[str, Any] | None) -> dict[str, Any] | None:
    """Drop top-level None values from a JSON body; enums become their values."""
    if body is None:
        return None
    return {k: _jsonable(v) for k, v in body.items() if v is not None}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, str | int | float | bool):
        return value.value
    return value


def build_headers(config: ClientConfig) -> dict[str, str]:
    return {"Accept": "application/json", "User-Agent": USER_AGENT, **config.extra_headers}


def api_url(path: str) -> str:
    """A resource path (``/contacts/...``) under the OAuth clients prefix."""
    return API_PREFIX + path


def parse_retry_after(response: httpx.Response, cap: float) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, min(float(value), cap))
    except ValueError:
        return None


def backoff_delay(config: ClientConfig, attempt: int, retry_after: float | None) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based): Retry-After if given, else jittered backoff."""
    if retry_after is not None:
        return retry_after
    ceiling = min(config.backoff_max, config.backoff_base * (2**attempt))
    return random.uniform(0, ceiling)


def transport_error_outcome(spec: RequestSpec, exc: Exception) -> tuple[bool, PiggyError]:
    """Decide (retryable?, error to raise) for a transport failure, by whether the request may have reached Piggy."""
    never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    timeout = isinstance(exc, httpx.TimeoutException)
    where = f"{spec.method} {spec.path}"
    if timeout:
        error: PiggyError = PiggyTimeoutError(f"Piggy did not answer {where} in time.")
    else:
        error = PiggyConnectionError(f"Could not reach Piggy for {where}: {type(exc).__name__}.")
    if never_sent or spec.idempotent:
        return True, error
    if spec.moves_value:
        return False, OutcomeUnknownError(
            f"{where} may or may not have been processed ({type(exc).__name__}); it was not retried so that "
            "nothing is applied twice.",
            method=spec.method,
            path=spec.path,
            how_to_check=spec.how_to_check,
        )
    return False, error


def status_outcome(spec: RequestSpec, response: httpx.Response, config: ClientConfig) -> tuple[bool, PiggyError]:
    """Decide (retryable?, error to raise) for an error status."""
    retry_after = parse_retry_after(response, config.max_retry_wait)
    error = error_from_body(response.status_code, _json_or_none(response), retry_after=retry_after)
    status = response.status_code
    if status == 429 or (status == 503 and is_maintenance_body(_json_or_none(response))):
        return True, error  # refused before processing: safe for every method
    if status in _RETRY_STATUSES and spec.idempotent:
        return True, error
    if status == 503 and not spec.moves_value:
        return False, ServerError(
            f"{spec.method} {spec.path} got HTTP 503 without Piggy's maintenance error (a proxy or load balancer "
            "may have answered after Piggy processed it); it was not retried. Check before sending it again.",
            status_code=status,
        )
    if status >= 500 and spec.moves_value:
        return False, OutcomeUnknownError(
            f"{spec.method} {spec.path} failed with HTTP {status} and may or may not have been processed; "
            "it was not retried so that nothing is applied twice.",
            method=spec.method,
            path=spec.path,
            how_to_check=spec.how_to_check,
        )
    return False, error


def is_maintenance_body(body: Any) -> bool:
    """True when a 503 body is Piggy's own maintenance error, the only 503 known to come before processing.

    Piggy's errors are ``{message, code, status_code}`` (reference README section 7; the PHP SDK treats a body as
    Piggy's only when all three are present), so the maintenance answer is that envelope with ``status_code`` 503.
    """
    return (
        isinstance(body, dict)
        and isinstance(body.get("message"), str)
        and isinstance(body.get("code"), int)
        and not isinstance(body.get("code"), bool)
        and body.get("status_code") == 503
    )


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def unwrap(response: httpx.Response, spec: RequestSpec) -> tuple[Any, Any]:
    """Return ``(data, meta)`` from a 2xx answer, or raise when it is not Piggy's envelope.

    A 2xx means Piggy accepted the call, so an unreadable answer to a value-moving POST raises
    :class:`OutcomeUnknownError` (check before repeating it), never a plain :class:`ServerError`.
    """
    try:
        body = response.json()
    except ValueError:
        problem = "the body is not JSON"
    else:
        if isinstance(body, dict) and "data" in body:
            return body["data"], body.get("meta")
        problem = "the body has no 'data' envelope"
    where = f"{spec.method} {spec.path}"
    if spec.moves_value:
        raise OutcomeUnknownError(
            f"Piggy accepted {where} (HTTP {response.status_code}) but {problem}, so the result is unknown; it was "
            "not retried so that nothing is applied twice.",
            method=spec.method,
            path=spec.path,
            how_to_check=spec.how_to_check,
        )
    if problem == "the body is not JSON":
        raise ServerError(
            f"Piggy answered {where} with HTTP {response.status_code} but the body is not JSON.",
            status_code=response.status_code,
        )
    raise ServerError(f"Piggy answered {where} without a 'data' envelope.", status_code=response.status_code)


@dataclass(frozen=True)
class Retry:
    """Send the request again, after ``delay`` seconds (None: at once, e.g. after a token refresh)."""

    delay: float | None


class RetryLoop:
    """The retry policy as a small state machine, so the sync and async clients share one body.

    The client sends, then feeds each outcome in: ``on_response`` returns ``(data, meta)`` or a ``Retry``;
    ``on_exception`` returns a ``Retry`` or raises the typed error to surface.
    """

    def __init__(self, spec: RequestSpec, config: ClientConfig, credentials: Credentials) -> None:
        self.spec, self.config, self.credentials = spec, config, credentials
        self.attempt = 0
        self.refreshed = False

    def on_exception(self, exc: Exception) -> Retry:
        if isinstance(exc, httpx.InvalidURL | UnicodeEncodeError):
            # Raised while building the request (a 100k-character query, a lone surrogate): nothing was sent.
            raise InvalidRequestError(f"The request was not sent: {exc}. Shorten or correct the arguments.") from None
        retry, error = transport_error_outcome(self.spec, exc)
        log_attempt(self.spec, self.attempt, type(exc).__name__)
        return self._next(retry, error, None)

    def on_response(self, response: httpx.Response) -> tuple[Any, Any] | Retry:
        log_attempt(self.spec, self.attempt, str(response.status_code))
        if response.is_success:
            return unwrap(response, self.spec)
        if response.status_code == 401 and self.credentials.uses_oauth and not self.refreshed:
            self.credentials.forget_token(response.request)
            self.refreshed = True
            return Retry(None)
        retry, error = status_outcome(self.spec, response, self.config)
        return self._next(retry, error, parse_retry_after(response, self.config.max_retry_wait))

    def _next(self, retry: bool, error: PiggyError, retry_after: float | None) -> Retry:
        if not retry or self.attempt >= self.config.max_retries:
            raise error from None
        delay = backoff_delay(self.config, self.attempt, retry_after)
        self.attempt += 1
        return Retry(delay)


def log_attempt(spec: RequestSpec, attempt: int, outcome: str) -> None:
    """Log one attempt: method, path and outcome only; headers (and so the key) are never logged."""
    logger.debug("piggy %s %s attempt=%d -> %s", spec.method, spec.path, attempt + 1, outcome)


def is_api_error(exc: BaseException) -> bool:
    return isinstance(exc, PiggyAPIError)
