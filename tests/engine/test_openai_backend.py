"""The `openai` backend against a real OpenAI-compatible server on loopback.

`python -m llama_cpp.server` serves the tiny model; the engine talks to it over HTTP with the
official client, exactly as it would talk to vLLM or Ollama.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import jsonschema
import pytest

from tongxue.engine.errors import EngineError
from tongxue.engine.openai_backend import OpenAICompatibleEngine
from tongxue.engine.protocol import ChatMessage, ChatRequest, ChatResult, TextDelta


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(tiny_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("server") / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(tiny_model_path),
            "--model_alias",
            "tiny-qwen2",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--n_threads",
            "2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited early: see {log.name}")
            try:
                if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not start within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
async def engine(server_url: str) -> AsyncIterator[OpenAICompatibleEngine]:
    engine = OpenAICompatibleEngine(server_url, api_key="test", timeout=60)
    yield engine
    await engine.aclose()


def ask(text: str, **options: object) -> ChatRequest:
    return ChatRequest.model_validate(
        {"messages": [ChatMessage(role="user", content=text)], "temperature": 0, **options}
    )


async def test_model_name_comes_from_the_server(engine: OpenAICompatibleEngine) -> None:
    assert await engine.resolve_model_name() == "tiny-qwen2"


async def test_streams_text_and_reports_usage(engine: OpenAICompatibleEngine) -> None:
    events = [e async for e in engine.stream(ask("你好", max_tokens=12))]
    result = events[-1]
    assert isinstance(result, ChatResult)
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert text.strip() == (result.message.content or "")
    assert result.model == "tiny-qwen2"
    # llama.cpp's server sends no usage while streaming; the engine counts the chunks.
    assert 1 <= result.usage.completion_tokens <= 12
    assert result.timings.time_to_first_token_ms is not None


async def test_json_schema_response_format_is_honoured(engine: OpenAICompatibleEngine) -> None:
    schema = {
        "type": "object",
        "properties": {"ok": {"type": "boolean"}, "side": {"enum": ["left", "right"]}},
        "required": ["ok", "side"],
        "additionalProperties": False,
    }
    fmt = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}
    result = await engine.complete(ask("which side?", response_format=fmt, max_tokens=48))
    jsonschema.validate(json.loads(result.message.content or ""), schema)


async def test_structured_tool_calls_are_validated(engine: OpenAICompatibleEngine) -> None:
    tool = {
        "type": "function",
        "function": {
            "name": "set_light",
            "parameters": {
                "type": "object",
                "properties": {"on": {"type": "boolean"}},
                "required": ["on"],
                "additionalProperties": False,
            },
        },
    }
    request = ask(
        "light",
        tools=[tool],
        tool_choice={"type": "function", "function": {"name": "set_light"}},
        max_tokens=48,
    )
    result = await engine.complete(request)
    [call] = result.message.tool_calls
    assert call.name == "set_light"
    assert call.valid, call.error
    assert isinstance((call.parsed_arguments or {})["on"], bool)
    assert result.finish_reason == "tool_calls"


async def test_unreachable_server_is_a_clear_error() -> None:
    engine = OpenAICompatibleEngine(f"http://127.0.0.1:{free_port()}/v1", timeout=2)
    with pytest.raises(EngineError, match="cannot list models"):
        await engine.complete(ask("hi"))
    await engine.aclose()
