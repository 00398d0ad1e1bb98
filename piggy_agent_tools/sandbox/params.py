"""Request parameters: query string and JSON, form-urlencoded or multipart bodies, merged into one dict.

Piggy's docs send JSON, the PHP SDK form-encodes with PHP bracket syntax (``attributes[firstname]=Jane``) and
Postman uses multipart too, so all are accepted and nested the same way. Each route validates the dict with a
pydantic model; a failure becomes Piggy's ``1003 Invalid input`` with per-field ``errors``.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from piggy_agent_tools.sandbox.errors import fail, invalid

M = TypeVar("M", bound=BaseModel)
_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def nest(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Turn ``[("a[b]", 1), ("c[]", 2)]`` into ``{"a": {"b": 1}, "c": [2]}``; numeric keys become lists."""
    out: dict[str, Any] = {}
    for raw_key, value in pairs:
        match = _KEY.match(raw_key)
        if not match:
            out[raw_key] = value
            continue
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt_is_append = not last and parts[i + 1] == ""
            if part == "":
                if not isinstance(node, list):
                    break
                if last:
                    node.append(value)
                else:
                    node.append({})
                    node = node[-1]
                continue
            if not isinstance(node, dict):
                break
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if nxt_is_append else {})
    nested: dict[str, Any] = _listify(out)
    return nested


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        converted = {k: _listify(v) for k, v in value.items()}
        if converted and all(k.isdigit() for k in converted):
            return [converted[k] for k in sorted(converted, key=int)]
        return converted
    if isinstance(value, list):
        return [_listify(v) for v in value]
    return value


async def read_params(request: Request) -> dict[str, Any]:
    """Merged query and body parameters (body wins), whatever the content type."""
    params = nest(list(request.query_params.multi_items()))
    if request.method in ("GET", "HEAD"):
        return params
    content_type = request.headers.get("content-type", "")
    raw = await request.body()
    if not raw.strip():
        return params
    if "application/x-www-form-urlencoded" in content_type or "multipart/form-data" in content_type:
        form = await request.form()
        params.update(nest([(k, v) for k, v in form.multi_items() if isinstance(v, str)]))
        return params
    try:
        body = json.loads(raw)
    except ValueError:
        raise fail(1003, errors={"body": ["The request body is not valid JSON."]}) from None
    if isinstance(body, dict):
        params.update(body)
    elif body not in (None, [], {}):
        raise fail(1003, errors={"body": ["The request body must be a JSON object."]})
    return params


def validate(model: type[M], params: dict[str, Any]) -> M:
    """Validate parameters against a route's model, or raise 1003 naming each bad field."""
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "body"
            errors.setdefault(field, []).append(_message(field, err))
        raise invalid(errors) from None


def _message(field: str, err: Any) -> str:
    kind = err.get("type", "")
    name = field.replace("_", " ")
    if kind == "missing":
        return f"The {name} field is required."
    return f"The {name} field is invalid: {err.get('msg', 'invalid value')}."
