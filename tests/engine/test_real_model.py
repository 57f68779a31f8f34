"""The default 0.5B model, for real: languages, a tool call, a JSON-schema answer.

Marked `real_model`; `make test` fetches the model first, so these always run there.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import jsonschema
import pytest

from tongxue.config import Settings
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.protocol import ChatMessage, ChatRequest, ToolDefinition
from tongxue.models.store import ModelStore

pytestmark = pytest.mark.real_model

WEATHER = ToolDefinition.model_validate(
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the current weather for a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string", "description": "The city name"}},
                "required": ["city"],
            },
        },
    }
)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
async def engine() -> AsyncIterator[LlamaCppEngine]:
    resolved = ModelStore(Settings()).resolve()
    engine = LlamaCppEngine(resolved.path, model_name=resolved.name, n_ctx=4096)
    yield engine
    await engine.aclose()


def ask(text: str, **options: object) -> ChatRequest:
    return ChatRequest.model_validate(
        {"messages": [{"role": "user", "content": text}], "temperature": 0, "seed": 0, **options}
    )


async def test_answers_in_chinese(engine: LlamaCppEngine) -> None:
    result = await engine.complete(ask("请用一句中文介绍一下长城。", max_tokens=60))
    text = result.message.content or ""
    assert len(HAN.findall(text)) >= 5, text
    assert result.usage.completion_tokens > 3


async def test_answers_in_english(engine: LlamaCppEngine) -> None:
    result = await engine.complete(
        ask("In one sentence, what is the capital of France?", max_tokens=40)
    )
    text = result.message.content or ""
    assert "paris" in text.lower(), text
    assert not HAN.search(text)


async def test_calls_the_weather_tool(engine: LlamaCppEngine) -> None:
    messages = [
        ChatMessage(role="system", content="You are a helpful assistant."),
        ChatMessage(role="user", content="What's the weather like in Paris right now?"),
    ]
    result = await engine.complete(
        ChatRequest(messages=messages, tools=[WEATHER], temperature=0, seed=0, max_tokens=80)
    )
    assert result.finish_reason == "tool_calls", result.message.content
    [call] = result.message.tool_calls
    assert call.valid, call.error
    assert call.name == "get_weather"
    assert "paris" in str((call.parsed_arguments or {}).get("city", "")).lower()


async def test_json_schema_answer_parses_and_validates(engine: LlamaCppEngine) -> None:
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "country": {"type": "string"},
            "population_millions": {"type": "number"},
        },
        "required": ["city", "country", "population_millions"],
        "additionalProperties": False,
    }
    request = ask(
        "Give the largest city of Japan as JSON with its country and population in millions.",
        response_format={"type": "json_schema", "json_schema": {"name": "city", "schema": schema}},
        max_tokens=80,
    )
    result = await engine.complete(request)
    data = json.loads(result.message.content or "")
    jsonschema.validate(data, schema)
    assert "tokyo" in data["city"].lower()
