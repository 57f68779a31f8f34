"""Saved prefix states on the tiny Qwen2 model: a restored state must continue exactly as a
fresh prefill does; a prefill stops between chunks when asked; warm-up fills the cache."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from support.tools import LIGHTS
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.prefix_cache import PrefixCache
from tongxue.engine.protocol import ChatMessage, ChatRequest

SYSTEM = ChatMessage(role="system", content="你是车载助手。Answer briefly. " * 20)


def ask(text: str, **options: object) -> ChatRequest:
    return ChatRequest.model_validate(
        {
            "messages": [SYSTEM, ChatMessage(role="user", content=text)],
            "temperature": 0,
            "max_tokens": 24,
            **options,
        }
    )


def make_engine(path: Path, cache: PrefixCache | None, chunk: int = 16) -> LlamaCppEngine:
    return LlamaCppEngine(
        path, n_ctx=2048, n_threads=2, seed=1, prefix_cache=cache, prefill_chunk=chunk
    )


@pytest.fixture
async def cached(tiny_model_path: Path, tmp_path: Path) -> AsyncIterator[LlamaCppEngine]:
    engine = make_engine(tiny_model_path, PrefixCache(64 * 1024 * 1024, tmp_path / "states"))
    yield engine
    await engine.aclose()


def boundary(engine: LlamaCppEngine, request: ChatRequest) -> int:
    plan = engine.plan(request)
    return engine._boundary(plan.stable_prefix, engine.tokenize(plan.prompt))


async def test_a_restored_prefix_continues_exactly_like_a_fresh_prefill(
    cached: LlamaCppEngine, tiny_model_path: Path
) -> None:
    request = ask("打开前排灯", tools=[LIGHTS])
    stable = boundary(cached, request)
    assert stable > 100

    cold = await cached.complete(request)
    assert cold.usage.cached_prompt_tokens == 0
    cached.llm.reset()  # the model holds nothing: the prefix can only come from the cache
    restored = await cached.complete(request)
    assert restored.usage.cached_prompt_tokens == stable
    assert restored.message.content == cold.message.content

    plain = make_engine(tiny_model_path, None)
    try:
        uncached = await plain.complete(request)
    finally:
        await plain.aclose()
    assert uncached.message.content == cold.message.content


async def test_another_turn_with_the_same_tools_restores_the_prefix(
    cached: LlamaCppEngine,
) -> None:
    await cached.complete(ask("打开前排灯", tools=[LIGHTS]))
    await cached.complete(ask("你好"))  # a prompt without tools takes the model's memory
    again = await cached.complete(ask("关掉后排灯", tools=[LIGHTS]))
    assert again.usage.cached_prompt_tokens == boundary(cached, ask("x", tools=[LIGHTS]))
    assert cached.prefix_cache is not None and cached.prefix_cache.hits >= 1


async def test_saved_states_survive_a_restart(
    cached: LlamaCppEngine, tiny_model_path: Path, tmp_path: Path
) -> None:
    request = ask("打开前排灯", tools=[LIGHTS])
    await cached.warm([("lights", request)])
    first = await cached.complete(request)

    restarted = make_engine(tiny_model_path, PrefixCache(64 * 1024 * 1024, tmp_path / "states"))
    try:
        again = await restarted.complete(request)
    finally:
        await restarted.aclose()
    assert again.usage.cached_prompt_tokens == boundary(cached, request)
    assert again.message.content == first.message.content


async def test_a_state_that_does_not_load_is_dropped_and_the_prompt_prefilled(
    cached: LlamaCppEngine,
) -> None:
    request = ask("打开前排灯", tools=[LIGHTS])
    tokens = cached.tokenize(cached.plan(request).prompt)[: boundary(cached, request)]
    assert cached.prefix_cache is not None
    cached.prefix_cache.put(tokens, b"not a llama.cpp state", persist=True)
    result = await cached.complete(request)
    assert result.usage.cached_prompt_tokens == 0
    state = cached.prefix_cache.get(tokens)
    assert state is not None and state.data != b"not a llama.cpp state"  # saved anew


def test_a_prefill_stops_between_chunks_when_asked(cached: LlamaCppEngine) -> None:
    tokens = cached.tokenize(cached.plan(ask("打开前排灯")).prompt)
    assert len(tokens) > 5 * 16
    cached.llm.reset()
    checks = 0

    def stop_after_three_chunks() -> bool:
        nonlocal checks
        checks += 1
        return checks > 3

    assert cached._prefill(tokens, 0, len(tokens) - 1, stop_after_three_chunks) is None
    assert cached.llm.n_tokens == 3 * 16  # three chunks, not the whole prompt


async def test_a_request_cancelled_before_its_prefill_evaluates_nothing(
    cached: LlamaCppEngine,
) -> None:
    cached.llm.reset()
    cancel = threading.Event()
    cancel.set()
    request = ask("打开前排灯")
    stats = cached._generate(cached.plan(request), request, cancel, lambda _: None)
    assert stats.finish_reason == "cancelled"
    assert cached.llm.n_tokens == 0


async def test_warm_up_saves_each_prefix_once_and_reports_progress(
    cached: LlamaCppEngine,
) -> None:
    prefixes = [("chat", ask("x")), ("lights", ask("x", tools=[LIGHTS])), ("again", ask("y"))]
    await cached.warm(prefixes)
    progress = cached.warm_progress
    assert progress is not None and progress.finished
    assert (progress.total, progress.warmed, progress.skipped) == (3, 3, 0)
    assert cached.prefix_cache is not None
    labels = sorted(e.label for e in cached.prefix_cache.report().entries)
    assert labels == ["chat", "lights"]  # "again" has the chat prefix, already saved


async def test_warm_up_stops_saving_when_the_budget_is_reached(
    tiny_model_path: Path,
) -> None:
    engine = make_engine(tiny_model_path, PrefixCache(1))
    try:
        await engine.warm([("chat", ask("x")), ("lights", ask("x", tools=[LIGHTS]))])
    finally:
        await engine.aclose()
    progress = engine.warm_progress
    assert progress is not None and progress.finished
    assert engine.prefix_cache is not None and engine.prefix_cache.size_bytes == 0


def test_a_forced_call_of_one_tool_has_its_head_written_in_the_prompt(
    cached: LlamaCppEngine,
) -> None:
    plan = cached.plan(ask("打开前排灯", tools=[LIGHTS], tool_choice="required"))
    assert plan.call_head_written
    assert plan.prompt.endswith('<tool_call>\n{"name": "set_light", "arguments": ')
    two = cached.plan(
        ask("打开前排灯", tools=[LIGHTS, LIGHTS.model_copy(deep=True)], tool_choice="required")
    )
    assert not two.call_head_written and two.prompt.endswith("<tool_call>\n")


async def test_a_forced_call_with_its_head_written_is_a_valid_call(
    cached: LlamaCppEngine,
) -> None:
    result = await cached.complete(ask("打开前排灯", tools=[LIGHTS], tool_choice="required"))
    [call] = result.message.tool_calls
    assert call.name == "set_light" and call.valid, call
    assert call.parsed_arguments is not None and isinstance(call.parsed_arguments["on"], bool)
