"""Base of every async resource namespace: the asyncio twin of ``resources/_base.py``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from piggy_agent_tools.client._core import RequestSpec
from piggy_agent_tools.models._base import Page, normalise_meta

if TYPE_CHECKING:
    from piggy_agent_tools.client._async import AsyncPiggyClient

M = TypeVar("M", bound=BaseModel)


class AsyncAPIResource:
    """One API area on the async client; methods are generated from the sync resource of the same name."""

    def __init__(self, client: AsyncPiggyClient) -> None:
        self._client = client

    async def _request(self, spec: RequestSpec, cast: type[M]) -> M:
        data, _meta = await self._client.request(spec)
        return cast.model_validate(data)

    async def _list(self, spec: RequestSpec, item: type[M]) -> list[M]:
        data, _meta = await self._client.request(spec)
        return TypeAdapter(list[item]).validate_python(data or [])  # type: ignore[valid-type]

    async def _page(self, spec: RequestSpec, item: type[M]) -> Page[M]:
        data, meta = await self._client.request(spec)
        items = TypeAdapter(list[item]).validate_python(data or [])  # type: ignore[valid-type]
        return Page[item](items=items, **normalise_meta(meta, len(items)))  # type: ignore[valid-type]

    async def _raw(self, spec: RequestSpec) -> Any:
        data, _meta = await self._client.request(spec)
        return data

    async def iter_all(self, **kwargs: Any) -> AsyncIterator[Any]:
        """Lazily walk every page of this area's ``list`` method, yielding items one by one."""
        page = int(kwargs.pop("page", 1) or 1)
        lister: Any = self.list  # type: ignore[attr-defined]
        while True:
            result: Page[Any] = await lister(page=page, **kwargs)
            for item in result.items:
                yield item
            if not result.has_more or not result.items:
                return
            page += 1
