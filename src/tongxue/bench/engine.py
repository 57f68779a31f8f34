"""`tongxue bench engine`: our engine against raw llama-cpp-python, same model, same prompt.

Both sides drive the same loaded `Llama` object, so weights, threads and settings are
identical; the difference measured is what the engine adds (template rendering, the worker
thread, the fair queue, the streaming tool-call parser, validation).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.protocol import (
    ChatMessage,
    ChatRequest,
    ChatResult,
    FunctionDefinition,
    ToolDefinition,
)

SYSTEM_PROMPT = (
    "You are a helpful in-car assistant. Answer briefly, in the user's language, in sentences "
    "that read well aloud. Use a tool when the user asks for something a tool can do; "
    "otherwise answer directly. Never invent tool names or arguments."
)


def _tool(
    name: str, description: str, properties: dict[str, Any], required: list[str]
) -> ToolDefinition:
    return ToolDefinition(
        function=FunctionDefinition(
            name=name,
            description=description,
            parameters={"type": "object", "properties": properties, "required": required},
        )
    )


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def bench_tools() -> list[ToolDefinition]:
    """A generic assistant toolset, large enough for a ~1,000-token system-and-tools prefix."""
    return [
        _tool(
            "get_weather",
            "Current weather and today's forecast for a city.",
            {"city": _text("City name"), "unit": {"type": "string", "enum": ["c", "f"]}},
            ["city"],
        ),
        _tool(
            "get_time",
            "The current local time in a time zone.",
            {"timezone": _text("IANA time zone such as Asia/Shanghai")},
            ["timezone"],
        ),
        _tool(
            "search_web",
            "Search the web and return the top results as short snippets.",
            {
                "query": _text("What to search for"),
                "max_results": {"type": "integer", "minimum": 1, "maximum": 10},
            },
            ["query"],
        ),
        _tool(
            "send_message",
            "Send a text message to a contact.",
            {"contact": _text("Contact name as saved"), "text": _text("Message body")},
            ["contact", "text"],
        ),
        _tool(
            "call_contact",
            "Start a phone call with a contact.",
            {"contact": _text("Contact name as saved")},
            ["contact"],
        ),
        _tool(
            "create_reminder",
            "Create a reminder at a date and time.",
            {
                "title": _text("What to be reminded of"),
                "when": _text("ISO 8601 date-time of the reminder"),
            },
            ["title", "when"],
        ),
        _tool(
            "list_calendar_events",
            "List calendar events between two dates.",
            {"start": _text("ISO 8601 start date"), "end": _text("ISO 8601 end date")},
            ["start", "end"],
        ),
        _tool(
            "play_music",
            "Play music by a query: an artist, a song, an album or a genre.",
            {
                "query": _text("What to play"),
                "shuffle": {"type": "boolean", "description": "Shuffle the results"},
            },
            ["query"],
        ),
        _tool(
            "find_places",
            "Find places near the current location or a named area.",
            {
                "query": _text("What kind of place, e.g. charging station"),
                "near": _text("Area or landmark; omit for the current location"),
                "open_now": {"type": "boolean", "description": "Only places open now"},
            },
            ["query"],
        ),
        _tool(
            "translate_text",
            "Translate text between languages.",
            {
                "text": _text("Text to translate"),
                "target_language": _text("Language code such as en or zh"),
            },
            ["text", "target_language"],
        ),
        _tool(
            "convert_units",
            "Convert a quantity between units.",
            {
                "value": {"type": "number"},
                "from_unit": _text("Unit of the value"),
                "to_unit": _text("Unit to convert to"),
            },
            ["value", "from_unit", "to_unit"],
        ),
        _tool(
            "get_stock_price",
            "Latest price of a stock by its ticker symbol.",
            {"symbol": _text("Ticker symbol such as AAPL")},
            ["symbol"],
        ),
        _tool(
            "set_timer",
            "Start a countdown timer.",
            {"minutes": {"type": "number", "minimum": 0}, "label": _text("Optional label")},
            ["minutes"],
        ),
        _tool(
            "get_news",
            "Headlines for a topic.",
            {
                "topic": _text("Topic such as technology or sports"),
                "count": {"type": "integer", "minimum": 1, "maximum": 10},
            },
            ["topic"],
        ),
    ]


class SideResult(BaseModel):
    cold_ttft_ms: float
    warm_ttft_ms: float
    decode_tokens_per_second: float
    decode_tokens: int


class EngineBenchReport(BaseModel):
    model: str
    n_threads: int | None
    prefix_tokens: int
    repeats: int
    raw: SideResult
    engine: SideResult
    decode_ratio: float
    ttft_overhead_ratio_cold: float
    warm_over_cold_engine: float
    targets: dict[str, bool]


def _messages(user: str) -> list[ChatMessage]:
    return [
        ChatMessage(role="system", content=SYSTEM_PROMPT),
        ChatMessage(role="user", content=user),
    ]


COLD_QUESTIONS = [
    "用一句话介绍一下长城。",
    "What is the capital of Australia?",
    "讲一个很短的笑话。",
]
WARM_QUESTIONS = ["What is two plus two?", "杭州有什么好玩的？", "Name a colour of the sky."]
# Counting keeps a 0.5B model writing for the whole decode budget (a story ends early).
DECODE_PROMPT = "Count from 1 to 500 in words, one number per line, with nothing else."


class EngineBench:
    def __init__(
        self, engine: LlamaCppEngine, *, repeats: int = 3, decode_tokens: int = 96
    ) -> None:
        self.engine = engine
        self.llm = engine.llm
        self.repeats = repeats
        self.decode_tokens = decode_tokens
        self.tools = bench_tools()

    def _request(self, user: str, max_tokens: int, tools: bool = True) -> ChatRequest:
        messages = _messages(user) if tools else [ChatMessage(role="user", content=user)]
        return ChatRequest(
            messages=messages,
            tools=self.tools if tools else None,
            max_tokens=max_tokens,
            temperature=0.0,
            seed=0,
        )

    # --- raw llama-cpp-python: the same rendered prompt, straight into create_completion ---
    def _raw_stream(self, request: ChatRequest) -> Iterator[str]:
        prompt = self.engine.plan(request).prompt
        for chunk in self.llm.create_completion(
            prompt,
            max_tokens=request.max_tokens,
            temperature=0.0,
            top_p=request.top_p,
            top_k=request.top_k,
            repeat_penalty=request.repeat_penalty,
            stop=list(self.engine.stop_words),
            seed=0,
            stream=True,
        ):
            yield chunk["choices"][0]["text"]  # type: ignore[index]

    def _raw_ttft(self, request: ChatRequest) -> float:
        started = time.perf_counter()
        chunks = self._raw_stream(request)
        next(chunks)
        elapsed = (time.perf_counter() - started) * 1000
        for _ in chunks:  # finish so the KV cache holds what a full answer leaves behind
            pass
        return elapsed

    def _raw_decode(self, request: ChatRequest) -> tuple[float, int]:
        prompt_tokens = len(self.engine.tokenize(self.engine.plan(request).prompt))
        first: float | None = None
        for _ in self._raw_stream(request):
            if first is None:
                first = time.perf_counter()
        finished = time.perf_counter()
        tokens = self.llm.n_tokens - prompt_tokens
        assert first is not None
        return (tokens - 1) / (finished - first), tokens

    # --- our engine ---
    async def _engine_result(self, request: ChatRequest) -> ChatResult:
        return await self.engine.complete(request)

    async def _engine_ttft(self, request: ChatRequest) -> float:
        result = await self._engine_result(request)
        assert result.timings.time_to_first_token_ms is not None
        return result.timings.time_to_first_token_ms

    async def _engine_decode(self, request: ChatRequest) -> tuple[float, int]:
        result = await self._engine_result(request)
        assert result.timings.decode_tokens_per_second is not None
        return result.timings.decode_tokens_per_second, result.usage.completion_tokens

    async def run(self, progress: Callable[[str], None] = lambda _: None) -> EngineBenchReport:
        prefix_tokens = len(self.engine.tokenize(self.engine.plan(self._request("", 1)).prompt))
        raw_cold, ours_cold, raw_warm, ours_warm = [], [], [], []
        raw_rate, ours_rate = [], []
        raw_tokens = ours_tokens = 0
        for i in range(self.repeats):
            cold = self._request(COLD_QUESTIONS[i % len(COLD_QUESTIONS)], 8)
            warm = self._request(WARM_QUESTIONS[i % len(WARM_QUESTIONS)], 8)
            progress(f"round {i + 1}/{self.repeats}: cold prefix")
            self.llm.reset()  # type: ignore[no-untyped-call]
            raw_cold.append(self._raw_ttft(cold))
            raw_warm.append(self._raw_ttft(warm))
            self.llm.reset()  # type: ignore[no-untyped-call]
            ours_cold.append(await self._engine_ttft(cold))
            ours_warm.append(await self._engine_ttft(warm))
            progress(f"round {i + 1}/{self.repeats}: decode")
            decode = self._request(DECODE_PROMPT, self.decode_tokens, tools=False)
            rate, raw_tokens = self._raw_decode(decode)
            raw_rate.append(rate)
            rate, ours_tokens = await self._engine_decode(decode)
            ours_rate.append(rate)
        raw = SideResult(
            cold_ttft_ms=statistics.median(raw_cold),
            warm_ttft_ms=statistics.median(raw_warm),
            decode_tokens_per_second=statistics.median(raw_rate),
            decode_tokens=raw_tokens,
        )
        ours = SideResult(
            cold_ttft_ms=statistics.median(ours_cold),
            warm_ttft_ms=statistics.median(ours_warm),
            decode_tokens_per_second=statistics.median(ours_rate),
            decode_tokens=ours_tokens,
        )
        decode_ratio = ours.decode_tokens_per_second / raw.decode_tokens_per_second
        warm_over_cold = ours.warm_ttft_ms / ours.cold_ttft_ms
        return EngineBenchReport(
            model=self.engine.model_name,
            n_threads=self.llm.context_params.n_threads,
            prefix_tokens=prefix_tokens,
            repeats=self.repeats,
            raw=raw,
            engine=ours,
            decode_ratio=decode_ratio,
            ttft_overhead_ratio_cold=ours.cold_ttft_ms / raw.cold_ttft_ms,
            warm_over_cold_engine=warm_over_cold,
            targets={
                "decode_at_least_95pct_of_raw": decode_ratio >= 0.95,
                "warm_ttft_at_most_25pct_of_cold": warm_over_cold <= 0.25,
            },
        )


def format_table(report: EngineBenchReport) -> str:
    rows = [
        ("time to first token, cold (ms)", report.raw.cold_ttft_ms, report.engine.cold_ttft_ms),
        (
            "time to first token, warm prefix (ms)",
            report.raw.warm_ttft_ms,
            report.engine.warm_ttft_ms,
        ),
        (
            "decode (tokens/s)",
            report.raw.decode_tokens_per_second,
            report.engine.decode_tokens_per_second,
        ),
    ]
    lines = [
        f"model {report.model}, {report.prefix_tokens}-token system+tools prefix, "
        f"{report.n_threads} threads, median of {report.repeats}",
        f"{'metric':40} {'raw llama-cpp':>14} {'tongxue':>10} {'ratio':>7}",
    ]
    for name, raw, ours in rows:
        lines.append(f"{name:40} {raw:14.1f} {ours:10.1f} {ours / raw:7.2f}")
    lines.append(
        f"decode speed vs raw: {report.decode_ratio:.1%} (target >= 95%: "
        f"{'met' if report.targets['decode_at_least_95pct_of_raw'] else 'MISSED'})"
    )
    lines.append(
        f"warm / cold time to first token: {report.warm_over_cold_engine:.1%} (target <= 25%: "
        f"{'met' if report.targets['warm_ttft_at_most_25pct_of_cold'] else 'MISSED'})"
    )
    return "\n".join(lines)
