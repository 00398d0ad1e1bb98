"""Toolkit selection and safety: read_only hides writes, filters work, scoped mode injects the contact."""

from __future__ import annotations

import pytest

from piggy_agent_tools.policy import Verdict
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import REGISTRY, Risk
from tests.tools.helpers import call, content


def test_read_only_hides_every_write_and_destructive_tool(make_toolkit) -> None:  # type: ignore[no-untyped-def]
    tools = make_toolkit(read_only=True).get_tools()
    assert tools
    assert {t.metadata["piggy_risk"] for t in tools} == {"read"}
    writes = {s.name for s in REGISTRY if s.max_risk is not Risk.READ}
    assert writes.isdisjoint({t.name for t in tools})


def test_include_exclude_and_groups_filter_by_name_and_group(make_toolkit) -> None:  # type: ignore[no-untyped-def]
    assert [t.name for t in make_toolkit(include=["get_contact"]).get_tools()] == ["get_contact"]
    names = {t.name for t in make_toolkit(groups=["contacts"], exclude=["delete_contact"]).get_tools()}
    assert "get_contact" in names and "delete_contact" not in names
    assert all(s.group == "contacts" for s in make_toolkit(groups=["contacts"]).specs)


def test_unknown_names_and_groups_are_errors_not_silence(make_toolkit) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown tool"):
        make_toolkit(include=["get_contcat"])
    with pytest.raises(ValueError, match="unknown group"):
        make_toolkit(groups=["contact"])


def test_every_tool_has_metadata_tags_and_field_descriptions(toolkit: PiggyToolkit) -> None:
    for tool in toolkit.get_tools():
        assert tool.metadata is not None and tool.metadata["piggy_risk"] in {"read", "write", "destructive"}
        assert tool.metadata["piggy_group"] in (tool.tags or [])
        assert tool.response_format == "content_and_artifact"
        assert 10 <= len(tool.description.split()) <= 70, tool.name
        schema = tool.get_input_schema().model_json_schema()
        for field, prop in schema.get("properties", {}).items():
            nested = [p.get("description") for p in prop.get("anyOf", [])]
            assert prop.get("description") or any(nested) or "$ref" in prop, f"{tool.name}.{field}"


def test_scoped_mode_removes_contact_arguments_and_other_contact_tools(make_toolkit) -> None:  # type: ignore[no-untyped-def]
    scoped = make_toolkit(contact_uuid=ids.JANE)
    names = {t.name for t in scoped.get_tools()}
    assert "list_contacts" not in names and "create_contact" not in names
    for tool in scoped.get_tools():
        assert "contact_uuid" not in tool.args, tool.name
        assert "email" not in tool.args or tool.name not in {"get_contact"}


def test_scoped_get_contact_always_returns_the_bound_contact(make_toolkit) -> None:  # type: ignore[no-untyped-def]
    scoped = make_toolkit(contact_uuid=ids.JANE)
    assert content(call(scoped, "get_contact"))["uuid"] == ids.JANE
    # Arguments for another contact are not part of the schema; they are ignored, never obeyed.
    assert content(call(scoped, "get_contact", contact_uuid=ids.TOM))["uuid"] == ids.JANE


def test_interrupt_on_lists_the_tools_the_policy_can_hold_for_a_decision(toolkit: PiggyToolkit) -> None:
    mapping = toolkit.interrupt_on()
    deciding = {s.name for s in toolkit.specs if Verdict.DECIDE in toolkit.policy.verdicts(s, toolkit.principal)}
    assert set(mapping) == deciding
    assert {"award_credits", "create_webhook_subscription", "get_contacts_portal_url", "delete_contact"} <= deciding
    assert "update_contact" not in deciding  # an overwrite: destructiveHint, but no decision
    for config in mapping.values():
        assert config["allowed_decisions"] == ["approve", "edit", "reject"]


def test_risk_of_unknown_tool_is_destructive(toolkit: PiggyToolkit) -> None:
    assert toolkit.risk_of({"name": "drop_everything", "args": {}}) is Risk.DESTRUCTIVE
    assert toolkit.risk_of({"name": "get_contact", "args": {"email": "a@b.co"}}) is Risk.READ
