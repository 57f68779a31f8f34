"""Any OpenAI-compatible server as the engine: vLLM on a GPU, llama.cpp's server, Ollama.

Servers that parse tool calls themselves (vLLM with `--tool-call-parser hermes`) send
structured `tool_calls`; the others send the model's raw text, which goes through the same
parser as the local backends. Either way every call is validated against its tool's schema.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from typing import Any

import openai
from openai import AsyncOpenAI

from tongxue.engine.base import ChatEngine, collect_events
from tongxue.engine.errors import EngineError
from tongxue.engine.protocol import (
    AssistantMessage,
    ChatEvent,
    ChatRequest,
    ChatResult,
    FinishReason,
    NamedToolChoice,
    Timings,
    ToolCall,
    Usage,
)
from tongxue.engine.tool_parser import StreamingToolCallParser, ToolCallValidator


class _PendingCall:
    def __init__(self) -> None:
        self.id = ""
        self.name = ""
        self.arguments = ""


class OpenAICompatibleEngine(ChatEngine):
    backend = "openai"

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str = "EMPTY",
        model: str | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.client = AsyncOpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0
        )
        self.base_url = base_url
        self.model_name = model or ""

    async def resolve_model_name(self) -> str:
        if not self.model_name:
            try:
                models = await self.client.models.list()
            except openai.APIError as exc:
                raise EngineError(f"cannot list models at {self.base_url}: {exc}") from exc
            if not models.data:
                raise EngineError(f"the server at {self.base_url} serves no model")
            self.model_name = models.data[0].id
        return self.model_name

    def _payload(self, request: ChatRequest, model: str) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": model,
            "messages": [m.model_dump(exclude_none=True) for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "presence_penalty": request.presence_penalty,
            "frequency_penalty": request.frequency_penalty,
            "stream": True,
            "stream_options": {"include_usage": True},
            # vLLM and llama.cpp's server read these sampling extras; others ignore them.
            "extra_body": {
                "top_k": request.top_k,
                "min_p": request.min_p,
                "repetition_penalty": request.repeat_penalty,
            },
        }
        if request.stop:
            payload["stop"] = request.stop
        if request.seed is not None:
            payload["seed"] = request.seed
        if request.tools:
            payload["tools"] = [t.model_dump(exclude_none=True) for t in request.tools]
            choice = request.tool_choice
            payload["tool_choice"] = (
                choice.model_dump() if isinstance(choice, NamedToolChoice) else choice
            )
        if request.response_format is not None:
            payload["response_format"] = request.response_format.model_dump(
                by_alias=True, exclude_none=True
            )
        return payload

    async def _create(self, payload: dict[str, Any], extra_body: dict[str, Any]) -> Any:
        try:
            return await self.client.chat.completions.create(**payload, extra_body=extra_body)
        except openai.APIStatusError as exc:
            fmt = payload.get("response_format") or {}
            if fmt.get("type") != "json_schema" or "json_schema" not in str(exc):
                raise
            # llama.cpp's server predates OpenAI's json_schema shape; it takes the same
            # schema as {"type": "json_object", "schema": ...}.
            schema = (fmt.get("json_schema") or {}).get("schema", {})
            retry = {**payload, "response_format": {"type": "json_object", "schema": schema}}
            return await self.client.chat.completions.create(**retry, extra_body=extra_body)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[ChatEvent, None]:
        started = time.perf_counter()
        model = await self.resolve_model_name()
        tools = request.active_tools
        parser = StreamingToolCallParser(tools)
        validator = ToolCallValidator(tools)
        pending: dict[int, _PendingCall] = {}
        content: list[str] = []
        calls: list[ToolCall] = []
        usage: Usage | None = None
        chunks_seen = 0
        finish: FinishReason = "stop"
        first_token_at: float | None = None
        payload = self._payload(request, model)
        extra_body = payload.pop("extra_body")
        try:
            stream = await self._create(payload, extra_body)
            async with stream:
                async for chunk in stream:
                    if chunk.usage is not None:
                        cached = getattr(chunk.usage, "prompt_tokens_details", None)
                        usage = Usage(
                            prompt_tokens=chunk.usage.prompt_tokens,
                            completion_tokens=chunk.usage.completion_tokens,
                            cached_prompt_tokens=getattr(cached, "cached_tokens", 0) or 0,
                        )
                    for choice in chunk.choices:
                        delta = choice.delta
                        if delta.content or delta.tool_calls:
                            chunks_seen += 1
                            if first_token_at is None:
                                first_token_at = time.perf_counter()
                        if delta.content:
                            piece = parser.feed(delta.content)
                            for event in collect_events(piece.text, piece.calls, content, calls):
                                yield event
                        for part in delta.tool_calls or []:
                            call = pending.setdefault(part.index, _PendingCall())
                            call.id = part.id or call.id
                            if part.function is not None:
                                # OpenAI sends the name once; llama.cpp's server repeats it.
                                call.name = call.name or part.function.name or ""
                                call.arguments += part.function.arguments or ""
                        if choice.finish_reason == "length":
                            finish = "length"
        except openai.APIError as exc:
            raise EngineError(f"the model server at {self.base_url} failed: {exc}") from exc
        if usage is None:
            # Some servers (llama.cpp's) ignore include_usage: one streamed chunk is one token.
            usage = Usage(completion_tokens=chunks_seen)
        last = parser.finish()
        structured = [
            validator.build(c.name, c.arguments or "{}", c.id or None)
            for _, c in sorted(pending.items())
        ]
        for event in collect_events(last.text, [*last.calls, *structured], content, calls):
            yield event
        finished = time.perf_counter()
        text = "".join(content).strip()
        yield ChatResult(
            model=model,
            message=AssistantMessage(content=text or None, tool_calls=calls),
            finish_reason="tool_calls" if calls else finish,
            usage=usage,
            timings=Timings(
                time_to_first_token_ms=(first_token_at - started) * 1000
                if first_token_at
                else None,
                decode_ms=(finished - first_token_at) * 1000 if first_token_at else 0.0,
                total_ms=(finished - started) * 1000,
                decode_tokens_per_second=(usage.completion_tokens - 1) / (finished - first_token_at)
                if first_token_at and usage.completion_tokens > 1 and finished > first_token_at
                else None,
            ),
        )

    async def aclose(self) -> None:
        await self.client.close()
