"""Base of every sync resource namespace: turns a ``RequestSpec`` into typed results through the client.

Resource modules in this folder are the single source; ``resources_async/`` is generated from them by
``scripts/generate_async_resources.py`` (a test fails when it is stale).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.models._base import Page, normalise_meta

if TYPE_CHECKING:
    from piggy_agent_tools.client._sync import PiggyClient

M = TypeVar("M", bound=BaseModel)


class SyncAPIResource:
    """One API area (``client.contacts``...): its methods build requests; this base sends and parses them."""

    def __init__(self, client: PiggyClient) -> None:
        self._client = client

    def _request(self, spec: RequestSpec, cast: type[M]) -> M:
        data, _meta = self._client.request(spec)
        return cast.model_validate(data)

    def _list(self, spec: RequestSpec, item: type[M]) -> list[M]:
        data, _meta = self._client.request(spec)
        return TypeAdapter(list[item]).validate_python(data or [])  # type: ignore[valid-type]

    def _page(self, spec: RequestSpec, item: type[M]) -> Page[M]:
        data, meta = self._client.request(spec)
        items = TypeAdapter(list[item]).validate_python(data or [])  # type: ignore[valid-type]
        return Page[item](items=items, **normalise_meta(meta, len(items)))  # type: ignore[valid-type]

    def _raw(self, spec: RequestSpec) -> Any:
        data, _meta = self._client.request(spec)
        return data

    def iter_all(self, **kwargs: Any) -> Iterator[Any]:
        """Lazily walk every page of this area's ``list`` method, yielding items one by one."""
        page = int(kwargs.pop("page", 1) or 1)
        lister: Any = self.list  # type: ignore[attr-defined]
        while True:
            result: Page[Any] = lister(page=page, **kwargs)
            yield from result.items
            if not result.has_more or not result.items:
                return
            page += 1
