"""Argument types shared by the tool schemas: ids, emails, money in cents, paging. Each carries its description."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, EmailStr, Field, StringConstraints, WithJsonSchema

# Shown to the model as ``format: uuid`` and checked as one before anything is sent: a tool's ids come from Piggy v3
# results, which are UUIDs, so anything else is a guess. (The client itself accepts any identifier-shaped id,
# ``ID_PATTERN``, because the reference's recorded examples use ids such as "123123"; README, "Toolkit".)
UUID_PATTERN = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
Uuid = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=UUID_PATTERN),
    WithJsonSchema({"type": "string", "format": "uuid"}),
]
ContactUuid = Annotated[Uuid, Field(description="The contact's UUID (from get_contact).")]
ShopUuid = Annotated[Uuid, Field(description="The shop's UUID (from list_shops).")]
Email = Annotated[EmailStr, Field(description="The customer's email address.")]
Cents = Annotated[int, Field(description="Amount in cents (1250 = €12.50).", ge=-10_000_000, le=10_000_000)]
Limit = Annotated[int, Field(ge=1, le=100, description="Items per page (default 20).")]
PageNo = Annotated[int, Field(ge=1, le=100_000, description="Page number, from 1.")]


def _iso_date(value: str) -> str:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("must be an ISO 8601 date or time, like 2026-01-31 or 2026-01-31T09:00:00+00:00") from None
    return value


# Checked before sending: free text here once reached the query unchecked (100k characters crashed httpx).
IsoDate = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), AfterValidator(_iso_date)]


def _pairs_to_map(value: Any) -> Any:
    """``[{"name": n, "value": v}, ...]`` (what the model sends) as ``{n: v}``; a dict (from Python) passes as is."""
    if isinstance(value, list) and all(
        isinstance(p, dict) and set(p) <= {"name", "value"} and "name" in p for p in value
    ):
        return {p["name"]: p.get("value") for p in value}
    return value


_SCALAR = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"}]}

# Shown to the model as a list of name/value pairs: providers reject or empty open objects (OpenAI strict forces
# additionalProperties false, Gemini needs named properties), so a name-keyed map cannot be a JSON-schema object.
AttributeValues = Annotated[
    dict[str, str | int | float | bool | None],
    BeforeValidator(_pairs_to_map),
    WithJsonSchema(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "value": _SCALAR},
                "required": ["name", "value"],
            },
        }
    ),
]


def omittable(schema: dict[str, Any]) -> WithJsonSchema:
    """How an optional argument is shown: its value's schema or null. OpenAI's strict mode makes every field
    required, so without the null a model could not leave the argument out (it would have to invent a value)."""
    return WithJsonSchema({"anyOf": [schema, {"type": "null"}]})
