"""Regressions found by the bad-input suite: each input once crashed a tool or was silently misread by it."""

from __future__ import annotations

import math

import httpx
import pytest
from langchain_core.messages import ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs.support_agent.graph import build_graph
from piggy_agent_tools import AsyncPiggyClient, PiggyClient
from piggy_agent_tools.errors import InvalidRequestError
from piggy_agent_tools.hitl import review_command
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed.ids import JANE, SHOP_AMSTERDAM
from piggy_agent_tools.toolkit import PiggyToolkit
from tests.graph.fakes import calls, script
from tests.reliability._harness import CountingTransport, Seen, names_field, tool_call


@pytest.fixture
def counted(sandbox: Sandbox) -> tuple[PiggyToolkit, Seen]:
    seen = Seen()
    http = httpx.Client(transport=CountingTransport(httpx.HTTPTransport(), seen))
    client = PiggyClient(api_key=sandbox.api_key, base_url=sandbox.base_url, http_client=http)
    return PiggyToolkit(client=client), seen


@pytest.mark.parametrize("tool", ["list_contacts", "list_loyalty_transactions"])
@pytest.mark.parametrize("value", ["A" * 100_000, "' OR 1=1 --", "{{7*7}}", "2025-13-45"])
def test_a_created_after_that_is_no_iso_date_is_refused_by_name_before_any_request(
    counted: tuple[PiggyToolkit, Seen], tool: str, value: str
) -> None:
    # A 100k-character value once crashed the tool (httpx.InvalidURL: the query was too long), and list_contacts
    # answered injection text with every contact, the filter silently dropped.
    toolkit, seen = counted
    found = {t.name: t for t in toolkit.get_tools()}[tool]
    before = len(seen.requests)
    message = found.invoke(tool_call(tool, {"created_after": value}))
    assert message.status == "error"
    assert names_field(str(message.content), "created_after"), message.content
    assert len(seen.requests) == before


@pytest.mark.parametrize("tool", ["list_contacts", "list_loyalty_transactions"])
def test_an_iso_created_after_still_filters(counted: tuple[PiggyToolkit, Seen], tool: str) -> None:
    toolkit, _ = counted
    found = {t.name: t for t in toolkit.get_tools()}[tool]
    message = found.invoke(tool_call(tool, {"created_after": "2025-01-01"}))
    assert message.status == "success", message.content


def test_a_request_whose_url_cannot_be_built_raises_a_typed_error_not_an_httpx_one(client: PiggyClient) -> None:
    # httpx.InvalidURL escaped the client (a 100k-character voucher code in the query): every error is a PiggyError.
    with pytest.raises(InvalidRequestError, match="not sent"):
        client.vouchers.find("A" * 100_000)


async def test_the_async_client_also_raises_a_typed_error_for_an_unbuildable_url(aclient: AsyncPiggyClient) -> None:
    with pytest.raises(InvalidRequestError, match="not sent"):
        await aclient.vouchers.find("A" * 100_000)


@pytest.mark.parametrize(
    ("label", "name", "args"),
    [
        ("voucher_redeem", "redeem_voucher", {"code": "A" * 100_000, "shop_uuid": SHOP_AMSTERDAM}),
        ("prepaid_transaction", "create_prepaid_transaction", {"contact_uuid": JANE, "amount_in_cents": math.inf}),
        ("giftcard_transaction", "create_giftcard_transaction", {"giftcard_uuid": JANE, "amount_in_cents": -math.inf}),
    ],
)
def test_the_approval_node_describes_a_hostile_destructive_call_instead_of_crashing(
    client: PiggyClient, sandbox: Sandbox, label: str, name: str, args: dict[str, object]
) -> None:
    # Describing these for the reviewer once crashed the graph: httpx.InvalidURL from the voucher lookup, and
    # OverflowError from formatting an infinite amount (json.loads accepts Infinity, so a model can send it).
    before = len(sandbox.audit())
    graph = build_graph(
        PiggyToolkit(client=client), model=script(label, calls((name, args)), "Done."), checkpointer=InMemorySaver()
    )
    cfg = {"configurable": {"thread_id": f"hostile-{name}"}}
    graph.invoke({"messages": [("user", "please")]}, cfg)
    request = graph.get_state(cfg).interrupts[0].value["action_requests"][0]
    assert request["name"] == name and request["description"]
    graph.invoke(review_command(graph.get_state(cfg), [{"type": "approve"}]), cfg)
    answers = [m for m in graph.get_state(cfg).values["messages"] if isinstance(m, ToolMessage)]
    assert answers and answers[0].status == "error"
    assert len(sandbox.audit()) == before


@pytest.mark.parametrize("edited", ["delete_contact", ["delete_contact"], 7])
def test_an_edit_decision_whose_edited_action_is_no_object_is_refused_not_a_crash(
    client: PiggyClient, sandbox: Sandbox, new_email: str, edited: object
) -> None:
    # A reviewer UI sent edited_action as a bare tool name: the approval node crashed (AttributeError on str.get).
    victim = client.contacts.create(new_email).uuid
    toolkit = PiggyToolkit(client=client)
    graph = build_graph(
        toolkit,
        model=script("delete_account", calls(("delete_contact", {"contact_uuid": victim})), "Not done."),
        checkpointer=InMemorySaver(),
    )
    cfg = {"configurable": {"thread_id": f"bad-edit-{new_email}-{type(edited).__name__}"}}
    graph.invoke({"messages": [("user", "delete")]}, cfg)
    graph.invoke(review_command(graph.get_state(cfg), [{"type": "edit", "edited_action": edited}]), cfg)
    answer = next(m for m in graph.get_state(cfg).values["messages"] if isinstance(m, ToolMessage))
    assert answer.status == "error" and "Not run" in str(answer.content)
    assert client.contacts.get(victim).uuid == victim
    assert not [r for r in sandbox.audit("contacts.delete") if r["args"].get("contact_uuid") == victim]


@pytest.mark.parametrize(
    ("tool", "args", "field"),
    [
        ("create_anonymous_contact", {"contact_identifier_value": "x\ud800y"}, "contact_identifier_value"),
        (
            "create_webhook_subscription",
            {"name": "x\ud800y", "event_type": "contact_created", "url": "https://e.com/h"},
            "name",
        ),
        ("update_contact", {"contact_uuid": JANE, "attributes": {"firstname": "x\udfff"}}, "attributes"),
        ("update_contact", {"contact_uuid": JANE, "attributes": {"x\udfff": "Jane"}}, "attributes"),
    ],
)
def test_text_with_a_lone_surrogate_is_refused_by_name_before_any_request(
    counted: tuple[PiggyToolkit, Seen], tool: str, args: dict[str, object], field: str
) -> None:
    # json.loads turns "\ud800" into a lone surrogate, which UTF-8 cannot encode: httpx raised UnicodeEncodeError.
    toolkit, seen = counted
    found = {t.name: t for t in toolkit.get_tools()}[tool]
    before = len(seen.requests)
    message = found.invoke(tool_call(tool, args))
    assert message.status == "error"
    assert names_field(str(message.content), field), message.content
    assert len(seen.requests) == before


def test_the_client_raises_a_typed_error_for_text_utf8_cannot_encode(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError, match="not sent"):
        client.contacts.create_anonymous(contact_identifier_value="x\ud800y")


@pytest.mark.parametrize("amount", [10**30, -(10**30)])
def test_a_model_call_with_an_integer_beyond_64_bits_is_refused_not_a_checkpoint_crash(
    client: PiggyClient, sandbox: Sandbox, amount: int
) -> None:
    # json.loads gives Python ints of any size; LangGraph's checkpoint serializer stores at most 64 bits and raised
    # TypeError, crashing the conversation before any check could run.
    before = len(sandbox.audit())
    call = (
        "create_prepaid_transaction",
        {"contact_uuid": JANE, "amount_in_cents": amount, "shop_uuid": SHOP_AMSTERDAM},
    )
    graph = build_graph(
        PiggyToolkit(client=client),
        model=script("prepaid_transaction", calls(call), "Done."),
        checkpointer=InMemorySaver(),
    )
    cfg = {"configurable": {"thread_id": f"huge-int-{amount}"}}
    graph.invoke({"messages": [("user", "top up")]}, cfg)
    if graph.get_state(cfg).interrupts:
        graph.invoke(review_command(graph.get_state(cfg), [{"type": "approve"}]), cfg)
    answer = next(m for m in graph.get_state(cfg).values["messages"] if isinstance(m, ToolMessage))
    assert answer.status == "error" and names_field(str(answer.content), "amount_in_cents"), answer.content
    assert len(sandbox.audit()) == before


def test_a_model_call_with_a_lone_surrogate_in_an_argument_name_is_not_a_checkpoint_crash(
    client: PiggyClient, sandbox: Sandbox
) -> None:
    # The checkpoint serializer raised TypeError ("string contains surrogates") on such a dict key.
    before = len(sandbox.audit())
    call = ("update_contact", {"contact_uuid": JANE, "attributes": {"x\ud800y": "Jane"}})
    model = script("update_profile", calls(call), "Done.")
    graph = build_graph(PiggyToolkit(client=client), model=model, checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "surrogate-key"}}
    graph.invoke({"messages": [("user", "fix my name")]}, cfg)
    answer = next(m for m in graph.get_state(cfg).values["messages"] if isinstance(m, ToolMessage))
    assert answer.status == "error" and "attribute" in str(answer.content), answer.content
    assert len(sandbox.audit()) == before
