"""Schemathesis plumbing for the sandbox fuzz tests: the two specs, and a runner that counts every request it sends.

The runner never stops at the first problem: it sends all the cases it is given, records each 5xx, each answer the
schema does not allow and each error body not in Piggy's shape, and the test then asserts there were none.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import requests
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from piggy_agent_tools.sandbox.app import API_PREFIX, create_app
from piggy_agent_tools.sandbox.store import Store

# The same reference folder the conformance tests use (PIGGY_API_REFERENCE, else ../shared/piggy-api).
LEAT_YAML = (
    Path(os.environ.get("PIGGY_API_REFERENCE", Path(__file__).resolve().parents[3] / "shared" / "piggy-api"))
    / "leat-openapi.yaml"
)
LEAT_PREFIX = "/oauth/clients"
SANDBOX_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
LEAT_CHECKS = [not_a_server_error]


@cache
def sandbox_spec() -> dict[str, Any]:
    """The sandbox's own OpenAPI document, as served at ``/_sandbox/openapi.json`` (built without a server)."""
    return create_app(Store(":memory:"), "unused").openapi()


@cache
def leat_spec() -> dict[str, Any] | None:
    """Leat's recorded collection, narrowed to the OAuth clients API and moved under the sandbox's ``/api/v3``.

    Its ``Authorization`` header parameters and Postman's ``noauth`` security are removed: the runner sends the
    sandbox key on every request, so cases reach the routes instead of stopping at 401.
    """
    if not LEAT_YAML.exists():
        return None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(LEAT_YAML.read_text(encoding="utf-8"), Loader=loader)  # a safe loader (C or pure Python)
    raw = json.loads(json.dumps(raw, default=str))  # YAML dates become strings, as they are on the wire
    paths: dict[str, Any] = {}
    for path, item in raw["paths"].items():
        if not path.startswith(LEAT_PREFIX + "/") or path == LEAT_PREFIX + "/":
            continue
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            operation.pop("security", None)
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if str(p.get("name", "")).lower() != "authorization"
            ]
        paths[API_PREFIX + path.removeprefix(LEAT_PREFIX)] = item
    raw["paths"] = paths
    raw.pop("security", None)
    raw.get("components", {}).pop("securitySchemes", None)
    raw["servers"] = [{"url": "http://127.0.0.1"}]
    return dict(raw)


def piggy_error_problem(response: requests.Response | Any) -> str | None:
    """Why an error answer is not Piggy's ``{message: str, code: int, status_code: int[, errors: object]}``."""
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return "error body is not JSON"
    if not isinstance(body, dict):
        return "error body is not an object"
    if not isinstance(body.get("message"), str):
        return "error body has no string 'message'"
    for key in ("code", "status_code"):
        if not isinstance(body.get(key), int) or isinstance(body.get(key), bool):
            return f"error body has no integer {key!r}"
    if body["status_code"] != response.status_code:
        return f"error body says status_code {body['status_code']} on HTTP {response.status_code}"
    if "errors" in body and not isinstance(body["errors"], dict):
        return "error body 'errors' is not an object"
    return None


@dataclass
class Finding:
    """One problem: what, where, and a command to reproduce it."""

    kind: str
    operation: str
    status: int
    detail: str
    curl: str

    def __str__(self) -> str:
        return f"{self.operation} -> HTTP {self.status}: {self.kind}: {self.detail}\n    {self.curl}"


@dataclass
class FuzzStats:
    """What a run sent and saw, across operations."""

    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def has_inputs(operation: Any) -> bool:
    """Whether negative mode has anything to break: a body or query / header parameters (paths are strings)."""
    definition = operation.definition.raw
    params = [p for p in definition.get("parameters", []) if p.get("in") in ("query", "header")]
    return bool(params) or "requestBody" in definition


# Path parameter name -> the kind of sandbox document it names, where the name alone does not say.
_KIND_OF = {
    "anonymous_contact": "contact",
    "some_contact": "contact",
    "category": "product_category",
    "loyalty_transaction": "credit_reception",
    "collectable_reward_redemption": "reward_reception",
    "voucher_redemption": "voucher_redemption",
    "webhook": "webhook_subscription",
}


def path_parameter_names(operation: Any) -> list[str]:
    return [p["name"] for p in operation.definition.raw.get("parameters", []) if p.get("in") == "path"]


def known_ids(store: Store, names: list[str]) -> dict[str, list[str]]:
    """For each path parameter, the ids of existing sandbox objects of that kind (seeded or made by the fuzzer)."""
    pools: dict[str, list[str]] = {}
    with store.tx() as tx:
        for name in names:
            stem, _, key = name.rpartition("_")
            field_name = {"uuid": "uuid", "name": "name", "id": "id", "token": "token"}.get(key, "uuid")
            docs = tx.all(_KIND_OF.get(stem, stem)) if stem else []
            pools[name] = sorted({str(d[field_name]) for d in docs if d.get(field_name) is not None})[:20]
    return pools


def case_strategy(operation: Any, mode: GenerationMode, path_pools: dict[str, list[str]] | None) -> Any:
    """Cases for one operation; with ``path_pools``, path parameters name existing objects instead of random text."""
    if not path_pools:
        return operation.as_strategy(generation_mode=mode)
    combos = st.fixed_dictionaries({name: st.sampled_from(ids) for name, ids in path_pools.items()})
    return combos.flatmap(lambda chosen: operation.as_strategy(generation_mode=mode, path_parameters=chosen))


def run_operation(
    operation: Any,
    mode: GenerationMode,
    *,
    examples: int,
    base_url: str,
    api_key: str,
    checks: list[Any],
    stats: FuzzStats,
    derandomize: bool,
    path_pools: dict[str, list[str]] | None = None,
) -> None:
    """Send ``examples`` generated cases for one operation; record every problem in ``stats`` (never raises)."""
    headers = {"Authorization": f"Bearer {api_key}"}
    session = requests.Session()
    seen: set[tuple[str, int, str]] = set()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=derandomize,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=case_strategy(operation, mode, path_pools))
    def send(case: Any) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30, allow_redirects=False)
        stats.cases += 1
        stats.statuses[response.status_code] += 1
        problems: list[tuple[str, str]] = []
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except* Exception as group:
            problems += [(type(e).__name__, str(e).splitlines()[0][:160]) for e in group.exceptions]
        shape = piggy_error_problem(response)
        if shape:
            problems.append(("PiggyErrorShape", shape))
        for kind, detail in problems:
            key = (kind, response.status_code, detail)
            if key not in seen:
                seen.add(key)
                curl = case.as_curl_command(headers={"Authorization": "Bearer $KEY"})
                stats.findings.append(Finding(kind, operation.label, response.status_code, detail, curl))

    try:
        send()
    except Unsatisfiable:
        stats.unsatisfiable.append(f"{operation.label} ({mode.value})")
    finally:
        session.close()


def load(spec: dict[str, Any]) -> Any:
    return schemathesis.openapi.from_dict(spec)


def operations(spec: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    """Label -> operation for every operation schemathesis can load, and why each of the others could not load."""
    if spec is None:
        return {}, []
    found: dict[str, Any] = {}
    broken: list[str] = []
    for result in load(spec).get_all_operations():
        try:
            operation = result.ok()
        except Exception as exc:  # an operation the spec describes badly is counted, not fatal
            broken.append(str(exc).splitlines()[0][:160])
            continue
        found[operation.label] = operation
    return found, broken


# --- hostile values: what schemathesis does not generate (not JSON, or past the limits of floats, ints, text) ---

HOSTILE_JSON = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "1" + "0" * 400,
    "-1" + "0" * 400,
    "[" * 1000 + "]" * 1000,
    '{"a":' * 40 + "1" + "}" * 40,
    '"' + "x" * 100_000 + '"',
    '"\\u0000"',
    '"\\ud800"',
    "true",
    "null",
    "[]",
    "{}",
    "-1",
    "0",
    "1.5",
    '"2021-13-45T99:99:99"',
    '"../../etc/passwd"',
]
HOSTILE_TEXT = ["inf", "nan", "-inf", "1e400", "1" + "0" * 400, "-1", "0", "", "\x00", "x" * 10_000, "2021-13-45", "%"]


def example_case(operation: Any, path_pools: dict[str, list[str]] | None) -> Any:
    """One valid case for the operation (deterministic), as the base that hostile values are put into."""
    found: list[Any] = []

    @settings(
        max_examples=1,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=case_strategy(operation, GenerationMode.POSITIVE, path_pools))
    def grab(case: Any) -> None:
        found.append(case)

    grab()
    return found[0]


def run_hostile(
    operation: Any, base: Any, *, base_url: str, api_key: str, stats: FuzzStats, every: bool, salt: int
) -> None:
    """Put each hostile value into each documented field (JSON body, form body, query) of ``base``.

    With ``every`` False, each field gets one hostile JSON value and one hostile text (rotating by ``salt``)."""
    raw = operation.definition.raw
    schema = raw.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    fields = [*schema.get("properties", {}), "undocumented_field"]
    queries = [p["name"] for p in raw.get("parameters", []) if p.get("in") == "query"]
    body = base.body if isinstance(base.body, dict) else {}
    query = {k: v for k, v in (base.query or {}).items() if isinstance(v, str | int | float)}
    method = operation.method.upper()
    has_body = method in ("POST", "PUT", "PATCH")

    def pick(values: list[str], i: int) -> list[str]:
        return values if every else [values[(salt + i) % len(values)]]

    requests_: list[dict[str, Any]] = []
    for i, name in enumerate(fields if has_body else []):
        for token in pick(HOSTILE_JSON, i):
            text = json.dumps({**body, name: "__HOSTILE__"}).replace('"__HOSTILE__"', token)
            requests_.append({"data": text.encode("utf-8"), "headers": {"Content-Type": "application/json"}})
        for token in pick(HOSTILE_TEXT, i):
            form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
            requests_.append({"data": {**form, name: token}})
    for i, name in enumerate(queries):
        for token in pick(HOSTILE_TEXT, i):
            requests_.append({"params": {**query, name: token}})
    headers = {"Authorization": f"Bearer {api_key}", "Connection": "close"}
    with requests.Session() as session:
        for kwargs in requests_:
            sent_headers = {**headers, **kwargs.pop("headers", {})}
            url = base_url + base.formatted_path
            response = session.request(method, url, headers=sent_headers, timeout=30, allow_redirects=False, **kwargs)
            stats.cases += 1
            stats.statuses[response.status_code] += 1
            problem = "server error" if response.status_code >= 500 else piggy_error_problem(response)
            if problem:
                shown = {k: (str(v)[:80] if k != "headers" else None) for k, v in kwargs.items()}
                stats.findings.append(Finding("Hostile", operation.label, response.status_code, problem, str(shown)))
