"""Every tool of the registry (read live: other tools are being added) is reachable by some offline intent, in the
staff toolkit and in the customer-scoped toolkit, or is listed with its reason in router/unreachable.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from graphs.support_agent.intents import BY_NAME, INTENTS
from piggy_agent_tools.toolkit import select_specs
from piggy_agent_tools.tools import REGISTRY

UNREACHABLE: dict[str, str] = yaml.safe_load(
    (Path(__file__).parents[2] / "graphs" / "support_agent" / "router" / "unreachable.yaml").read_text()
)


def _reached() -> set[str]:
    return {tool for intent in INTENTS for tool in intent.tools}


def test_every_staff_tool_is_reachable_or_listed_with_a_reason() -> None:
    names = {spec.name for spec in REGISTRY}
    missing = names - _reached() - set(UNREACHABLE)
    assert not missing, f"no intent reaches {sorted(missing)}: add one to router/intents.yaml or unreachable.yaml"
    assert not set(UNREACHABLE) - names, "unreachable.yaml lists tools that no longer exist"
    assert not set(UNREACHABLE) & _reached(), "a tool is both reachable and listed as unreachable"
    assert all(len(reason) > 40 for reason in UNREACHABLE.values()), "each listed tool needs a real reason"


def test_every_customer_scoped_tool_is_reachable_by_an_intent() -> None:
    scoped = {spec.name for spec in select_specs(REGISTRY, scoped=True)}
    missing = scoped - _reached() - set(UNREACHABLE)
    assert not missing, sorted(missing)


def test_intents_name_only_real_tools_and_each_has_examples() -> None:
    names = {spec.name for spec in REGISTRY}
    for intent in INTENTS:
        assert set(intent.tools) <= names, (intent.name, set(intent.tools) - names)
        assert intent.tool in names and len(intent.examples) >= 4, intent.name
    assert not BY_NAME["out_of_scope"].tools
