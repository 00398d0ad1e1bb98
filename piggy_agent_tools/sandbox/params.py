"""Request parameters: query string and JSON, form-urlencoded or multipart bodies, merged into one dict.

Piggy's docs send JSON, the PHP SDK form-encodes with PHP bracket syntax (``attributes[firstname]=Jane``) and
Postman uses multipart too, so all are accepted and nested the same way. Each route validates the dict with a
pydantic model; a failure becomes Piggy's ``1003 Invalid input`` with per-field ``errors``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from piggy_agent_tools.sandbox.errors import fail, invalid

M = TypeVar("M", bound=BaseModel)
_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
# Inferred: real payloads nest a few levels (an order's items' attributes); PHP's json_decode gives up at 512. Deeper
# input is refused as 1003 before it can exhaust the stack (it used to answer 500).
MAX_DEPTH = 32
_TOO_DEEP = "The request is nested too deeply."
_NOT_JSON = "The request body is not valid JSON."
_INT64 = 2**63
_NOT_TEXT = "The value is not valid text (it holds a lone UTF-16 surrogate)."


def nest(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Turn ``[("a[b]", 1), ("c[]", 2)]`` into ``{"a": {"b": 1}, "c": [2]}``; numeric keys become lists."""
    out: dict[str, Any] = {}
    for raw_key, value in pairs:
        match = _KEY.match(raw_key)
        if not match:
            out[raw_key] = value
            continue
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        if len(parts) > MAX_DEPTH:
            raise fail(1003, errors={raw_key[:64]: [_TOO_DEEP]})
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
        # NaN, Infinity and numbers beyond a double are not JSON (Python accepts them; they used to answer 500).
        body = json.loads(raw, parse_constant=_not_json, parse_float=_finite_float)
    except (ValueError, RecursionError):
        raise fail(1003, errors={"body": [_NOT_JSON]}) from None
    problem = _json_problem(body)
    if problem is not None:
        raise fail(1003, errors={problem[0]: [problem[1]]})
    if isinstance(body, dict):
        params.update(body)
    elif body not in (None, [], {}):
        raise fail(1003, errors={"body": ["The request body must be a JSON object."]})
    return params


def validate(model: type[M], params: dict[str, Any]) -> M:
    """Validate parameters against a route's model, or raise 1003 naming each bad field."""
    try:
        result = model.model_validate(params)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "body"
            errors.setdefault(field, []).append(_message(field, err))
        raise invalid(errors) from None
    # A float field parses "inf" and "nan" from a query or form, and JSON integers have no bound; no amount is
    # infinite or beyond 64 bits (Inferred: Piggy stores them in 64-bit columns). Both used to answer 500.
    out_of_range = _out_of_range(result)
    if out_of_range:
        raise invalid({f: [f"The {f.replace('_', ' ')} field {problem}."] for f, problem in out_of_range})
    return result


def _message(field: str, err: Any) -> str:
    kind = err.get("type", "")
    name = field.replace("_", " ")
    if kind == "missing":
        return f"The {name} field is required."
    return f"The {name} field is invalid: {err.get('msg', 'invalid value')}."


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _json_problem(body: Any) -> tuple[str, str] | None:
    """(field, message) for the first value no route can take: nesting beyond ``MAX_DEPTH``, an integer beyond
    64 bits, or a string with a lone surrogate (valid JSON, but not text; it failed later when stored or echoed).
    Walked iteratively, so any depth is checked safely, and before any route validator sees the value."""
    stack: list[tuple[Any, str, int]] = [(body, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        where = path or "body"
        if isinstance(node, dict | list):
            if depth >= MAX_DEPTH:
                return where, _TOO_DEEP
            if isinstance(node, dict) and not all(_is_text(key) for key in node):
                return where, _NOT_TEXT
            pairs = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((child, f"{path}.{key}" if path else str(key), depth + 1) for key, child in pairs)
        elif isinstance(node, int) and not isinstance(node, bool) and not -_INT64 <= node < _INT64:
            return where, f"The {where.replace('_', ' ')} field is too large."
        elif isinstance(node, str) and not _is_text(node):
            return where, _NOT_TEXT
    return None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _out_of_range(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(dotted path, problem) for each infinite or NaN float and each integer beyond 64 bits in validated arguments."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [(path or "body", "must be a finite number")]
    if isinstance(value, int) and not isinstance(value, bool):
        return [] if -_INT64 <= value < _INT64 else [(path or "body", "is too large")]
    if isinstance(value, BaseModel):
        items: Any = iter(value)
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return []
    found: list[tuple[str, str]] = []
    for key, child in items:
        found += _out_of_range(child, f"{path}.{key}" if path else str(key))
    return found
