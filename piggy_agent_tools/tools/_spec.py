"""``ToolSpec``: one declarative record per tool, from which LangChain tools, approvals, docs and MCP derive.

An operation is written once. ``call(client, args)`` works with both clients because their namespaces and
method names are identical: with ``PiggyClient`` it returns the result, with ``AsyncPiggyClient`` an awaitable.
Multi-step operations are generator functions that ``yield`` each client call and receive its result; the sync and
async drivers below run the same generator.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel

Scope = Literal["contact", "exclude", "shared"]


class Risk(StrEnum):
    """What a call does: read changes nothing; write only adds; destructive overwrites, spends, deletes, reverses."""

    READ = "read"
    WRITE = "write"
    DESTRUCTIVE = "destructive"


@dataclass(frozen=True)
class ToolSpec:
    """A tool, declared once.

    ``scope`` says how it behaves for a customer-scoped toolkit: ``contact`` (the ``contact_uuid`` argument is
    removed and injected), ``exclude`` (left out: it could reach other contacts) or ``shared`` (account data such as
    the program or shops). ``risk_by_args`` refines the risk of one concrete call (a negative amount deducts money).
    ``check_scope`` verifies that a result belongs to the scoped contact (a voucher found by code, say).
    """

    name: str
    group: str
    title: str
    description: str
    args: type[BaseModel]
    call: Callable[[Any, Any], Any]
    present: Callable[[Any, Any], Any]
    risk: Risk
    idempotent: bool = False
    scope: Scope = "contact"
    risk_by_args: Callable[[dict[str, Any]], Risk] | None = None
    check_scope: Callable[[Any, str], bool] | None = None
    describe: Callable[[dict[str, Any]], str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def risk_of(self, args: dict[str, Any]) -> Risk:
        """The risk of one concrete call with these arguments."""
        if self.risk_by_args is not None:
            try:
                return self.risk_by_args(args)
            except (TypeError, ValueError, KeyError):
                return Risk.DESTRUCTIVE  # unparseable arguments are treated as the worst case
        return self.risk

    @property
    def max_risk(self) -> Risk:
        """The highest risk any call of this tool can have."""
        return Risk.DESTRUCTIVE if self.risk_by_args is not None else self.risk

    @property
    def hints(self) -> dict[str, Any]:
        """MCP-style annotations, from the approval policy (``destructiveHint`` for any non-additive update)."""
        from piggy_agent_tools.policy import DEFAULT_POLICY

        return DEFAULT_POLICY.mcp_hints(self)


def run_sync(spec: ToolSpec, client: Any, args: Any) -> Any:
    """Run an operation on the sync client, driving a multi-step generator when the operation is one."""
    if inspect.isgeneratorfunction(spec.call):
        gen: Generator[Any, Any, Any] = spec.call(client, args)
        try:
            value = next(gen)
            while True:
                value = gen.send(value)
        except StopIteration as stop:
            return stop.value
    return spec.call(client, args)


async def run_async(spec: ToolSpec, client: Any, args: Any) -> Any:
    """Run an operation on the async client: every yielded (or returned) awaitable is awaited."""
    if inspect.isgeneratorfunction(spec.call):
        gen: Generator[Any, Any, Any] = spec.call(client, args)
        try:
            step = next(gen)
            while True:
                step = gen.send(await _resolve(step))
        except StopIteration as stop:
            return await _resolve(stop.value)
    return await _resolve(spec.call(client, args))


async def _resolve(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    if isinstance(value, list) and value and all(inspect.isawaitable(v) for v in value):
        return [await v for v in value]
    return value
