"""Example graphs built on piggy-agent-tools."""
