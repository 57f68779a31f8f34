"""The transformers reference backend on the tiny GGUF (dequantised by transformers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tongxue.engine.errors import UnsupportedRequestError
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.protocol import ChatMessage, ChatRequest, ChatResult, TextDelta
from tongxue.engine.transformers_backend import TransformersEngine

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
async def engine(tiny_model_path: Path) -> AsyncIterator[TransformersEngine]:
    engine = TransformersEngine(tiny_model_path, device="cpu", seed=0)
    yield engine
    await engine.aclose()


def ask(text: str, **options: object) -> ChatRequest:
    return ChatRequest.model_validate(
        {"messages": [ChatMessage(role="user", content=text)], "temperature": 0, **options}
    )


def test_renders_the_same_prompt_as_llama_cpp(
    engine: TransformersEngine, tiny_model_path: Path
) -> None:
    llama = LlamaCppEngine(tiny_model_path, n_ctx=512)
    request = ask("打开车窗", tools=[{"type": "function", "function": {"name": "open_window"}}])
    assert engine.plan(request).prompt == llama.plan(request).prompt


async def test_streams_and_counts_tokens(engine: TransformersEngine) -> None:
    events = [e async for e in engine.stream(ask("hello", max_tokens=8))]
    result = events[-1]
    assert isinstance(result, ChatResult)
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert text.strip() == (result.message.content or "")
    assert result.usage.completion_tokens == 8 or result.finish_reason == "stop"
    assert result.usage.prompt_tokens == len(
        engine.tokenizer(engine.plan(ask("hello")).prompt, add_special_tokens=False)["input_ids"]
    )


async def test_json_schema_is_refused_clearly(engine: TransformersEngine) -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    with pytest.raises(UnsupportedRequestError, match="cannot constrain output"):
        await engine.complete(ask("json", response_format=fmt))
    # The engine is still usable afterwards.
    assert (await engine.complete(ask("ok", max_tokens=2))).usage.completion_tokens >= 1
