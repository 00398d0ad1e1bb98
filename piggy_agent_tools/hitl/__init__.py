"""Human-in-the-loop for Piggy tools in any LangGraph graph: the approval node, the guarded tools node, routing."""

from piggy_agent_tools.hitl.approval import (
    approval_matches,
    check_call_ids,
    declined_this_turn,
    last_ai_message,
    make_approval_node,
    needs_approval,
    pending_tool_calls,
    review_command,
    undecided_calls,
)
from piggy_agent_tools.hitl.describe import describe_call
from piggy_agent_tools.hitl.tools_node import (
    ToolRunner,
    make_tool_task,
    make_tools_node,
    route_after_approval,
    route_tool_calls,
    with_sync_durability,
)

__all__ = [
    "ToolRunner",
    "approval_matches",
    "check_call_ids",
    "declined_this_turn",
    "describe_call",
    "last_ai_message",
    "make_approval_node",
    "make_tool_task",
    "make_tools_node",
    "needs_approval",
    "pending_tool_calls",
    "review_command",
    "route_after_approval",
    "route_tool_calls",
    "undecided_calls",
    "with_sync_durability",
]
