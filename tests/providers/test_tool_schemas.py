"""Every registry tool's schema through the real provider converters (OpenAI, also strict; Anthropic; Google), offline.

Each converter must accept every tool, keep every field (a property path lost or emptied is a field the model can no
longer fill), and produce what the provider's API accepts: the rules checked here are the ones the providers document
and enforce with a 400 (OpenAI strict: every object closed with all keys required; Anthropic: an object root; Gemini:
no object without named properties). The registry is iterated live, so a tool added tomorrow is checked too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from langchain_anthropic import ChatAnthropic
from langchain_core.tools import BaseTool
from langchain_google_genai._function_utils import convert_to_genai_function_declarations
from langchain_openai import ChatOpenAI

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import REGISTRY

TOM = "1cf32132-f24d-5815-b297-7be68545c5d5"
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@pytest.fixture(scope="module", params=["staff", "customer"])
def tools(request: pytest.FixtureRequest, sandbox: Any) -> list[BaseTool]:
    """All tools a staff toolkit offers, or all a customer-scoped one does (its schemas lose the injected ids)."""
    with PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url) as client:
        toolkit = PiggyToolkit(client=client, contact_uuid=TOM if request.param == "customer" else None)
        return toolkit.get_tools()


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = {**defs[schema["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def fields(schema: dict[str, Any], defs: dict[str, Any] | None = None, at: str = "") -> set[str]:
    """Every property path a model can fill (``line_items[].quantity``), following $ref, items and unions; an open
    object's values show as ``path{}`` so a converter that closes it is caught."""
    defs = {**(defs or {}), **schema.get("$defs", {}), **schema.get("definitions", {})}
    schema = _resolve(schema, defs)
    found: set[str] = set()
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{at}.{name}" if at else name
        found |= {path} | fields(sub, defs, path)
    if isinstance(schema.get("items"), dict):
        found |= fields(schema["items"], defs, f"{at}[]")
    extra = schema.get("additionalProperties")
    if extra is True or (isinstance(extra, dict)):
        found.add(f"{at}{{}}")
    for key in ("anyOf", "oneOf", "allOf", "any_of"):
        for sub in schema.get(key) or ():
            found |= fields(sub, defs, at)
    return found


def described(schema: dict[str, Any], defs: dict[str, Any] | None = None, at: str = "") -> dict[str, str]:
    """The description of every property path that has one: what the model reads about each argument."""
    defs = {**(defs or {}), **schema.get("$defs", {})}
    schema = _resolve(schema, defs)
    found: dict[str, str] = {}
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{at}.{name}" if at else name
        if _resolve(sub, defs).get("description"):
            found[path] = _resolve(sub, defs)["description"]
        found |= described(sub, defs, path)
    if isinstance(schema.get("items"), dict):
        found |= described(schema["items"], defs, f"{at}[]")
    for key in ("anyOf", "any_of"):
        for sub in schema.get(key) or ():
            found |= described(sub, defs, at)
    return found


def objects(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every object-typed subschema (after conversion there are no $refs left to follow)."""
    found = [schema] if str(schema.get("type")).lower().endswith("object") else []
    for key, value in schema.items():
        subs = list(value.values()) if key == "properties" else value if isinstance(value, list) else [value]
        for sub in subs:
            if isinstance(sub, dict):
                found += objects(sub)
    return found


def original(tool: BaseTool) -> dict[str, Any]:
    schema: dict[str, Any] = tool.tool_call_schema.model_json_schema()  # type: ignore[union-attr]
    return schema


def expected(tool: BaseTool) -> set[str]:
    return fields(original(tool))


def test_the_live_registry_is_what_is_checked(tools: list[BaseTool]) -> None:
    assert len(tools) >= 40
    assert {t.name for t in tools} <= {s.name for s in REGISTRY}


@pytest.mark.parametrize("strict", [None, True])
def test_openai_accepts_every_tool_and_keeps_every_field(tools: list[BaseTool], strict: bool | None) -> None:
    bound = ChatOpenAI(model="gpt-4.1-mini", api_key="sk-offline").bind_tools(tools, strict=strict)  # type: ignore[arg-type]
    converted = bound.kwargs["tools"]  # type: ignore[attr-defined]
    unomittable: list[str] = []
    assert [c["function"]["name"] for c in converted] == [t.name for t in tools]
    for tool, c in zip(tools, converted, strict=True):
        fn = c["function"]
        assert NAME.match(fn["name"]) and len(fn["description"]) <= 1024, tool.name
        params = fn["parameters"]
        assert params["type"] == "object" and not {"anyOf", "oneOf", "allOf", "enum", "not"} & set(params), tool.name
        assert fields(params) == expected(tool), tool.name
        assert described(params) == described(original(tool)), tool.name
        if strict:
            assert fn["strict"] is True
            source = original(tool)
            for obj in objects(params):
                assert obj.get("additionalProperties") is False, (tool.name, obj)
                assert sorted(obj.get("required", [])) == sorted(obj.get("properties", {})), (tool.name, obj)
            # Strict makes every field required: a field one may leave out must then accept null, or the model
            # has to invent a value for it.
            for name, prop in params["properties"].items():
                if source["properties"][name].get("default", ...) is None:
                    kinds = [prop.get("type")] + [s.get("type") for s in prop.get("anyOf", [])]
                    if "null" not in kinds:
                        unomittable.append(f"{tool.name}.{name}")
    assert unomittable == [], "optional, but a strict model cannot leave them out (no null)"


def test_anthropic_accepts_every_tool_and_keeps_every_field(tools: list[BaseTool]) -> None:
    bound = ChatAnthropic(model="claude-sonnet-4-5", api_key="sk-offline").bind_tools(tools)  # type: ignore[call-arg]
    converted = bound.kwargs["tools"]  # type: ignore[attr-defined]
    assert [c["name"] for c in converted] == [t.name for t in tools]  # none dropped for a top-level union
    for tool, c in zip(tools, converted, strict=True):
        assert NAME.match(c["name"]) and c["description"], tool.name
        schema = c["input_schema"]
        assert schema["type"] == "object" and not {"anyOf", "oneOf", "allOf"} & set(schema), tool.name
        assert fields(schema) == expected(tool), tool.name
        assert described(schema) == described(original(tool)), tool.name


def test_google_accepts_every_tool_and_keeps_every_field(tools: list[BaseTool]) -> None:
    declarations = [d for tool in convert_to_genai_function_declarations(tools) for d in tool.function_declarations]
    lost: list[str] = []
    assert [d.name for d in declarations] == [t.name for t in tools]
    for tool, declaration in zip(tools, declarations, strict=True):
        assert declaration.description, tool.name
        params = declaration.parameters.model_dump(exclude_none=True)  # type: ignore[union-attr]
        # Gemini answers 400 "properties: should be non-empty for OBJECT type" for a field that is an object without
        # named fields (an open map); the root of a tool without arguments may be empty.
        for obj in objects(params)[1:]:
            assert obj.get("properties"), (tool.name, obj)
        assert fields(params) == expected(tool), tool.name
        lost += [f"{tool.name}.{k}" for k, v in described(original(tool)).items() if described(params).get(k) != v]
    assert lost == [], "descriptions Gemini would not see"


def test_the_checks_catch_an_open_map_and_an_optional_field_without_null() -> None:
    """What the registry had before: a name-keyed dict argument, and optional arguments shown without their null."""
    from typing import Annotated

    from langchain_core.tools import StructuredTool
    from pydantic import BaseModel, Field, WithJsonSchema

    class Args(BaseModel):
        attributes: dict[str, str] = Field(description="Values by name.")
        shop_uuid: Annotated[str | None, WithJsonSchema({"type": "string"})] = Field(None, description="A shop.")

    tool = StructuredTool(name="t", description="d", args_schema=Args, func=lambda **kwargs: "")
    strict = ChatOpenAI(model="gpt-4.1-mini", api_key="sk-offline").bind_tools([tool], strict=True)
    params = strict.kwargs["tools"][0]["function"]["parameters"]  # type: ignore[attr-defined]
    assert fields(params) != expected(tool)  # the map's values are gone: additionalProperties was forced to false
    assert params["properties"]["shop_uuid"]["type"] == "string"  # required now, and null is not allowed
    google = convert_to_genai_function_declarations([tool])[0].function_declarations[0]  # type: ignore[index]
    assert not [o for o in objects(google.parameters.model_dump(exclude_none=True))[1:] if o.get("properties")]  # type: ignore[union-attr]
