"""Chat completions on the local engine: OpenAI requests in, OpenAI responses or chunks out."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator

from pydantic import ValidationError

from tongxue.engine.base import ChatEngine
from tongxue.engine.errors import ContextOverflowError, EngineError, UnsupportedRequestError
from tongxue.engine.protocol import (
    ChatMessage,
    ChatRequest,
    ChatResult,
    FinishReason,
    TextDelta,
    ToolCall,
    ToolCallDelta,
    Usage,
)
from tongxue.server.errors import APIError, ErrorInfo, error_type, validation_error
from tongxue.server.metrics import ServerMetrics
from tongxue.server.openai_compat.protocol import (
    ChatCompletionChunk,
    ChatCompletionRequest,
    ChatCompletionResponse,
    Choice,
    ChunkChoice,
    Delta,
    DeltaFunction,
    DeltaToolCall,
    FunctionCallOut,
    ModelCard,
    ModelList,
    OpenAIFinishReason,
    PromptTokensDetails,
    RequestMessage,
    ResponseMessage,
    ToolCallOut,
    UsageOut,
)
from tongxue.server.sse import closing, sse_data

logger = logging.getLogger(__name__)

ENDPOINT = "chat_completions"
# Any client may also ask for the assistant's model by this name.
MODEL_ALIAS = "tongxue"


def engine_error(exc: EngineError) -> APIError:
    if isinstance(exc, ContextOverflowError):
        return APIError(400, str(exc), code="context_length_exceeded", param="messages")
    if isinstance(exc, UnsupportedRequestError):
        return APIError(400, str(exc), code="unsupported")
    return APIError(500, f"the model failed: {exc}", code="engine_error")


def _finish(reason: FinishReason) -> OpenAIFinishReason:
    if reason in ("stop", "length", "tool_calls"):
        return reason  # type: ignore[return-value]
    return "stop"


def _usage(usage: Usage) -> UsageOut:
    return UsageOut(
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        total_tokens=usage.total_tokens,
        prompt_tokens_details=PromptTokensDetails(cached_tokens=usage.cached_prompt_tokens),
    )


def _tool_call(call: ToolCall) -> ToolCallOut:
    return ToolCallOut(
        id=call.id, function=FunctionCallOut(name=call.name, arguments=call.arguments)
    )


def _engine_message(message: RequestMessage) -> ChatMessage:
    return ChatMessage(
        role="system" if message.role == "developer" else message.role,
        content=message.text,
        name=message.name,
        tool_calls=message.tool_calls,
        tool_call_id=message.tool_call_id,
    )


class OpenAIServingChat:
    def __init__(self, engine: ChatEngine, metrics: ServerMetrics) -> None:
        self.engine = engine
        self.metrics = metrics
        self.created = int(time.time())

    @property
    def model_names(self) -> list[str]:
        return [self.engine.model_name, MODEL_ALIAS]

    def models(self) -> ModelList:
        return ModelList(
            data=[ModelCard(id=name, created=self.created) for name in self.model_names]
        )

    def engine_request(
        self, request: ChatCompletionRequest, *, priority: int = 0, max_tokens_cap: int = 0
    ) -> ChatRequest:
        """The engine's request for `request`; `max_tokens_cap` 0 means no cap of our own."""
        if request.model not in self.model_names:
            raise APIError(
                404,
                f"the model '{request.model}' does not exist; this server has "
                + ", ".join(f"'{name}'" for name in self.model_names),
                code="model_not_found",
                param="model",
            )
        fields: dict[str, object] = {
            "messages": [_engine_message(m) for m in request.messages],
            "tools": request.tools,
            "tool_choice": request.tool_choice or "auto",
            "response_format": request.response_format,
            "stop": request.stop_list,
            "seed": request.seed,
            "priority": priority,
        }
        max_tokens = request.max_completion_tokens or request.max_tokens
        if max_tokens_cap > 0:
            if max_tokens is not None and max_tokens > max_tokens_cap:
                # Refused rather than clamped: a silently shorter answer would look complete.
                field = "max_completion_tokens" if request.max_completion_tokens else "max_tokens"
                raise APIError(
                    400,
                    f"{field} is {max_tokens}, more than this server allows per request "
                    f"({max_tokens_cap})",
                    code="max_tokens_too_large",
                    param=field,
                )
            if max_tokens is None:
                max_tokens = min(ChatRequest.model_fields["max_tokens"].default, max_tokens_cap)
        optional = {
            "max_tokens": max_tokens,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "top_k": request.top_k,
            "min_p": request.min_p,
            "repeat_penalty": request.repeat_penalty,
            "presence_penalty": request.presence_penalty,
            "frequency_penalty": request.frequency_penalty,
        }
        fields.update({k: v for k, v in optional.items() if v is not None})
        try:
            return ChatRequest.model_validate(fields)
        except ValidationError as exc:
            raise validation_error(exc.errors()) from exc

    # --- whole answers ---------------------------------------------------------------------

    async def complete(self, request: ChatRequest) -> ChatCompletionResponse:
        try:
            result = await self.engine.complete(request)
        except asyncio.CancelledError:
            self.metrics.generations.labels(ENDPOINT, "client_gone").inc()
            raise
        except EngineError as exc:
            self.metrics.generations.labels(ENDPOINT, "error").inc()
            raise engine_error(exc) from exc
        self.metrics.observe_generation(ENDPOINT, result)
        calls = [_tool_call(c) for c in result.message.tool_calls]
        return ChatCompletionResponse(
            id=f"chatcmpl-{uuid.uuid4().hex}",
            model=result.model,
            choices=[
                Choice(
                    message=ResponseMessage(
                        content=result.message.content, tool_calls=calls or None
                    ),
                    finish_reason=_finish(result.finish_reason),
                )
            ],
            usage=_usage(result.usage),
        )

    # --- streams ---------------------------------------------------------------------------

    async def stream(self, request: ChatRequest, *, include_usage: bool) -> AsyncIterator[str]:
        """SSE `data:` lines: a role chunk at once, then content and tool-call deltas."""
        chunk_id = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        model = self.engine.model_name

        def chunk(delta: Delta, finish: OpenAIFinishReason | None = None) -> str:
            body = ChatCompletionChunk(
                id=chunk_id,
                created=created,
                model=model,
                choices=[ChunkChoice(delta=delta, finish_reason=finish)],
            )
            return sse_data(body.model_dump(mode="json", exclude_unset=True))

        # The role chunk goes out before the queue wait: the client knows it was accepted.
        yield chunk(Delta(role="assistant", content=""))
        try:
            async with closing(self.engine.stream(request)) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        yield chunk(Delta(content=event.text))
                    elif isinstance(event, ToolCallDelta):
                        call = event.call
                        yield chunk(
                            Delta(
                                tool_calls=[
                                    DeltaToolCall(
                                        index=event.index,
                                        id=call.id,
                                        type="function",
                                        function=DeltaFunction(
                                            name=call.name, arguments=call.arguments
                                        ),
                                    )
                                ]
                            )
                        )
                    elif isinstance(event, ChatResult):
                        self.metrics.observe_generation(ENDPOINT, event)
                        yield chunk(Delta(), _finish(event.finish_reason))
                        if include_usage:
                            usage = ChatCompletionChunk(
                                id=chunk_id,
                                created=created,
                                model=model,
                                choices=[],
                                usage=_usage(event.usage),
                            )
                            yield sse_data(usage.model_dump(mode="json", exclude_none=True))
        except EngineError as exc:
            # Headers are sent: the error travels as an event, as vLLM does.
            self.metrics.generations.labels(ENDPOINT, "error").inc()
            error = engine_error(exc)
            info = ErrorInfo(message=error.message, type=error_type(error.status), code=error.code)
            yield sse_data({"error": info.model_dump()})
        except (asyncio.CancelledError, GeneratorExit):
            self.metrics.generations.labels(ENDPOINT, "client_gone").inc()
            logger.info("client left during a streamed completion; generation stopped")
            raise
        yield sse_data("[DONE]")
