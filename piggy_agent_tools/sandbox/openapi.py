"""The sandbox's OpenAPI document (``/_sandbox/openapi.json``), completed in one place.

Routes read their parameters generically (``ctx.args(Model)`` in the body), so FastAPI cannot see them. Here each
route's one pydantic args model (the model its function names) is documented: as query parameters for GET and
DELETE, as a JSON body otherwise. Every operation documents Piggy's error body for 4XX and any 2XX success.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from types import CodeType
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic.errors import PydanticUserError

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["message", "code", "status_code"],
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "integer"},
        "status_code": {"type": "integer"},
        "errors": {"type": "object"},
    },
}
ENVELOPE_SCHEMA: dict[str, Any] = {"type": "object", "required": ["data"]}
TOKEN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["token_type", "expires_in", "access_token"],
    "properties": {
        "token_type": {"type": "string"},
        "expires_in": {"type": "integer"},
        "access_token": {"type": "string"},
    },
}
_QUERY_METHODS = {"GET", "DELETE", "HEAD"}


def install_openapi(app: FastAPI, routers: list[APIRouter], prefix: str) -> None:
    """Make ``app.openapi()`` return FastAPI's document completed with each route's params and Piggy's answers."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            complete(generate(), routers, prefix)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete(document: dict[str, Any], routers: list[APIRouter], prefix: str) -> None:
    """Add params (from each route's args model) and the success and error answers, in place."""
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            model = args_model(route.endpoint)
            for method in route.methods or ():
                operation = document.get("paths", {}).get(prefix + route.path, {}).get(method.lower())
                if operation is not None and model is not None:
                    _document_args(operation, method, model)
    for path, item in document.get("paths", {}).items():
        for operation in item.values():
            if isinstance(operation, dict):
                _document_answers(operation, TOKEN_SCHEMA if path == "/oauth/token" else ENVELOPE_SCHEMA)


def args_model(endpoint: Callable[..., Any]) -> type[BaseModel] | None:
    """The one pydantic model a route function names (its ``ctx.args`` model), or None when it names 0 or 2+."""
    scope = getattr(endpoint, "__globals__", {})
    found = {
        value
        for name in _names(endpoint.__code__)
        if isinstance(value := scope.get(name), type) and issubclass(value, BaseModel)
    }
    return found.pop() if len(found) == 1 else None


def _names(code: CodeType) -> Iterator[str]:
    yield from code.co_names
    for const in code.co_consts:
        if inspect.iscode(const):
            yield from _names(const)


def _document_args(operation: dict[str, Any], method: str, model: type[BaseModel]) -> None:
    try:
        schema = _inline(model.model_json_schema(mode="validation"))
    except PydanticUserError:
        return  # a model pydantic cannot describe stays undocumented; the route still validates it
    schema.pop("title", None)
    if method in _QUERY_METHODS:
        taken = {p["name"] for p in operation.get("parameters", [])}
        required = set(schema.get("required", []))
        for name, field in schema.get("properties", {}).items():
            if name in taken:
                continue
            param: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
            param["schema"] = _without_null(field)
            if param["schema"].get("type") == "object":
                param.update(style="deepObject", explode=True)  # Piggy's bracket syntax: created_at[gte]=...
            operation.setdefault("parameters", []).append(param)
    else:
        operation["requestBody"] = {
            "required": bool(schema.get("required")),
            "content": {"application/json": {"schema": schema}},
        }


def _document_answers(operation: dict[str, Any], success: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for code in [c for c in responses if c.startswith("2") or c == "422"]:
        del responses[code]  # FastAPI guesses 200 and 422; the sandbox answers 200 or 201, and 400 for bad input
    responses["2XX"] = {"description": "Success", "content": {"application/json": {"schema": success}}}
    responses["4XX"] = {
        "description": "Piggy's error body",
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace ``#/$defs/...`` references by their definitions (args models are not recursive)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any, depth: int = 0) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and depth < 20:
                target = dict(defs[ref.removeprefix("#/$defs/")])
                target.pop("title", None)
                return resolve({**target, **{k: v for k, v in node.items() if k != "$ref"}}, depth + 1)
            return {k: resolve(v, depth) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v, depth) for v in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent rather than null: drop the ``null`` branch of ``X | None``."""
    options = schema.get("anyOf")
    if not isinstance(options, list):
        return schema
    kept = [o for o in options if o != {"type": "null"}]
    rest = {k: v for k, v in schema.items() if k != "anyOf" and not (k == "default" and v is None)}
    return {**kept[0], **rest} if len(kept) == 1 else {**rest, "anyOf": kept}
