"""Every tool in the live registry refuses an unknown argument by name, lists what it accepts, and sends nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from langchain_core.messages import ToolMessage

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from piggy_agent_tools.toolkit import PiggyToolkit
from piggy_agent_tools.tools import REGISTRY

STRAY = "shop_filter_xyz"


@pytest.fixture(scope="module")
def counted(sandbox: Sandbox) -> Iterator[tuple[dict[str, PiggyToolkit], list[httpx.Request]]]:
    """Staff and customer-scoped toolkits over one HTTP client that records every request (real HTTP, no mock)."""
    sent: list[httpx.Request] = []
    with httpx.Client(timeout=30, event_hooks={"request": [sent.append]}) as http:
        client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
        kits = {"staff": PiggyToolkit(client=client), "scoped": PiggyToolkit(client=client, contact_uuid=ids.JANE)}
        for kit in kits.values():
            kit.get_tools()
        yield kits, sent


def test_the_registry_is_read_live_not_a_copied_list() -> None:
    # New tools added to the registry are covered without editing this file.
    assert len(REGISTRY) >= 60 and len({s.name for s in REGISTRY}) == len(REGISTRY)


@pytest.mark.parametrize("variant", ["staff", "scoped"])
async def test_every_tool_refuses_an_unknown_argument_naming_it_and_the_accepted_ones(
    counted: tuple[dict[str, PiggyToolkit], list[httpx.Request]], variant: str
) -> None:
    kits, sent = counted
    tools = kits[variant].get_tools()
    assert tools
    for i, tool in enumerate(tools):
        accepted = sorted(tool.args)
        before = len(sent)
        call = {"type": "tool_call", "id": uuid.uuid4().hex, "name": tool.name, "args": {STRAY: "x"}}
        message = await tool.ainvoke(call) if i % 2 else tool.invoke(call)
        assert isinstance(message, ToolMessage)
        text = str(message.content)
        assert message.status == "error", (tool.name, text)
        assert text.startswith(f"Error in {tool.name}: invalid arguments: {STRAY} is not an argument"), text
        listed = text.split("(it accepts: ", 1)[1].split(")", 1)[0]
        assert listed == ("no arguments" if not accepted else ", ".join(a for a in tool.args)), (tool.name, text)
        assert "nothing was sent" in text and len(sent) == before, tool.name


def test_a_bogus_shop_filter_on_list_rewards_is_never_silently_dropped(
    counted: tuple[dict[str, PiggyToolkit], list[httpx.Request]],
) -> None:
    kits, _ = counted
    tool = next(t for t in kits["staff"].get_tools() if t.name == "list_rewards")
    message = tool.invoke({"type": "tool_call", "id": "c1", "name": "list_rewards", "args": {"shop": "nope"}})
    assert message.status == "error" and "shop is not an argument" in str(message.content)


def test_a_call_is_validated_once_not_by_langchain_and_again_by_the_toolkit(
    counted: tuple[dict[str, PiggyToolkit], list[httpx.Request]], monkeypatch: pytest.MonkeyPatch
) -> None:
    kits, _ = counted
    tool = next(t for t in kits["staff"].get_tools() if t.name == "get_prepaid_balance")
    spec = kits["staff"].spec("get_prepaid_balance")
    assert spec is not None and tool.args_schema is spec.args  # nothing injected: the visible schema is the model
    calls: list[object] = []
    original = spec.args.model_validate.__func__  # type: ignore[attr-defined]

    def counting(cls: type, obj: object, *args: object, **kwargs: object) -> object:
        calls.append(obj)
        return original(cls, obj, *args, **kwargs)

    monkeypatch.setattr(spec.args, "model_validate", classmethod(counting))
    message = tool.invoke({"type": "tool_call", "id": "v1", "name": tool.name, "args": {"contact_uuid": ids.JANE}})
    assert message.status == "success" and len(calls) == 1
