"""The llama-cpp engine on the tiny random-weight Qwen2 model (real tokenizer and template)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from pathlib import Path

import jsonschema
import pytest

from support.tools import LIGHTS
from tongxue.engine.errors import ContextOverflowError, EngineError
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.protocol import (
    ChatMessage,
    ChatRequest,
    ChatResult,
    TextDelta,
)

SYSTEM = ChatMessage(role="system", content="你是车载助手。Answer briefly.")


@pytest.fixture(scope="module")
async def engine(tiny_model_path: Path) -> AsyncIterator[LlamaCppEngine]:
    engine = LlamaCppEngine(tiny_model_path, n_ctx=2048, n_threads=2, seed=1)
    yield engine
    await engine.aclose()


def ask(text: str, **options: object) -> ChatRequest:
    return ChatRequest.model_validate(
        {"messages": [SYSTEM, ChatMessage(role="user", content=text)], "temperature": 0, **options}
    )


def test_template_renders_tools_and_keeps_chinese(engine: LlamaCppEngine) -> None:
    prompt = engine.plan(ask("打开前排灯", tools=[LIGHTS])).prompt
    assert prompt.startswith("<|im_start|>system\n你是车载助手。Answer briefly.")
    assert "<tools>" in prompt and "</tools>" in prompt
    assert '"name": "set_light"' in prompt
    assert "<tool_call>" in prompt  # the template's instructions on how to call
    assert prompt.endswith("<|im_start|>user\n打开前排灯<|im_end|>\n<|im_start|>assistant\n")


def test_prefix_is_byte_stable_across_turns(engine: LlamaCppEngine) -> None:
    first = engine.plan(ask("打开前排灯", tools=[LIGHTS])).prompt
    second = engine.plan(ask("turn off the rear light", tools=[LIGHTS])).prompt
    prefix = first[: first.index("<|im_start|>user")]
    assert second.startswith(prefix)
    assert len(engine.tokenize(prefix)) > 100


def test_tool_history_renders(engine: LlamaCppEngine) -> None:
    request = ChatRequest.model_validate(
        {
            "messages": [
                {"role": "user", "content": "lights on"},
                {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "set_light", "arguments": '{"on": true}'},
                        }
                    ],
                },
                {"role": "tool", "tool_call_id": "call_1", "content": "done"},
            ],
            "tools": [LIGHTS],
        }
    )
    prompt = engine.plan(request).prompt
    assert '<tool_call>\n{"name": "set_light", "arguments": {"on": true}}\n</tool_call>' in prompt
    assert "<tool_response>\ndone\n</tool_response>" in prompt


async def test_stream_yields_text_then_result_with_usage(engine: LlamaCppEngine) -> None:
    request = ask("你好", max_tokens=12)
    events = [event async for event in engine.stream(request)]
    result = events[-1]
    assert isinstance(result, ChatResult)
    assert all(not isinstance(e, ChatResult) for e in events[:-1])
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert streamed.strip() == (result.message.content or "")
    assert result.usage.prompt_tokens == len(engine.tokenize(engine.plan(request).prompt))
    assert 1 <= result.usage.completion_tokens <= 13
    assert result.finish_reason in {"stop", "length", "tool_calls"}
    assert result.timings.time_to_first_token_ms is not None
    assert result.timings.total_ms >= result.timings.time_to_first_token_ms


async def test_prefix_cache_is_reused_on_the_next_turn(engine: LlamaCppEngine) -> None:
    await engine.complete(ask("打开前排灯", tools=[LIGHTS], max_tokens=4))
    second = await engine.complete(ask("关掉后排灯", tools=[LIGHTS], max_tokens=4))
    prefix = engine.plan(ask("x", tools=[LIGHTS])).prompt
    prefix = prefix[: prefix.index("<|im_start|>user")]
    assert second.usage.cached_prompt_tokens >= len(engine.tokenize(prefix))


async def test_json_schema_output_parses_and_validates(engine: LlamaCppEngine) -> None:
    schema = {
        "type": "object",
        "properties": {
            "ok": {"type": "boolean"},
            "colour": {"type": "string", "enum": ["red", "blue", "green"]},
        },
        "required": ["ok", "colour"],
        "additionalProperties": False,
    }
    fmt = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}
    # Random weights: only the grammar can make this valid JSON.
    for seed in range(3):
        result = await engine.complete(
            ask("status?", response_format=fmt, seed=seed, temperature=1.0, max_tokens=64)
        )
        data = json.loads(result.message.content or "")
        jsonschema.validate(data, schema)


async def test_json_object_mode_gives_json(engine: LlamaCppEngine) -> None:
    result = await engine.complete(
        ask("json please", response_format={"type": "json_object"}, max_tokens=48)
    )
    text = result.message.content or ""
    if result.finish_reason == "stop":
        json.loads(text)
    else:
        assert text.lstrip().startswith(("{", "["))


async def test_named_tool_choice_forces_a_valid_call(engine: LlamaCppEngine) -> None:
    request = ask(
        "lights",
        tools=[LIGHTS],
        tool_choice={"type": "function", "function": {"name": "set_light"}},
        max_tokens=64,
    )
    result = await engine.complete(request)
    assert result.finish_reason == "tool_calls"
    [call] = result.message.tool_calls
    assert call.name == "set_light"
    assert call.valid, call.error
    assert set(call.parsed_arguments or {}) == {"on", "zone"}


async def test_closing_the_stream_cancels_generation(engine: LlamaCppEngine) -> None:
    request = ask("write forever", max_tokens=1500, temperature=1.0, seed=3)
    prompt_tokens = len(engine.tokenize(engine.plan(request).prompt))
    async with aclosing(engine.stream(request)) as events:
        async for event in events:
            if isinstance(event, TextDelta):
                break
    # The generation stopped well before its budget and the model is free again.
    assert engine.llm.n_tokens - prompt_tokens < 1500
    assert engine.queue_depth == 0
    after = await engine.complete(ask("hi", max_tokens=4))
    assert after.usage.completion_tokens >= 1


async def test_cancelling_the_consumer_task_frees_the_model(engine: LlamaCppEngine) -> None:
    started = asyncio.Event()

    async def consume() -> None:
        async for event in engine.stream(ask("go on", max_tokens=1500, temperature=1.0)):
            if isinstance(event, TextDelta):
                started.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(started.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert engine.queue_depth == 0
    result = await asyncio.wait_for(engine.complete(ask("next", max_tokens=4)), 30)
    assert result.usage.completion_tokens >= 1


async def test_concurrent_callers_all_succeed_in_arrival_order(engine: LlamaCppEngine) -> None:
    finished: list[int] = []
    depths: list[int] = []

    async def caller(n: int) -> ChatResult:
        result = await engine.complete(ask(f"question {n}", max_tokens=16, seed=n))
        finished.append(n)
        return result

    tasks = []
    for n in range(5):
        tasks.append(asyncio.create_task(caller(n)))
        await asyncio.sleep(0)
    await asyncio.sleep(0.01)
    depths.append(engine.queue_depth)
    results = await asyncio.gather(*tasks)
    assert finished == [0, 1, 2, 3, 4]
    assert all(r.usage.completion_tokens >= 1 for r in results)
    assert max(depths) >= 2
    assert results[-1].timings.queued_ms > results[0].timings.queued_ms


async def test_prompt_longer_than_context_is_a_clear_error(engine: LlamaCppEngine) -> None:
    with pytest.raises(ContextOverflowError, match="context window is 2048"):
        await engine.complete(ask("车 " * 3000, max_tokens=4))
    assert (await engine.complete(ask("ok", max_tokens=2))).usage.completion_tokens >= 1


def test_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="model file not found"):
        LlamaCppEngine(tmp_path / "nope.gguf")


def test_broken_model_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(EngineError, match="could not load"):
        LlamaCppEngine(broken)
