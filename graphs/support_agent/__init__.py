"""The example support agent: a LangGraph customer-service graph over the Piggy toolkit, with human approval."""

from graphs.support_agent.graph import build_graph

__all__ = ["build_graph"]
