"""Tool-call parsing: whole, streamed in pieces, malformed, several calls, validation."""

from __future__ import annotations

import json

import pytest

from tongxue.engine.protocol import ToolDefinition
from tongxue.engine.tool_parser import StreamingToolCallParser, parse_tool_calls

WEATHER = ToolDefinition.model_validate(
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string"},
                    "unit": {"type": "string", "enum": ["c", "f"]},
                },
                "required": ["city"],
                "additionalProperties": False,
            },
        },
    }
)
TIME = ToolDefinition.model_validate(
    {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}
)
TOOLS = [WEATHER, TIME]


def stream_pieces(text: str, size: int) -> tuple[list[str], list]:  # type: ignore[type-arg]
    parser = StreamingToolCallParser(TOOLS)
    texts, calls = [], []
    for start in range(0, len(text), size):
        piece = parser.feed(text[start : start + size])
        texts.append(piece.text)
        calls.extend(piece.calls)
    last = parser.finish()
    texts.append(last.text)
    calls.extend(last.calls)
    return texts, calls


def test_hermes_tag_whole() -> None:
    text = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "北京"}}\n</tool_call>'
    rest, calls = parse_tool_calls(text, TOOLS)
    assert rest == ""
    assert len(calls) == 1
    assert calls[0].name == "get_weather"
    assert calls[0].valid
    assert calls[0].parsed_arguments == {"city": "北京"}
    assert json.loads(calls[0].arguments) == {"city": "北京"}
    assert calls[0].id.startswith("call_")


def test_fenced_json_block_is_a_call() -> None:
    text = 'Sure.\n```json\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n```'
    rest, calls = parse_tool_calls(text, TOOLS)
    assert rest.strip() == "Sure."
    assert [c.name for c in calls] == ["get_weather"]
    assert calls[0].parsed_arguments == {"city": "Paris"}


def test_bare_json_object_is_a_call() -> None:
    rest, calls = parse_tool_calls('{"name": "get_time", "arguments": {}}', TOOLS)
    assert rest == ""
    assert [c.name for c in calls] == ["get_time"]
    assert calls[0].valid


def test_arguments_given_as_json_text_and_parameters_key() -> None:
    text = (
        '<tool_call>{"name": "get_weather", "arguments": "{\\"city\\": \\"Oslo\\"}"}</tool_call>'
        '<tool_call>{"name": "get_weather", "parameters": {"city": "Rome"}}</tool_call>'
    )
    _, calls = parse_tool_calls(text, TOOLS)
    assert [c.parsed_arguments for c in calls] == [{"city": "Oslo"}, {"city": "Rome"}]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
def test_streamed_in_pieces_never_leaks_a_half_tag(size: int) -> None:
    text = (
        "好的。<tool_call>\n"
        '{"name": "get_weather", "arguments": {"city": "上海", "unit": "c"}}\n'
        "</tool_call>\n<tool_call>\n"
        '{"name": "get_time", "arguments": {}}\n</tool_call>'
    )
    texts, calls = stream_pieces(text, size)
    shown = "".join(texts)
    assert "<" not in shown and "tool_call" not in shown
    assert shown.strip() == "好的。"
    assert [c.name for c in calls] == ["get_weather", "get_time"]
    assert all(c.valid for c in calls)


@pytest.mark.parametrize("size", [1, 4, 9])
def test_streamed_fence_with_ordinary_code_is_released_as_text(size: int) -> None:
    text = "Here is code:\n```python\nprint('hi')\n```\nDone."
    texts, calls = stream_pieces(text, size)
    assert calls == []
    assert "".join(texts) == text


def test_text_with_lone_angle_bracket_is_not_held_forever() -> None:
    texts, calls = stream_pieces("3 < 5 and 7 > 2", 1)
    assert "".join(texts) == "3 < 5 and 7 > 2"
    assert calls == []


def test_several_calls_in_one_fence_and_in_a_list() -> None:
    text = (
        "```json\n"
        '[{"name": "get_time", "arguments": {}}, '
        '{"name": "get_weather", "arguments": {"city": "Xi\'an"}}]\n```'
    )
    _, calls = parse_tool_calls(text, TOOLS)
    assert [c.name for c in calls] == ["get_time", "get_weather"]
    text = '<tool_call>\n{"name": "get_time", "arguments": {}}\n{"name": "get_time"}\n</tool_call>'
    _, calls = parse_tool_calls(text, TOOLS)
    assert [c.name for c in calls] == ["get_time", "get_time"]


def test_malformed_json_in_tag_is_reported_not_dropped() -> None:
    rest, calls = parse_tool_calls('<tool_call>{"name": "get_weather", "argu</tool_call>', TOOLS)
    assert rest == ""
    assert len(calls) == 1
    assert not calls[0].valid
    assert "not valid JSON" in (calls[0].error or "")


def test_unterminated_tag_at_end_is_still_parsed() -> None:
    _, calls = parse_tool_calls('<tool_call>\n{"name": "get_time", "arguments": {}}', TOOLS)
    assert [c.name for c in calls] == ["get_time"]
    assert calls[0].valid


def test_unknown_tool_is_invalid() -> None:
    _, calls = parse_tool_calls('<tool_call>{"name": "launch", "arguments": {}}</tool_call>', TOOLS)
    assert calls[0].name == "launch"
    assert "unknown tool" in (calls[0].error or "")


def test_arguments_checked_against_schema() -> None:
    text = '<tool_call>{"name": "get_weather", "arguments": {"unit": "k", "x": 1}}</tool_call>'
    _, calls = parse_tool_calls(text, TOOLS)
    error = calls[0].error or ""
    assert error.startswith("invalid arguments")
    assert "'city' is a required property" in error
    assert "'k' is not one of" in error


def test_arguments_that_are_not_an_object_are_invalid() -> None:
    _, calls = parse_tool_calls(
        '<tool_call>{"name": "get_time", "arguments": [1]}</tool_call>', TOOLS
    )
    assert "must be a JSON object" in (calls[0].error or "")


def test_fenced_json_that_is_not_a_call_stays_text() -> None:
    text = '```json\n{"city": "Paris"}\n```'
    rest, calls = parse_tool_calls(text, TOOLS)
    assert calls == []
    assert rest == text


def test_without_tools_everything_is_text() -> None:
    text = '<tool_call>{"name": "get_time", "arguments": {}}</tool_call>'
    rest, calls = parse_tool_calls(text, [])
    assert rest == text
    assert calls == []


def test_plain_answer_starting_with_brace_but_not_a_call_is_text() -> None:
    rest, calls = parse_tool_calls("{this is not json} but an answer", TOOLS)
    assert calls == []
    assert rest == "{this is not json} but an answer"


def test_bare_call_missing_its_last_brace_is_repaired() -> None:
    text = '{"name": "get_weather", "arguments": {"city": "Paris"}'
    rest, calls = parse_tool_calls(text, TOOLS)
    assert rest == ""
    assert [c.parsed_arguments for c in calls] == [{"city": "Paris"}]


def test_broken_bare_call_is_reported_not_spoken() -> None:
    rest, calls = parse_tool_calls('{"name": "get_weather", "arguments": {"city": ', TOOLS)
    assert rest == ""
    assert len(calls) == 1 and not calls[0].valid
