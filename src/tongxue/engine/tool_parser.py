"""Finds tool calls in a model's raw text, while it streams.

Qwen2.5's template asks for `<tool_call>{...}</tool_call>`, but the small Qwen2.5-Coder models
mostly answer with a fenced ```json {"name": ..., "arguments": ...}``` block instead, and
sometimes with the bare object. All three shapes become structured calls. Text that might be
the start of a marker is held back, so a half tag never reaches the caller as text.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum, auto
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from tongxue.engine.protocol import ToolCall, ToolDefinition

TAG_OPEN = "<tool_call>"
TAG_CLOSE = "</tool_call>"
FENCE = "```"
_MARKERS = (TAG_OPEN, FENCE)


class _Mode(Enum):
    TEXT = auto()
    TAG = auto()
    FENCE = auto()
    BARE = auto()


@dataclass
class ParsedPiece:
    """What one feed produced: text safe to show, and complete tool calls."""

    text: str = ""
    calls: list[ToolCall] = field(default_factory=list)


def new_call_id() -> str:
    return "call_" + uuid.uuid4().hex[:24]


class ToolCallValidator:
    """Checks a call's name and arguments against the request's tools."""

    def __init__(self, tools: Sequence[ToolDefinition]) -> None:
        self._validators: dict[str, Draft202012Validator | None] = {}
        for tool in tools:
            try:
                Draft202012Validator.check_schema(tool.function.parameters)
                self._validators[tool.function.name] = Draft202012Validator(
                    tool.function.parameters
                )
            except SchemaError:
                # A tool whose own schema is broken still gets its calls, unchecked.
                self._validators[tool.function.name] = None

    @property
    def names(self) -> list[str]:
        return list(self._validators)

    def build(self, name: Any, arguments: Any, call_id: str | None = None) -> ToolCall:
        call_id = call_id or new_call_id()
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as exc:
                return ToolCall(
                    id=call_id,
                    name=str(name),
                    arguments=arguments,
                    error=f"arguments are not valid JSON: {exc.msg}",
                )
        arguments_text = json.dumps(arguments, ensure_ascii=False)
        if not isinstance(name, str) or not name:
            return ToolCall(
                id=call_id,
                name=str(name or ""),
                arguments=arguments_text,
                error="the call has no function name",
            )
        if name not in self._validators:
            known = ", ".join(self._validators) or "none"
            return ToolCall(
                id=call_id,
                name=name,
                arguments=arguments_text,
                error=f"unknown tool '{name}' (known: {known})",
            )
        if not isinstance(arguments, dict):
            return ToolCall(
                id=call_id,
                name=name,
                arguments=arguments_text,
                error="arguments must be a JSON object",
            )
        validator = self._validators[name]
        if validator is not None:
            problems = sorted(validator.iter_errors(arguments), key=lambda e: list(e.path))
            if problems:
                detail = "; ".join(
                    f"{'/'.join(str(p) for p in e.path) or 'arguments'}: {e.message}"
                    for e in problems[:5]
                )
                return ToolCall(
                    id=call_id,
                    name=name,
                    arguments=arguments_text,
                    parsed_arguments=arguments,
                    error=f"invalid arguments: {detail}",
                )
        return ToolCall(id=call_id, name=name, arguments=arguments_text, parsed_arguments=arguments)


def _call_fields(obj: Any) -> tuple[Any, Any] | None:
    """(name, arguments) when `obj` looks like a tool call in any shape models write."""
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("function"), dict):
        obj = obj["function"]
    if "name" not in obj:
        return None
    if "arguments" in obj:
        return obj["name"], obj["arguments"]
    if "parameters" in obj:
        return obj["name"], obj["parameters"]
    if set(obj) == {"name"}:
        return obj["name"], {}
    return None


def _decode_objects(text: str) -> list[Any] | None:
    """Every JSON value in `text` (one after another), or None if anything else is there."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    index = 0
    text = text.strip()
    while index < len(text):
        try:
            value, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError:
            return None
        values.extend(value if isinstance(value, list) else [value])
        index = end
        while index < len(text) and text[index] in " \t\r\n,;":
            index += 1
    return values


def _close_braces(text: str) -> str:
    """Close the objects a model left open at its last token (a common small-model slip)."""
    missing = text.count("{") - text.count("}")
    return text.rstrip() + "}" * missing if 0 < missing <= 2 else text


def _strip_fence_language(body: str) -> str:
    first, sep, rest = body.partition("\n")
    if sep and first.strip().isalnum():
        return rest
    return body


def _held_suffix(text: str) -> int:
    """How many trailing characters could be the start of a marker."""
    longest = 0
    for marker in _MARKERS:
        for size in range(min(len(marker) - 1, len(text)), 0, -1):
            if text.endswith(marker[:size]):
                longest = max(longest, size)
                break
    return longest


class StreamingToolCallParser:
    """Feed raw model text in pieces; get back displayable text and finished tool calls."""

    def __init__(self, tools: Sequence[ToolDefinition]) -> None:
        self._validator = ToolCallValidator(tools)
        self._enabled = bool(tools)
        self._mode = _Mode.TEXT
        self._buffer = ""
        self._seen_text = False

    def feed(self, chunk: str) -> ParsedPiece:
        if not self._enabled:
            return ParsedPiece(text=chunk)
        self._buffer += chunk
        piece = ParsedPiece()
        while self._step(piece):
            pass
        return piece

    def finish(self) -> ParsedPiece:
        """Flush at the end of generation; an unterminated call is parsed or reported."""
        piece = ParsedPiece()
        if not self._enabled:
            return piece
        buffer, self._buffer = self._buffer, ""
        if self._mode is _Mode.TEXT:
            piece.text = buffer
        elif self._mode is _Mode.TAG:
            calls = self._calls_from(buffer)
            piece.calls = calls if calls is not None else [self._unparseable(buffer)]
        elif self._mode is _Mode.FENCE:
            body = buffer[: -len(FENCE)] if buffer.rstrip().endswith(FENCE) else buffer
            calls = self._calls_from(_strip_fence_language(body))
            if calls is None:
                piece.text = FENCE + buffer
            else:
                piece.calls = calls
        else:
            calls = self._calls_from(buffer) or self._calls_from(_close_braces(buffer))
            if calls is not None:
                piece.calls = calls
            elif '"name"' in buffer:
                # A call the model began but could not finish: report it, never speak it.
                piece.calls = [self._unparseable(buffer)]
            else:
                piece.text = buffer
        self._mode = _Mode.TEXT
        return piece

    def _step(self, piece: ParsedPiece) -> bool:
        """Consume what can be decided now; True when another step may make progress."""
        if self._mode is _Mode.TEXT:
            return self._step_text(piece)
        if self._mode is _Mode.TAG:
            end = self._buffer.find(TAG_CLOSE)
            if end < 0:
                return False
            body, self._buffer = self._buffer[:end], self._buffer[end + len(TAG_CLOSE) :]
            calls = self._calls_from(body)
            piece.calls.extend(calls if calls is not None else [self._unparseable(body)])
            self._mode = _Mode.TEXT
            return True
        if self._mode is _Mode.FENCE:
            end = self._buffer.find(FENCE)
            if end < 0:
                return False
            body, self._buffer = self._buffer[:end], self._buffer[end + len(FENCE) :]
            calls = self._calls_from(_strip_fence_language(body))
            if calls is None:
                piece.text += FENCE + body + FENCE
                self._seen_text = True
            else:
                piece.calls.extend(calls)
            self._mode = _Mode.TEXT
            return True
        return False  # BARE: everything waits for finish()

    def _step_text(self, piece: ParsedPiece) -> bool:
        if not self._seen_text:
            stripped = self._buffer.lstrip()
            if not stripped:
                return False
            if stripped.startswith(("{", "[")):
                self._mode = _Mode.BARE
                return False
        positions = [(self._buffer.find(m), m) for m in _MARKERS]
        found = [(pos, m) for pos, m in positions if pos >= 0]
        if found:
            pos, marker = min(found)
            self._emit(piece, self._buffer[:pos])
            self._buffer = self._buffer[pos + len(marker) :]
            self._mode = _Mode.TAG if marker == TAG_OPEN else _Mode.FENCE
            return True
        keep = _held_suffix(self._buffer)
        cut = len(self._buffer) - keep
        self._emit(piece, self._buffer[:cut])
        self._buffer = self._buffer[cut:]
        return False

    def _emit(self, piece: ParsedPiece, text: str) -> None:
        if text:
            piece.text += text
            if text.strip():
                self._seen_text = True

    def _calls_from(self, body: str) -> list[ToolCall] | None:
        values = _decode_objects(body)
        if not values:
            return None
        fields = [_call_fields(v) for v in values]
        if any(f is None for f in fields):
            return None
        return [self._validator.build(name, args) for name, args in (f for f in fields if f)]

    def _unparseable(self, body: str) -> ToolCall:
        return ToolCall(
            id=new_call_id(),
            name="",
            arguments=body.strip(),
            error="the tool call is not valid JSON with 'name' and 'arguments'",
        )


def parse_tool_calls(text: str, tools: Sequence[ToolDefinition]) -> tuple[str, list[ToolCall]]:
    """Parse a whole answer at once: (remaining text, tool calls)."""
    parser = StreamingToolCallParser(tools)
    first = parser.feed(text)
    last = parser.finish()
    return first.text + last.text, first.calls + last.calls
