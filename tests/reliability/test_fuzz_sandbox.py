"""The sandbox under schemathesis (its own OpenAPI, positive and negative; Leat's recorded paths, negative) and under
hostile values, against a live sandbox: no 5xx, answers as documented, every error in Piggy's shape.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from schemathesis import GenerationMode

from piggy_agent_tools.sandbox import Sandbox
from tests.reliability._fuzz import (
    LEAT_CHECKS,
    SANDBOX_CHECKS,
    FuzzStats,
    example_case,
    has_inputs,
    known_ids,
    leat_spec,
    operations,
    path_parameter_names,
    run_hostile,
    run_operation,
    sandbox_spec,
)
from tests.reliability._report import FULL, publish, table

SHORT_EXAMPLES = 2  # per operation and mode: every operation is still hit in `make test`
FULL_EXAMPLES = 30
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"  # for a path parameter naming a kind with no objects

SANDBOX_OPS, SANDBOX_BROKEN = operations(sandbox_spec())
LEAT_OPS, LEAT_BROKEN = operations(leat_spec())
STATS: dict[str, FuzzStats] = {}


@pytest.fixture(scope="module")
def target(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A private sandbox for the fuzzer (it creates, changes and deletes at random)."""
    with Sandbox.start(seed="demo", rate_limit=1_000_000_000) as sb:
        yield sb
    if STATS:
        publish(request, "sandbox fuzzing (schemathesis)", text=_figures_text(), data=_figures_data())


def fuzz(target: Sandbox, spec: str, label: str, examples: int) -> FuzzStats:
    """Run one operation's cases: positive with random and with real ids (sandbox spec), negative with real ids."""
    operation = (SANDBOX_OPS if spec == "sandbox" else LEAT_OPS)[label]
    stats = STATS.setdefault(f"{spec} ({'full' if examples == FULL_EXAMPLES else 'short'})", FuzzStats())
    before = len(stats.findings)
    names = path_parameter_names(operation)
    real = {name: ids or [PLACEHOLDER_ID] for name, ids in known_ids(target.store, names).items()}
    runs: list[tuple[GenerationMode, dict[str, list[str]] | None]] = []
    if spec == "sandbox":
        runs.append((GenerationMode.POSITIVE, None))
        if names:
            runs.append((GenerationMode.POSITIVE, real))
    if has_inputs(operation):
        runs.append((GenerationMode.NEGATIVE, real))  # paths are strings: only bodies and queries can be negated
    elif spec == "leat":
        runs.append((GenerationMode.POSITIVE, None))  # nothing to negate: random ids still reach the route
    for mode, pools in runs:
        run_operation(
            operation,
            mode,
            examples=examples,
            base_url=target.base_url,
            api_key=target.api_key,
            checks=SANDBOX_CHECKS if spec == "sandbox" else LEAT_CHECKS,
            stats=stats,
            derandomize=not FULL,
            path_pools=pools,
        )
    mine = stats.findings[before:]
    assert not mine, "\n".join(str(f) for f in mine)
    return stats


@pytest.mark.parametrize("label", sorted(SANDBOX_OPS))
def test_sandbox_operation_answers_without_5xx_and_as_its_openapi_documents(target: Sandbox, label: str) -> None:
    fuzz(target, "sandbox", label, SHORT_EXAMPLES)


@pytest.mark.parametrize("label", sorted(LEAT_OPS))
def test_leat_recorded_operation_answers_bad_input_with_a_piggy_error_never_5xx(target: Sandbox, label: str) -> None:
    fuzz(target, "leat", label, SHORT_EXAMPLES)


@pytest.mark.parametrize("label", sorted(SANDBOX_OPS))
@pytest.mark.slow
@pytest.mark.skipif(not FULL, reason="the long form runs under PIGGY_RELIABILITY=full")
def test_sandbox_operation_answers_without_5xx_and_as_documented_long_form(target: Sandbox, label: str) -> None:
    fuzz(target, "sandbox", label, FULL_EXAMPLES)


@pytest.mark.parametrize("label", sorted(LEAT_OPS))
@pytest.mark.slow
@pytest.mark.skipif(not FULL, reason="the long form runs under PIGGY_RELIABILITY=full")
def test_leat_recorded_operation_answers_bad_input_with_a_piggy_error_long_form(target: Sandbox, label: str) -> None:
    fuzz(target, "leat", label, FULL_EXAMPLES)


def hostile(target: Sandbox, label: str, *, every: bool) -> None:
    """Hostile values (NaN, 1e400, 10**400, 1000-deep arrays, lone surrogates...) in each field of one valid case."""
    operation = SANDBOX_OPS[label]
    stats = STATS.setdefault(f"hostile values ({'full' if every else 'short'})", FuzzStats())
    before = len(stats.findings)
    names = path_parameter_names(operation)
    real = {name: ids or [PLACEHOLDER_ID] for name, ids in known_ids(target.store, names).items()}
    base = example_case(operation, real or None)
    salt = sorted(SANDBOX_OPS).index(label)
    run_hostile(operation, base, base_url=target.base_url, api_key=target.api_key, stats=stats, every=every, salt=salt)
    mine = stats.findings[before:]
    assert not mine, "\n".join(str(f) for f in mine)


@pytest.mark.parametrize("label", sorted(SANDBOX_OPS))
def test_sandbox_operation_refuses_hostile_values_with_a_piggy_error_never_5xx(target: Sandbox, label: str) -> None:
    hostile(target, label, every=False)


@pytest.mark.parametrize("label", sorted(SANDBOX_OPS))
@pytest.mark.slow
@pytest.mark.skipif(not FULL, reason="the long form runs under PIGGY_RELIABILITY=full")
def test_sandbox_operation_refuses_every_hostile_value_in_every_field_long_form(target: Sandbox, label: str) -> None:
    hostile(target, label, every=True)


def test_both_specs_load_completely_and_cover_the_api() -> None:
    """Every operation loads in schemathesis, and the Leat collection maps onto the sandbox's paths."""
    assert not SANDBOX_BROKEN, SANDBOX_BROKEN
    assert not LEAT_BROKEN, LEAT_BROKEN
    assert len(SANDBOX_OPS) >= 150
    if leat_spec() is None:
        pytest.skip("../shared/piggy-api/leat-openapi.yaml is not beside the checkout")
    assert len(LEAT_OPS) >= 120


def test_sandbox_openapi_documents_route_parameters_and_piggy_errors() -> None:
    """The params routes read with ``ctx.args`` appear in the OpenAPI, and every operation documents 4XX errors."""
    paths = sandbox_spec()["paths"]
    listing = paths["/api/v3/oauth/clients/contacts"]["get"]
    assert {"page", "limit"} <= {p["name"] for p in listing["parameters"]}
    award = paths["/api/v3/oauth/clients/credit-receptions"]["post"]
    body = award["requestBody"]["content"]["application/json"]["schema"]
    assert {"contact_uuid", "shop_uuid"} <= set(body["required"])
    for item in paths.values():
        for operation in item.values():
            assert set(operation["responses"]) == {"2XX", "4XX"}
            error = operation["responses"]["4XX"]["content"]["application/json"]["schema"]
            assert error["required"] == ["message", "code", "status_code"]


def _figures_data() -> dict[str, Any]:
    return {
        name: {
            "operations": len(LEAT_OPS if name.startswith("leat") else SANDBOX_OPS),
            "cases": s.cases,
            "statuses": dict(sorted(s.statuses.items())),
            "server_errors": s.server_errors,
            "findings": [str(f) for f in s.findings],
            "unsatisfiable": s.unsatisfiable,
        }
        for name, s in STATS.items()
    }


def _figures_text() -> str:
    rows = []
    for name, s in STATS.items():
        ops = len(LEAT_OPS if name.startswith("leat") else SANDBOX_OPS)
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(s.statuses).items()))
        rows.append([name, ops, s.cases, statuses, s.server_errors, len(s.findings)])
    return table(["spec (form)", "operations", "requests", "statuses", "5xx", "findings"], rows)
