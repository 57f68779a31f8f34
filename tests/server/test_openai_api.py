"""`/v1/chat/completions` and `/v1/models` with the official `openai` client."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import jsonschema
import openai
import pytest

from server.server_kit import LiveServer

LIGHT_TOOL = {
    "type": "function",
    "function": {
        "name": "set_light",
        "description": "Switch a cabin light",
        "parameters": {
            "type": "object",
            "properties": {"on": {"type": "boolean"}, "zone": {"enum": ["front", "rear"]}},
            "required": ["on", "zone"],
            "additionalProperties": False,
        },
    },
}
HELLO = [{"role": "user", "content": "你好"}]


@pytest.fixture(scope="module")
def client(open_server: LiveServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=open_server.v1, api_key="unused", max_retries=0) as c:
        yield c


def test_models_lists_the_loaded_model_and_the_alias(client: openai.OpenAI) -> None:
    ids = [m.id for m in client.models.list()]
    assert ids == ["tiny-qwen2", "tongxue"]
    assert client.models.retrieve("tongxue").owned_by == "tongxue"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-4o")


def test_completion_has_the_openai_shape(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="tiny-qwen2", messages=HELLO, max_tokens=8, temperature=0, seed=1
    )
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")
    [choice] = completion.choices
    assert choice.message.role == "assistant"
    assert choice.finish_reason in ("stop", "length")
    assert completion.usage is not None
    assert 1 <= completion.usage.completion_tokens <= 8
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


def test_stream_sends_role_then_deltas_then_finish_and_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="tongxue",
        messages=[
            {"role": "developer", "content": "Answer briefly."},
            {"role": "user", "content": [{"type": "text", "text": "hello"}]},
        ],
        max_tokens=8,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] in ("stop", "length")
    assert all(f is None for f in finishes[:-1])
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[-1].usage.completion_tokens >= 1
    assert isinstance(text, str)


def test_stream_ends_with_done_marker(open_server: LiveServer) -> None:
    body = {"model": "tongxue", "messages": HELLO, "max_tokens": 4, "stream": True}
    with httpx.stream("POST", f"{open_server.v1}/chat/completions", json=body, timeout=60) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in r.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    assert all(line.startswith("data: ") for line in lines)


def test_forced_tool_call_comes_back_structured(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="tongxue",
        messages=[{"role": "user", "content": "turn on the rear light"}],
        tools=[LIGHT_TOOL],  # type: ignore[list-item]
        tool_choice={"type": "function", "function": {"name": "set_light"}},
        max_tokens=64,
        temperature=0,
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    [call] = choice.message.tool_calls or []
    assert call.type == "function" and call.function.name == "set_light"
    arguments = json.loads(call.function.arguments)
    jsonschema.validate(arguments, LIGHT_TOOL["function"]["parameters"])  # type: ignore[index]


def test_streamed_tool_call_arrives_as_a_delta(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="tongxue",
        messages=[{"role": "user", "content": "light"}],
        tools=[LIGHT_TOOL],  # type: ignore[list-item]
        tool_choice="required",
        max_tokens=64,
        temperature=0,
        stream=True,
    )
    calls = [tc for c in stream if c.choices for tc in c.choices[0].delta.tool_calls or []]
    assert calls and calls[0].function is not None
    assert calls[0].function.name == "set_light" and calls[0].id


def test_tool_results_can_be_sent_back(client: openai.OpenAI) -> None:
    history = [
        {"role": "user", "content": "light"},
        {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "set_light", "arguments": '{"on": true, "zone": "rear"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": '{"ok": true}'},
    ]
    completion = client.chat.completions.create(
        model="tongxue",
        messages=history,  # type: ignore[arg-type]
        tools=[LIGHT_TOOL],  # type: ignore[list-item]
        tool_choice="none",
        max_tokens=4,
    )
    assert completion.choices[0].finish_reason in ("stop", "length")


def test_json_schema_response_format_is_followed(client: openai.OpenAI) -> None:
    schema = {
        "type": "object",
        "properties": {"ok": {"type": "boolean"}, "side": {"enum": ["left", "right"]}},
        "required": ["ok", "side"],
        "additionalProperties": False,
    }
    completion = client.chat.completions.create(
        model="tongxue",
        messages=[{"role": "user", "content": "which side?"}],
        response_format={"type": "json_schema", "json_schema": {"name": "a", "schema": schema}},
        max_tokens=48,
        temperature=0,
    )
    jsonschema.validate(json.loads(completion.choices[0].message.content or ""), schema)


def test_json_object_response_format_gives_json(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="tongxue",
        messages=[{"role": "user", "content": "json please"}],
        response_format={"type": "json_object"},
        max_tokens=24,
        temperature=0,
    )
    content = completion.choices[0].message.content or ""
    if completion.choices[0].finish_reason == "stop":
        json.loads(content)
    else:  # cut off by max_tokens: it still starts as JSON
        assert content.lstrip().startswith(("{", "["))


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"n": 2}, "n"),
        ({"temperature": 3}, "temperature"),
        ({"logprobs": True}, None),
        ({"frobnicate": 1}, "frobnicate"),
        ({"tool_choice": "required"}, None),
        ({"messages": []}, "messages"),
        ({"messages": [{"role": "robot", "content": "x"}]}, "messages[0].role"),
        (
            {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]},
            "messages[0].content",
        ),
    ],
)
def test_invalid_requests_are_422_in_the_openai_shape(
    open_server: LiveServer, extra: dict[str, object], param: str | None
) -> None:
    body = {"model": "tongxue", "messages": HELLO, **extra}
    response = httpx.post(f"{open_server.v1}/chat/completions", json=body, timeout=30)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    if param is not None:
        assert (error["param"] or "").startswith(param), error


def test_client_raises_the_matching_exceptions(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model="gpt-4o", messages=HELLO)  # type: ignore[arg-type]
    assert missing.value.code == "model_not_found"
    with pytest.raises(openai.UnprocessableEntityError) as bad:
        client.chat.completions.create(
            model="tongxue",
            messages=HELLO,  # type: ignore[arg-type]
            tools=[LIGHT_TOOL],  # type: ignore[list-item]
            tool_choice={"type": "function", "function": {"name": "nope"}},
        )
    assert "nope" in bad.value.message


def test_context_overflow_is_a_400(client: openai.OpenAI) -> None:
    long = "车" * 6000
    with pytest.raises(openai.BadRequestError) as error:
        client.chat.completions.create(
            model="tongxue", messages=[{"role": "user", "content": long}], max_tokens=4
        )
    assert error.value.code == "context_length_exceeded"


def test_context_overflow_while_streaming_is_an_error_event(open_server: LiveServer) -> None:
    body = {
        "model": "tongxue",
        "messages": [{"role": "user", "content": "车" * 6000}],
        "stream": True,
    }
    with httpx.stream("POST", f"{open_server.v1}/chat/completions", json=body, timeout=60) as r:
        lines = [line for line in r.iter_lines() if line]
    errors = [json.loads(line[6:]) for line in lines if '"error"' in line]
    assert errors and errors[0]["error"]["code"] == "context_length_exceeded"
    assert lines[-1] == "data: [DONE]"


def test_malformed_json_is_a_400(open_server: LiveServer) -> None:
    response = httpx.post(
        f"{open_server.v1}/chat/completions",
        content=b'{"model": "tongxue", "messages": [',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_oversized_body_is_a_413(open_server: LiveServer) -> None:
    huge = "x" * (open_server.context.settings.max_request_bytes + 10)
    body = {"model": "tongxue", "messages": [{"role": "user", "content": huge}]}
    response = httpx.post(f"{open_server.v1}/chat/completions", json=body, timeout=30)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_oversized_chunked_body_is_a_413(open_server: LiveServer) -> None:
    limit = open_server.context.settings.max_request_bytes

    def body() -> Iterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    # A generator body goes out chunked, without a Content-Length to refuse it by.
    response = httpx.post(f"{open_server.v1}/chat/completions", content=body(), timeout=30)
    assert response.status_code == 413


def test_unknown_route_and_method_are_openai_errors(open_server: LiveServer) -> None:
    missing = httpx.get(f"{open_server.v1}/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "not_found_error"
    wrong = httpx.get(f"{open_server.v1}/chat/completions")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["type"] == "invalid_request_error"
