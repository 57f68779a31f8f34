"""A model that writes exactly what a test tells it to, through the engine's own parsing."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator

from tongxue.engine.base import ChatEngine
from tongxue.engine.protocol import (
    AssistantMessage,
    ChatEvent,
    ChatRequest,
    ChatResult,
    TextDelta,
    Timings,
    Usage,
)
from tongxue.engine.tool_parser import ToolCallValidator


class WritingModel(ChatEngine):
    """A model that writes exactly the given answer: text and/or tool calls as JSON.

    The engine's own parsing and validation run on it, so the agent sees what it would see
    from a real model that wrote this.
    """

    backend = "test"
    model_name = "writes-what-it-is-told"

    def __init__(self, text: str = "", calls: list[tuple[str, dict[str, object]]] = ()) -> None:  # type: ignore[assignment]
        self.text = text
        self.calls = calls
        self.requests: list[ChatRequest] = []

    async def stream(self, request: ChatRequest) -> AsyncGenerator[ChatEvent, None]:
        self.requests.append(request)
        validator = ToolCallValidator(request.active_tools)
        calls = [validator.build(name, json.dumps(args)) for name, args in self.calls]
        if self.text:
            yield TextDelta(text=self.text)
        yield ChatResult(
            model=self.model_name,
            message=AssistantMessage(content=self.text or None, tool_calls=calls),
            finish_reason="tool_calls" if calls else "stop",
            usage=Usage(),
            timings=Timings(),
        )
