"""``piggy_middleware(toolkit)``: LangChain v1 ``HumanInTheLoopMiddleware`` configured from the approval policy.

Every call the toolkit's ``ApprovalPolicy`` holds for a decision interrupts with approve / edit / reject and a
description that says what will happen (``toolkit.interrupt_on()``); tools where that depends on the arguments (an
amount above the staff limit, a negative amount) interrupt through the middleware's ``when`` predicate, so reads
and small top-ups run without a person. Refused calls are refused by the tool itself. Needs ``langchain>=1.5``
(tested with 1.5.2), whose ``InterruptOnConfig`` supports ``when``.
"""

from __future__ import annotations

from typing import Any

from langchain.agents.middleware import HumanInTheLoopMiddleware

from piggy_agent_tools.hitl.describe import describe_call
from piggy_agent_tools.toolkit import PiggyToolkit


def piggy_middleware(toolkit: PiggyToolkit) -> HumanInTheLoopMiddleware:  # type: ignore[type-arg]
    """The approval middleware for ``create_agent(..., middleware=[piggy_middleware(toolkit)])``."""
    interrupt_on: dict[str, Any] = {}
    for name, config in toolkit.interrupt_on().items():
        interrupt_on[name] = {**config, "description": _describer(toolkit)}
    return HumanInTheLoopMiddleware(interrupt_on=interrupt_on, description_prefix="Piggy action needs approval")


def _describer(toolkit: PiggyToolkit) -> Any:
    def describe(tool_call: Any, state: Any, runtime: Any) -> str:
        return describe_call(toolkit, dict(tool_call))

    return describe
