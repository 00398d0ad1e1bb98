"""A scripted chat model for graph tests: ``GenericFakeChatModel`` plus ``bind_tools`` (which it lacks)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage


class ScriptedChatModel(GenericFakeChatModel):
    """Replies with the scripted messages in order; binding tools returns the same model."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        return self


def calls(*tool_calls: tuple[str, dict[str, Any]]) -> AIMessage:
    """An AI message that calls tools, as a model would: ``calls(("get_contact", {"email": ...}))``."""
    return AIMessage(
        content="",
        tool_calls=[{"name": n, "args": a, "id": f"call_{uuid.uuid4().hex[:12]}"} for n, a in tool_calls],
    )


def script(*messages: AIMessage | str) -> ScriptedChatModel:
    items: Iterator[AIMessage] = iter(m if isinstance(m, AIMessage) else AIMessage(content=m) for m in messages)
    return ScriptedChatModel(messages=items)
