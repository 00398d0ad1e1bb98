"""The per-request context handed to every sandbox route: store, parameters, and audited transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel

from piggy_agent_tools.sandbox.params import read_params, validate
from piggy_agent_tools.sandbox.store import Store, Tx

M = TypeVar("M", bound=BaseModel)
_SECRET_KEYS = {"password", "client_secret", "secret", "code"}


class Ctx:
    """What a route needs: ``ctx.args(Model)``, ``ctx.read()`` and ``ctx.write("operation")``."""

    def __init__(self, request: Request, params: dict[str, Any]) -> None:
        self.request = request
        self.params = params
        self.store: Store = request.app.state.store

    def args(self, model: type[M]) -> M:
        """The request's parameters validated by ``model`` (1003 with field errors otherwise)."""
        return validate(model, self.params)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self.store.tx() as tx:
            yield tx

    @contextmanager
    def write(self, operation: str, **extra: Any) -> Iterator[Tx]:
        """A write transaction that records one audit row (operation, arguments, time) when it commits."""
        args = {k: ("***" if k in _SECRET_KEYS else v) for k, v in self.params.items()}
        args.update(extra)
        with self.store.tx(operation, args, method=self.request.method, path=self.request.url.path) as tx:
            yield tx

    def url(self) -> str:
        """This request's URL without the query (for Laravel-style pagination links)."""
        return str(self.request.url.remove_query_params(self.request.url.query and list(self.request.query_params)))


async def _ctx(request: Request) -> Ctx:
    return Ctx(request, await read_params(request))


CtxDep = Annotated[Ctx, Depends(_ctx)]
