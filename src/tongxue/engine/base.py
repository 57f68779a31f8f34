"""The one async engine interface, and the shared machinery of backends that emit raw text."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, Literal

from tongxue.engine.errors import EngineError, GenerationTimeoutError
from tongxue.engine.grammar import call_head
from tongxue.engine.prefix_cache import PrefixCacheReport
from tongxue.engine.protocol import (
    PRIORITY_BACKGROUND,
    AssistantMessage,
    ChatEvent,
    ChatRequest,
    ChatResult,
    FinishReason,
    NamedToolChoice,
    TextDelta,
    Timings,
    ToolCall,
    ToolCallDelta,
    ToolDefinition,
    Usage,
)
from tongxue.engine.queue import FairQueue
from tongxue.engine.template import ChatTemplate, TemplateError
from tongxue.engine.tool_parser import TAG_OPEN, StreamingToolCallParser

logger = logging.getLogger(__name__)


class ChatEngine(ABC):
    """Chat completion over OpenAI-style messages, streamed as typed events."""

    model_name: str
    backend: str

    @abstractmethod
    def stream(self, request: ChatRequest) -> AsyncGenerator[ChatEvent, None]:
        """Yield text deltas and tool calls as they come, then one `ChatResult`.

        Closing the iterator early (or cancelling the task consuming it) stops generation.
        """

    async def complete(self, request: ChatRequest) -> ChatResult:
        result: ChatResult | None = None
        async with aclosing(self.stream(request)) as events:
            async for event in events:
                if isinstance(event, ChatResult):
                    result = event
        if result is None:
            raise EngineError("the engine ended without a result")
        return result

    @property
    def queue_depth(self) -> int:
        """Requests waiting for the model (0 for remote backends that queue themselves)."""
        return 0

    async def warm(self, prefixes: Sequence[tuple[str, ChatRequest]]) -> None:
        """Prepare the stable prefixes of these (label, request) pairs ahead of use, in the
        background; a backend without a prefix cache does nothing."""
        return None

    @property
    def warm_progress(self) -> WarmProgress | None:
        """How far `warm` has come, or None when nothing is warmed."""
        return None

    def prefix_report(self) -> PrefixCacheReport | None:
        """The saved prefix states, each with its size; None without a prefix cache."""
        return None

    async def aclose(self) -> None:
        return None


WarmResult = Literal["warmed", "cached", "interrupted", "full", "unsupported"]


@dataclass
class WarmProgress:
    total: int
    warmed: int = 0
    # Prefixes left out because the cache's memory budget was reached.
    skipped: int = 0

    @property
    def finished(self) -> bool:
        return self.warmed + self.skipped >= self.total


def tool_call_schema(tools: list[ToolDefinition]) -> dict[str, Any]:
    """A JSON schema that only admits a call of one of `tools`, for forced tool choice."""
    options = [
        {
            "type": "object",
            "properties": {
                "name": {"const": tool.function.name},
                "arguments": tool.function.parameters,
            },
            "required": ["name", "arguments"],
        }
        for tool in tools
    ]
    return options[0] if len(options) == 1 else {"anyOf": options}


@dataclass
class GenerationPlan:
    """What a raw-text backend must generate for one request."""

    prompt: str
    stop: list[str]
    max_tokens: int
    json_schema: dict[str, Any] | None = None
    json_any: bool = False
    # Text the prompt already ends with that the tool parser must still see (forced calls).
    parser_prefix: str = ""
    # The start of `prompt` that does not change from turn to turn (the system prompt and
    # the offered tools): the part worth keeping a saved state of. Empty when unknown.
    stable_prefix: str = ""
    # A forced call of one tool whose name the prompt already wrote: only its arguments
    # are left to generate.
    call_head_written: bool = False


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: Literal["stop", "length", "cancelled"] = "stop"
    extra: dict[str, Any] = field(default_factory=dict)


_DONE = object()


class LocalTextEngine(ChatEngine):
    """A model in this process that writes raw text from a rendered chat template.

    Generation runs in one worker thread; callers take turns through a fair queue so one
    loaded model serves many callers, and a caller that goes away stops its generation.
    """

    stop_words: tuple[str, ...] = ("<|im_end|>", "<|endoftext|>")

    def __init__(self, template: ChatTemplate, model_name: str) -> None:
        self.template = template
        self.model_name = model_name
        self._queue = FairQueue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tongxue-gen")
        self._warm_progress: WarmProgress | None = None

    @property
    def queue_depth(self) -> int:
        return self._queue.waiting + (1 if self._queue.busy else 0)

    @abstractmethod
    def _generate(
        self,
        plan: GenerationPlan,
        request: ChatRequest,
        cancel: threading.Event,
        emit: Callable[[str], None],
    ) -> GenerationStats:
        """Run in the worker thread: generate, calling `emit` with each piece of text."""

    def plan(self, request: ChatRequest) -> GenerationPlan:
        tools = request.active_tools
        prompt = self.template.render(request.messages, tools)
        plan = GenerationPlan(
            prompt=prompt,
            stop=[*self.stop_words, *request.stop],
            max_tokens=request.max_tokens,
            stable_prefix=self.stable_prefix(request, prompt),
        )
        forced = request.tool_choice == "required" or isinstance(
            request.tool_choice, NamedToolChoice
        )
        if forced and tools:
            opening = TAG_OPEN + "\n"
            if len(tools) == 1 and self.can_write_call_head(tools[0]):
                # The name is the only one the grammar allows: writing it into the prompt
                # saves the model a dozen tokens of decoding that could not differ.
                opening += call_head(tools[0].function.name)
                plan.call_head_written = True
            plan.prompt += opening
            plan.parser_prefix = opening
            plan.json_schema = tool_call_schema(tools)
        elif request.response_format and request.response_format.type == "json_schema":
            spec = request.response_format.json_schema
            assert spec is not None  # guaranteed by ResponseFormat's validator
            plan.json_schema = spec.json_schema
        elif request.response_format and request.response_format.type == "json_object":
            plan.json_any = True
        return plan

    @property
    def warm_progress(self) -> WarmProgress | None:
        return self._warm_progress

    async def warm(self, prefixes: Sequence[tuple[str, ChatRequest]]) -> None:
        progress = WarmProgress(total=len(prefixes))
        self._warm_progress = progress
        loop = asyncio.get_running_loop()
        for label, request in prefixes:
            text = self.plan(request).stable_prefix
            result: WarmResult = "unsupported"
            while text:
                # The lowest priority, and it gives the model up between chunks as soon as
                # anyone waits: warming never delays a person.
                async with self._queue.turn(PRIORITY_BACKGROUND):
                    result = await loop.run_in_executor(
                        self._executor,
                        self._warm_prefix,
                        text,
                        label,
                        lambda: self._queue.waiting > 0,
                    )
                if result != "interrupted":
                    break
            if text and result == "unsupported":
                progress.total = progress.warmed + progress.skipped
                return
            if result in ("warmed", "cached"):
                progress.warmed += 1
            else:
                progress.skipped += 1
            logger.debug("prefix %s: %s", label, result)

    def _warm_prefix(self, text: str, label: str, should_stop: Callable[[], bool]) -> WarmResult:
        """Run in the worker thread: prefill `text` and keep its state (no generation)."""
        return "unsupported"

    def stable_prefix(self, request: ChatRequest, prompt: str) -> str:
        """The rendered system message and tools, when `prompt` starts with them."""
        if request.messages[0].role != "system":
            return ""
        try:
            head = self.template.render(
                request.messages[:1], request.active_tools, add_generation_prompt=False
            )
        except TemplateError:
            return ""
        return head if prompt.startswith(head) and len(head) < len(prompt) else ""

    def can_write_call_head(self, tool: ToolDefinition) -> bool:
        """Whether this backend can constrain the arguments alone once the head is written."""
        return False

    async def stream(self, request: ChatRequest) -> AsyncGenerator[ChatEvent, None]:
        started = time.perf_counter()
        plan = self.plan(request)
        parser = StreamingToolCallParser(request.active_tools)
        if plan.parser_prefix:
            parser.feed(plan.parser_prefix)
        async with self._queue.turn(request.priority):
            turn_started = time.perf_counter()
            loop = asyncio.get_running_loop()
            pieces: asyncio.Queue[object] = asyncio.Queue()
            cancel = threading.Event()

            def emit(text: str) -> None:
                loop.call_soon_threadsafe(pieces.put_nowait, text)

            def work() -> GenerationStats:
                try:
                    return self._generate(plan, request, cancel, emit)
                finally:
                    loop.call_soon_threadsafe(pieces.put_nowait, _DONE)

            future = loop.run_in_executor(self._executor, work)
            content: list[str] = []
            calls: list[ToolCall] = []
            first_token_at: float | None = None
            try:
                while (item := await self._next_piece(pieces, turn_started, request)) is not _DONE:
                    assert isinstance(item, str)
                    if first_token_at is None:
                        first_token_at = time.perf_counter()
                    piece = parser.feed(item)
                    for event in collect_events(piece.text, piece.calls, content, calls):
                        yield event
                stats = await future
            except BaseException:
                cancel.set()
                # The model must be free before the next caller's turn starts.
                with contextlib.suppress(Exception):
                    await asyncio.shield(future)
                raise
            last = parser.finish()
            for event in collect_events(last.text, last.calls, content, calls):
                yield event
        finished = time.perf_counter()
        yield self._result(stats, content, calls, started, turn_started, first_token_at, finished)

    @staticmethod
    async def _next_piece(
        pieces: asyncio.Queue[object], turn_started: float, request: ChatRequest
    ) -> object:
        """The next piece of output, within the request's own time limit (no queue wait)."""
        if request.time_limit_s is None:
            return await pieces.get()
        left = turn_started + request.time_limit_s - time.perf_counter()
        try:
            async with asyncio.timeout(max(left, 0.0)):
                return await pieces.get()
        except TimeoutError:
            raise GenerationTimeoutError(
                f"the model took longer than {request.time_limit_s:g} s on this request"
            ) from None

    def _result(
        self,
        stats: GenerationStats,
        content: list[str],
        calls: list[ToolCall],
        started: float,
        turn_started: float,
        first_token_at: float | None,
        finished: float,
    ) -> ChatResult:
        text = "".join(content).strip()
        finish: FinishReason = "tool_calls" if calls else stats.finish_reason
        decode_ms = (finished - first_token_at) * 1000 if first_token_at else 0.0
        rate = (
            (stats.completion_tokens - 1) / (decode_ms / 1000)
            if decode_ms > 0 and stats.completion_tokens > 1
            else None
        )
        return ChatResult(
            model=self.model_name,
            message=AssistantMessage(content=text or None, tool_calls=calls),
            finish_reason=finish,
            usage=Usage(
                prompt_tokens=stats.prompt_tokens,
                completion_tokens=stats.completion_tokens,
                cached_prompt_tokens=stats.cached_prompt_tokens,
            ),
            timings=Timings(
                queued_ms=(turn_started - started) * 1000,
                time_to_first_token_ms=(first_token_at - started) * 1000
                if first_token_at
                else None,
                decode_ms=decode_ms,
                total_ms=(finished - started) * 1000,
                decode_tokens_per_second=rate,
            ),
        )

    async def aclose(self) -> None:
        self._executor.shutdown(wait=True)


def collect_events(
    text: str, new_calls: list[ToolCall], content: list[str], calls: list[ToolCall]
) -> list[ChatEvent]:
    """Turn parsed text and calls into events, recording them for the final message."""
    events: list[ChatEvent] = []
    if text:
        content.append(text)
        events.append(TextDelta(text=text))
    for call in new_calls:
        events.append(ToolCallDelta(index=len(calls), call=call))
        calls.append(call)
    return events


def dumps_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, sort_keys=True, ensure_ascii=False)
