"""The tool-call grammar, checked by llama.cpp's own grammar engine, token by token.

No model numerics are involved in the acceptance tests: a vocabulary-only load of the tiny
model gives llama.cpp's tokenizer and grammar sampler, which say for each token of a text
whether the grammar admits it. The sampling tests use random weights, so only the grammar
can make their output valid.
"""

from __future__ import annotations

import ctypes
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import llama_cpp
import pytest
from llama_cpp import Llama

from tongxue.engine.grammar import UnsupportedSchemaError, tool_call_grammar
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.protocol import ChatMessage, ChatRequest, ToolDefinition
from tongxue.engine.tool_parser import parse_tool_calls


def tool(name: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> ToolDefinition:
    parameters: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        parameters["required"] = list(required)
    return ToolDefinition.model_validate(
        {"type": "function", "function": {"name": name, "parameters": parameters}}
    )


SEATS = {"type": "string", "enum": ["driver", "passenger", "rear_left", "all"]}
TOOLS = [
    tool(
        "set_window",
        {
            "target": SEATS,
            "position": {"type": "integer", "minimum": 0, "maximum": 100},
            "delta": {"type": "integer"},
        },
    ),
    tool("set_headlights", {"mode": {"type": "string", "enum": ["off", "low", "high"]}}, ("mode",)),
    tool(
        "navigate_to",
        {"destination": {"type": "string", "maxLength": 40}, "avoid_tolls": {"type": "boolean"}},
        ("destination",),
    ),
    tool("set_temperature", {"value": {"type": "number"}, "target": SEATS}),
    tool("redial", {}),
]
# Constructs the cabin does not use today, which another tool set may.
EXOTIC = [
    tool(
        "set_many",
        {
            "zones": {"type": "array", "items": SEATS, "minItems": 1, "maxItems": 3},
            "level": {"type": ["integer", "null"], "exclusiveMinimum": 0, "exclusiveMaximum": 4},
            "mode": {"anyOf": [{"const": "auto"}, {"type": "integer"}]},
            "extra": {"type": "object", "properties": {"on": {"type": "boolean"}}},
            "anything": {},
        },
        ("zones",),
    )
]


def call(name: str, arguments: dict[str, Any]) -> str:
    """A call as the chat template (and so the model) writes it."""
    return json.dumps({"name": name, "arguments": arguments}, ensure_ascii=False)


class GrammarChecker:
    """llama.cpp's grammar sampler, asked token by token whether a text is admitted."""

    def __init__(self, model_path: Path) -> None:
        self.llm = Llama(model_path=str(model_path), vocab_only=True, verbose=False)
        self.vocab = self.llm._model.vocab

    def _sampler(self, grammar: str) -> Any:
        return llama_cpp.llama_sampler_init_grammar(self.vocab, grammar.encode(), b"root")

    def parses(self, grammar: str) -> bool:
        sampler = self._sampler(grammar)
        if not sampler:
            return False
        llama_cpp.llama_sampler_free(sampler)
        return True

    @staticmethod
    def _allowed(sampler: Any, token: int) -> bool:
        data = (llama_cpp.llama_token_data * 1)(llama_cpp.llama_token_data(token, 0.0, 0.0))
        candidates = llama_cpp.llama_token_data_array(data=data, size=1, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(candidates))
        return bool(candidates.data[0].logit != float("-inf"))

    def accepts(self, grammar: str, text: str) -> bool:
        """Whether the grammar admits `text` whole (and then lets the model stop)."""
        sampler = self._sampler(grammar)
        assert sampler, "the grammar does not parse"
        try:
            for token in self.llm.tokenize(text.encode(), add_bos=False, special=False):
                if not self._allowed(sampler, token):
                    return False
                llama_cpp.llama_sampler_accept(sampler, token)
            return self._allowed(sampler, self.llm.token_eos())
        finally:
            llama_cpp.llama_sampler_free(sampler)


@pytest.fixture(scope="module")
def checker(tiny_model_path: Path) -> Iterator[GrammarChecker]:
    checker = GrammarChecker(tiny_model_path)
    yield checker
    checker.llm.close()


VALID = [
    call("set_window", {"position": 30}),
    call("set_window", {}),
    call("set_window", {"target": "all", "delta": -20}),
    call("set_window", {"target": "driver", "position": 100, "delta": 5}),
    call("set_headlights", {"mode": "high"}),
    call("navigate_to", {"destination": '北京 "首都" 机场'}),
    call("navigate_to", {"destination": "公司", "avoid_tolls": True}),
    call("set_temperature", {"value": 22.5}),
    call("set_temperature", {"value": -3}),
    call("redial", {}),
]
INVALID = [
    call("set_headlights", {"mode": "high beam"}),  # not in the enum
    call("set_headlights", {}),  # a required argument missing
    call("set_window", {"position": 101}),  # out of the listed range
    call("set_window", {"position": -1}),
    call("set_window", {"position": 30, "speed": 1}),  # an invented property
    call("set_window", {"position": None}),  # null where the type has none
    call("set_window", {"position": "30"}),  # a string for an integer
    call("set_window", {"position": 2.5}),
    call("open_window", {}),  # an unknown tool
    call("navigate_to", {"destination": "x" * 41}),  # longer than maxLength
    call("redial", {"number": "110"}),
    call("set_window", {"position": 30})[:-1],  # unfinished
    call("set_window", {"position": 30}) + " and more",
    "好的，车窗已打开",  # words instead of a call
]


@pytest.mark.parametrize("text", VALID)
def test_grammar_admits_every_valid_call(checker: GrammarChecker, text: str) -> None:
    assert checker.accepts(tool_call_grammar(TOOLS), text)


@pytest.mark.parametrize("text", INVALID)
def test_grammar_rejects_invalid_calls(checker: GrammarChecker, text: str) -> None:
    assert not checker.accepts(tool_call_grammar(TOOLS), text)


def test_schema_order_is_kept(checker: GrammarChecker) -> None:
    # One order per call keeps the grammar small; it is the order the model is shown.
    text = '{"name": "set_window", "arguments": {"delta": 1, "target": "all"}}'
    assert not checker.accepts(tool_call_grammar(TOOLS), text)


def test_every_admitted_call_validates_against_its_schema() -> None:
    _, calls = parse_tool_calls("<tool_call>\n" + "\n".join(VALID), TOOLS)
    assert len(calls) == len(VALID)
    assert all(c.valid for c in calls), [c.error for c in calls if not c.valid]


@pytest.mark.parametrize(
    ("text", "admitted"),
    [
        (call("set_many", {"zones": ["driver"]}), True),
        (call("set_many", {"zones": ["driver", "all", "passenger"], "level": 3}), True),
        (call("set_many", {"zones": ["driver"], "level": None, "mode": "auto"}), True),
        (call("set_many", {"zones": ["all"], "mode": 7, "extra": {"on": True}}), True),
        (call("set_many", {"zones": ["all"], "anything": {"a": [1, "b", None]}}), True),
        (call("set_many", {"zones": []}), False),  # minItems
        (call("set_many", {"zones": ["driver"] * 4}), False),  # maxItems
        (call("set_many", {"zones": ["driver"], "level": 4}), False),  # exclusive maximum
        (call("set_many", {"zones": ["driver"], "level": 0}), False),  # exclusive minimum
        (call("set_many", {"zones": ["driver"], "mode": "manual"}), False),
    ],
)
def test_other_schema_constructs(checker: GrammarChecker, text: str, admitted: bool) -> None:
    assert checker.accepts(tool_call_grammar(EXOTIC), text) is admitted


def test_several_calls_when_allowed(checker: GrammarChecker) -> None:
    two = call("set_headlights", {"mode": "low"}) + "\n</tool_call>\n<tool_call>\n" + VALID[0]
    assert checker.accepts(tool_call_grammar(TOOLS, max_calls=2), two)
    assert not checker.accepts(tool_call_grammar(TOOLS), two)


def test_grammars_are_cached_per_tool_set() -> None:
    assert tool_call_grammar(TOOLS) is tool_call_grammar(list(TOOLS))
    assert tool_call_grammar(TOOLS[:2]) != tool_call_grammar(TOOLS)


def test_unsupported_schemas_are_reported() -> None:
    with pytest.raises(UnsupportedSchemaError):
        tool_call_grammar([tool("linked", {"x": {"$ref": "#/$defs/x"}})])
    with pytest.raises(ValueError, match="at least one tool"):
        tool_call_grammar([])


# --- through the engine, on random weights ------------------------------------------------


@pytest.fixture(scope="module")
async def engine(tiny_model_path: Path) -> AsyncIterator[LlamaCppEngine]:
    engine = LlamaCppEngine(tiny_model_path, n_ctx=2048, n_threads=2, seed=1)
    yield engine
    await engine.aclose()


async def test_required_tool_choice_always_gives_a_valid_call(engine: LlamaCppEngine) -> None:
    validators = {t.function.name: t.function.parameters for t in TOOLS}
    for seed in range(6):
        request = ChatRequest(
            messages=[ChatMessage(role="user", content="把窗户打开一点")],
            tools=TOOLS,
            tool_choice="required",
            temperature=1.0,
            seed=seed,
            max_tokens=200,
        )
        result = await engine.complete(request)
        [made] = result.message.tool_calls
        assert made.valid, made.error
        jsonschema.validate(made.parsed_arguments, validators[made.name])


async def test_a_schema_the_grammar_cannot_express_falls_back(engine: LlamaCppEngine) -> None:
    linked = tool("linked", {"x": {"$ref": "#/$defs/x"}})
    assert engine.tool_grammar([linked]) is None
    assert engine.tool_grammar(TOOLS) is engine.tool_grammar(list(TOOLS))
