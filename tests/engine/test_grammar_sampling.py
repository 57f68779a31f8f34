"""Greedy decoding under a grammar, the best token checked first: it must write exactly what
llama-cpp-python's full grammar pass writes from the same evaluated prompt."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.protocol import ChatMessage, ChatRequest, ToolDefinition

CLIMATE = ToolDefinition.model_validate(
    {
        "type": "function",
        "function": {
            "name": "set_climate",
            "description": "Climate control",
            "parameters": {
                "type": "object",
                "properties": {
                    "temperature": {"type": "integer", "minimum": 16, "maximum": 32},
                    "mode": {"type": "string", "enum": ["auto", "face", "feet"]},
                    "zone": {"type": "string"},
                },
                "required": ["temperature"],
            },
        },
    }
)


@pytest.fixture(scope="module")
async def engine(tiny_model_path: Path) -> AsyncIterator[LlamaCppEngine]:
    engine = LlamaCppEngine(tiny_model_path, n_ctx=2048, n_threads=2, seed=1, prefill_chunk=16)
    yield engine
    await engine.aclose()


def request_for(text: str, **options: object) -> ChatRequest:
    return ChatRequest.model_validate(
        {
            "messages": [
                ChatMessage(role="system", content="You control the car."),
                ChatMessage(role="user", content=text),
            ],
            "temperature": 0,
            "max_tokens": 48,
            **options,
        }
    )


def both_ways(engine: LlamaCppEngine, request: ChatRequest) -> tuple[str, str]:
    """(the engine's text, llama-cpp-python's text) from the same prefilled prompt."""
    plan = engine.plan(request)
    tokens = engine.tokenize(plan.prompt)
    engine.llm.reset()
    pieces: list[str] = []
    stats = engine._generate(plan, request, threading.Event(), pieces.append)
    assert stats.finish_reason in {"stop", "length"}

    engine.llm.reset()
    boundary = engine._boundary(plan.stable_prefix, tokens)
    assert engine._prefill(tokens, boundary, len(tokens) - 1, lambda: False) is not None
    reference = engine.llm.create_completion(
        prompt=tokens,
        grammar=engine.grammar_for(plan, request),
        temperature=0.0,
        repeat_penalty=request.repeat_penalty,
        max_tokens=request.max_tokens,
        stop=plan.stop,
    )
    return "".join(pieces), str(reference["choices"][0]["text"])  # type: ignore[index]


@pytest.mark.parametrize("text", ["把温度调到22度", "feet please", "turn it up a lot"])
def test_a_forced_call_is_written_exactly_as_the_full_grammar_pass_writes_it(
    engine: LlamaCppEngine, text: str
) -> None:
    ours, theirs = both_ways(engine, request_for(text, tools=[CLIMATE], tool_choice="required"))
    assert ours == theirs
    assert ours.endswith("}")


def test_a_json_schema_answer_is_written_exactly_as_the_full_grammar_pass_writes_it(
    engine: LlamaCppEngine,
) -> None:
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string", "maxLength": 12}},
        "required": ["answer"],
    }
    request = request_for(
        "answer in JSON",
        response_format={"type": "json_schema", "json_schema": {"name": "a", "schema": schema}},
    )
    ours, theirs = both_ways(engine, request)
    assert ours == theirs
    json.loads(ours)
