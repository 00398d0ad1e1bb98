"""``PiggyClient``: the synchronous client. One pooled ``httpx.Client``; the retry loop of ``_core`` applied."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any

import httpx
from pydantic import SecretStr

from piggy_agent_tools.client import _core
from piggy_agent_tools.client._core import ClientConfig, Credentials, RequestSpec
from piggy_agent_tools.client.resources import SyncResources
from piggy_agent_tools.errors import AuthenticationError, PiggyError


class PiggyClient(SyncResources):
    """Synchronous client for Piggy's v3 OAuth API.

    ``PiggyClient()`` reads ``PIGGY_API_KEY`` and ``PIGGY_BASE_URL``; ``PiggyClient(client_id=..., client_secret=...)``
    uses OAuth client credentials. Resource namespaces (``client.contacts``, ``client.vouchers``...) mirror the API.
    """

    def __init__(
        self,
        api_key: str | SecretStr | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = 30.0,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        client_id: str | int | None = None,
        client_secret: str | SecretStr | None = None,
        max_retry_wait: float = 30.0,
    ) -> None:
        self._credentials = Credentials(api_key, client_id, client_secret)
        self._config = ClientConfig.build(
            base_url, timeout=timeout, max_retries=max_retries, max_retry_wait=max_retry_wait
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout)
        self._sleep = time.sleep
        self._token_lock = threading.Lock()
        SyncResources.__init__(self, self)

    @property
    def base_url(self) -> str:
        return self._config.base_url

    def __repr__(self) -> str:
        return f"PiggyClient(base_url={self._config.base_url!r})"

    def __enter__(self) -> PiggyClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections (only when this client created them)."""
        if self._owns_http:
            self._http.close()

    def ping(self) -> bool:
        """Check connectivity and credentials with ``GET /api/v3/oauth/clients``."""
        self.request(RequestSpec("GET", ""))
        return True

    def request(self, spec: RequestSpec) -> tuple[Any, Any]:
        """Send one API call with the retry policy; return ``(data, meta)`` or raise a typed error."""
        loop = _core.RetryLoop(spec, self._config, self._credentials)
        while True:
            try:
                outcome = loop.on_response(self._send(spec))
            except (httpx.TransportError, httpx.InvalidURL, UnicodeEncodeError) as exc:
                outcome = loop.on_exception(exc)
            if not isinstance(outcome, _core.Retry):
                return outcome
            if outcome.delay is not None:
                self._sleep(outcome.delay)

    def _send(self, spec: RequestSpec) -> httpx.Response:
        token = self._credentials.bearer() or self._fetch_token()
        headers = {**_core.build_headers(self._config), "Authorization": f"Bearer {token}"}
        return self._http.request(
            spec.method,
            self._config.base_url + _core.api_url(spec.path),
            params=_core.clean_params(spec.params),
            json=_core.clean_body(spec.body),
            headers=headers,
            timeout=self._config.timeout,
        )

    def _fetch_token(self) -> str:
        """POST /oauth/token with client credentials, once even when threads share the client (LangGraph runs sync
        tools in a thread pool); the token is cached until shortly before it expires."""
        with self._token_lock:
            token = self._credentials.bearer()
            if token is not None:
                return token
            try:
                response = self._http.post(
                    self._config.base_url + _core.TOKEN_PATH,
                    json=self._credentials.token_request_body(),
                    headers=_core.build_headers(self._config),
                )
            except httpx.TransportError as exc:
                raise PiggyError(f"Could not reach Piggy's /oauth/token: {type(exc).__name__}.") from None
            if not response.is_success:
                raise AuthenticationError(
                    "Piggy refused the OAuth client credentials; check client_id and client_secret.",
                    status_code=response.status_code,
                )
            self._credentials.store_token(response.json())
            token = self._credentials.bearer()
            assert token is not None
            return token
