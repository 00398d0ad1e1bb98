"""Human-in-the-loop for Piggy tools in any LangGraph graph: the approval node, the guarded tools node, routing."""

from piggy_agent_tools.hitl.approval import (
    declined_this_turn,
    last_ai_message,
    make_approval_node,
    needs_approval,
    pending_tool_calls,
)
from piggy_agent_tools.hitl.describe import describe_call
from piggy_agent_tools.hitl.tools_node import make_tools_node

__all__ = [
    "declined_this_turn",
    "describe_call",
    "last_ai_message",
    "make_approval_node",
    "make_tools_node",
    "needs_approval",
    "pending_tool_calls",
]
