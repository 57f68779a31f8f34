"""A GBNF grammar that admits only valid calls of the offered tools.

When a turn must act, the model's answer is generated under this grammar, so a call with an
unknown name, a value outside an enum ("high beam" for `high`), an invented property, a
missing required argument or broken JSON cannot be written at all.

The grammar is built from the tools' JSON schemas, whatever they are: one alternative per
tool, `{"name": "<tool>", "arguments": {...}}`, in the exact spacing the chat template uses
for calls in the history (`json.dumps` style), so the model's own habits fit it. Objects are
closed (no additional properties), properties come in schema order, required ones always and
optional ones at most once. Integer ranges are enforced when they are small enough to list;
wider integer ranges and number ranges are left to the domain, which clamps anyway.

llama.cpp's own JSON-schema converter (the Python copy in llama-cpp-python) ignores ranges
and allows free whitespace; this builder knows the one shape a call has, so it is smaller
and stricter.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from typing import Any

from tongxue.engine.protocol import ToolDefinition

# An integer range with at most this many values is spelled out; wider ones are just integers.
MAX_LISTED_INTEGERS = 256
# Separator between two calls when more than one is allowed, as the chat template writes them.
CALL_SEPARATOR = "\n</tool_call>\n<tool_call>\n"

_BUILTIN_RULES: dict[str, str] = {
    "boolean": '"true" | "false"',
    "null": '"null"',
    "integer": '"-"? ([0-9] | [1-9] [0-9]{0,15})',
    "number": '"-"? ([0-9] | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})?',
    # JSON string characters; control characters would break the call's JSON.
    "char": '[^"\\\\\\x7F\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})',
    "string": '"\\"" char* "\\""',
    # Free JSON, for schemas that say nothing (`{}`): spacing as json.dumps writes it.
    "value": "object | array | string | number | boolean | null",
    "object": '"{" (string ": " value (", " string ": " value)*)? "}"',
    "array": '"[" (value (", " value)*)? "]"',
}
_BUILTIN_DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "string": ("char",),
    "value": ("object", "array", "string", "number", "boolean", "null"),
    "object": ("string", "value"),
    "array": ("value",),
}


class UnsupportedSchemaError(ValueError):
    """A schema construct the grammar cannot express (the caller falls back or refuses)."""


def gbnf_literal(text: str) -> str:
    """`text` as a GBNF string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def json_literal(value: Any) -> str:
    """A JSON value, written as the model must write it, as a GBNF literal."""
    return gbnf_literal(json.dumps(value, ensure_ascii=False))


class _Builder:
    def __init__(self) -> None:
        self.rules: dict[str, str] = {}
        self._by_body: dict[str, str] = {}

    def add(self, name: str, body: str) -> str:
        """A rule for `body`, reusing an identical one (so equal schemas share rules)."""
        if body in self._by_body:
            return self._by_body[body]
        name = re.sub(r"[^a-zA-Z0-9-]+", "-", name).strip("-") or "r"
        unique, n = name, 1
        while unique in self.rules or unique in _BUILTIN_RULES:
            n += 1
            unique = f"{name}{n}"
        self.rules[unique] = body
        self._by_body[body] = unique
        return unique

    def builtin(self, name: str) -> str:
        if name not in self.rules:
            self.rules[name] = _BUILTIN_RULES[name]
            self._by_body[_BUILTIN_RULES[name]] = name
            for dependency in _BUILTIN_DEPENDENCIES.get(name, ()):
                self.builtin(dependency)
        return name

    def value(self, schema: Any, name: str) -> str:
        """A GBNF expression for one JSON value of `schema`."""
        if schema is True or schema == {}:
            return self.builtin("value")
        if not isinstance(schema, dict):
            raise UnsupportedSchemaError(f"{name}: not a schema: {schema!r}")
        if "$ref" in schema:
            raise UnsupportedSchemaError(f"{name}: $ref is not supported in tool schemas")
        if "const" in schema:
            return json_literal(schema["const"])
        if "enum" in schema:
            return "(" + " | ".join(json_literal(v) for v in schema["enum"]) + ")"
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [self.value(s, f"{name}-{i}") for i, s in enumerate(schema[key])]
                return "(" + " | ".join(options) + ")"
        kind = schema.get("type")
        if isinstance(kind, list):
            options = [self.value({**schema, "type": k}, f"{name}-{k}") for k in kind]
            return "(" + " | ".join(options) + ")"
        if kind == "object" or (kind is None and "properties" in schema):
            return self.object(schema, name)
        if kind == "array":
            return self.array(schema, name)
        if kind == "integer":
            return self.integer(schema, name)
        if kind == "string":
            return self.string(schema, name)
        if kind in ("number", "boolean", "null"):
            return self.builtin(kind)
        if kind is None:
            return self.builtin("value")
        raise UnsupportedSchemaError(f"{name}: unknown type {kind!r}")

    def integer(self, schema: dict[str, Any], name: str) -> str:
        low = _bound(schema, "minimum", "exclusiveMinimum", +1)
        high = _bound(schema, "maximum", "exclusiveMaximum", -1)
        if low is not None and high is not None and 0 <= high - low < MAX_LISTED_INTEGERS:
            return self.add(name, " | ".join(f'"{n}"' for n in range(low, high + 1)))
        return self.builtin("integer")

    def string(self, schema: dict[str, Any], name: str) -> str:
        low = int(schema.get("minLength", 0))
        high = schema.get("maxLength")
        if low == 0 and high is None:
            return self.builtin("string")
        self.builtin("char")
        count = f"{{{low},{int(high)}}}" if high is not None else f"{{{low},}}"
        return self.add(name, f'"\\"" char{count} "\\""')

    def array(self, schema: dict[str, Any], name: str) -> str:
        item = self.value(schema.get("items", {}), f"{name}-item")
        low = int(schema.get("minItems", 0))
        high = schema.get("maxItems")
        if low == 0 and high is None:
            return self.add(name, f'"[" ({item} (", " {item})*)? "]"')
        if high is not None and int(high) < low:
            raise UnsupportedSchemaError(f"{name}: maxItems below minItems")
        rest_low = max(low - 1, 0)
        rest = f"{{{rest_low},{int(high) - 1}}}" if high is not None else f"{{{rest_low},}}"
        body = f'"[" {item} (", " {item}){rest} "]"'
        if low == 0:
            body = f'"[" ({item} (", " {item}){rest})? "]"'
        return self.add(name, body)

    def object(self, schema: dict[str, Any], name: str) -> str:
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        missing = required - set(properties)
        if missing:
            raise UnsupportedSchemaError(f"{name}: required but not described: {sorted(missing)}")
        members = [
            (
                gbnf_literal(json.dumps(key, ensure_ascii=False) + ": ")
                + " "
                + self.value(sub, f"{name}-{key}"),
                key in required,
            )
            for key, sub in properties.items()
        ]
        inside = self._members(members, name)
        return self.add(name, f'"{{" {inside} "}}"' if inside else '"{}"')

    def _members(self, members: list[tuple[str, bool]], name: str) -> str:
        """Members in schema order, optional ones at most once, commas only between them.

        `after[i]` admits members i.. once something is written (each behind a comma), None
        when nothing can follow; alternatives start with distinct keys, so none is ambiguous.
        """
        after: list[str | None] = [None] * (len(members) + 1)
        for i in range(len(members) - 1, 0, -1):
            member, is_required = members[i]
            tail = after[i + 1]
            here = f'", " {member}' + (f" {tail}" if tail else "")
            if is_required:
                body = here
            elif tail is None:
                body = f"({here})?"
            else:
                body = f"({here} | {tail})"
            after[i] = self.add(f"{name}-after{i}", body)
        options: list[str] = []
        for i, (member, is_required) in enumerate(members):
            tail = after[i + 1]
            options.append(member + (f" {tail}" if tail else ""))
            if is_required:
                break
        else:
            # No required member: the empty object is a call too.
            if not options:
                return ""
            return "(" + self.add(f"{name}-members", " | ".join(options)) + ")?"
        return self.add(f"{name}-members", " | ".join(options))


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str, step: int) -> int | None:
    """The smallest (step +1) or largest (step -1) integer a bound admits, if any."""
    if inclusive in schema:
        value = float(schema[inclusive])
        return math.ceil(value) if step > 0 else math.floor(value)
    if exclusive in schema:
        value = float(schema[exclusive])
        rounded = math.floor(value) if step > 0 else math.ceil(value)
        return rounded + step
    return None


def call_head(name: str) -> str:
    """How a call of `name` starts, up to its arguments, exactly as the grammar writes it."""
    return '{"name": ' + json.dumps(name, ensure_ascii=False) + ', "arguments": '


def tool_arguments_grammar(tool: ToolDefinition) -> str:
    """GBNF for the rest of one call of `tool` once `call_head` is written: the arguments
    and the call's closing brace. Raises `UnsupportedSchemaError` like `tool_call_grammar`."""
    canonical = json.dumps(tool.function.parameters, ensure_ascii=False)
    return _arguments_grammar_text(tool.function.name, canonical)


@functools.lru_cache(maxsize=256)
def _arguments_grammar_text(name: str, canonical_parameters: str) -> str:
    builder = _Builder()
    arguments = builder.object(_closed(json.loads(canonical_parameters)), f"t0-{name}-args")
    lines = [f'root ::= {arguments} "}}"']
    lines += [f"{rule} ::= {body}" for rule, body in builder.rules.items()]
    return "\n".join(lines) + "\n"


def tool_call_grammar(tools: Sequence[ToolDefinition], max_calls: int = 1) -> str:
    """GBNF for 1..`max_calls` calls of `tools`, as written after `<tool_call>\\n`.

    Several calls are separated by the closing and opening tags, as the chat template writes
    them; the last one is left open, the parser closes it. Raises `UnsupportedSchemaError`
    for a schema it cannot express, and `ValueError` without tools.
    """
    if not tools:
        raise ValueError("a tool-call grammar needs at least one tool")
    if max_calls < 1:
        raise ValueError("max_calls must be at least 1")
    canonical = json.dumps(
        [[tool.function.name, tool.function.parameters] for tool in tools], ensure_ascii=False
    )
    return _grammar_text(canonical, max_calls)


@functools.lru_cache(maxsize=256)
def _grammar_text(canonical_tools: str, max_calls: int) -> str:
    # Keyed by the tools' JSON: a router offers a handful of tool sets over and over.
    builder = _Builder()
    options: list[str] = []
    for index, (name, parameters) in enumerate(json.loads(canonical_tools)):
        arguments = builder.object(_closed(parameters), f"t{index}-{name}-args")
        head = gbnf_literal(call_head(name))
        options.append(builder.add(f"t{index}-{name}", f'{head} {arguments} "}}"'))
    call = builder.add("call", " | ".join(options))
    more = f" ({gbnf_literal(CALL_SEPARATOR)} {call}){{0,{max_calls - 1}}}" if max_calls > 1 else ""
    lines = [f"root ::= {call}{more}"]
    lines += [f"{name} ::= {body}" for name, body in builder.rules.items()]
    return "\n".join(lines) + "\n"


def _closed(parameters: Any) -> dict[str, Any]:
    """The arguments' schema as an object, whatever the tool declared."""
    if not isinstance(parameters, dict) or not parameters:
        return {"type": "object", "properties": {}}
    if parameters.get("type", "object") != "object":
        raise UnsupportedSchemaError("a tool's parameters must be an object schema")
    return parameters
