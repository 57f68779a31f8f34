"""Labelled examples: the bundled store, retrieval, the vector cache and the few-shot turns.

Retrieval is tested with a small deterministic embedder of our own (character bigrams), so
no test depends on one CPU's numerics; one test checks the bundled store with the real E5.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from support.embedder import BigramEmbedder, example
from tongxue.cabin.tools import parse_tool_call
from tongxue.dialogue.examples import (
    ExampleFileError,
    ExampleIndex,
    load_examples,
    parse_example,
)
from tongxue.dialogue.prompt import build_messages, example_messages
from tongxue.dialogue.sessions import SessionStore
from tongxue.engine.protocol import ChatMessage

EXAMPLES = [
    example("open the window", ("set_window", {"position": 100})),
    example("open the window a bit", ("set_window", {"delta": 20})),
    example("close the sunroof", ("set_sunroof", {"position": 0})),
    example("play some jazz", ("play_media", {"query": "jazz"})),
    example(
        "open the window and play jazz",
        ("set_window", {"position": 100}),
        ("play_media", {"query": "jazz"}),
    ),
    example("hello there"),
]


def test_bundled_examples_are_valid_calls_of_the_cabin() -> None:
    examples = load_examples()
    assert len(examples) >= 400
    assert any(not e.calls for e in examples), "small talk is labelled too"
    for e in examples:
        for call in e.calls:
            parse_tool_call(call.name, call.arguments)  # raises when a call no longer fits


def test_bundled_examples_come_from_the_public_set_only() -> None:
    lines = Path("evals/public.jsonl").read_text(encoding="utf-8").splitlines()
    public = {json.loads(line)["id"] for line in lines if line.strip()}
    assert {e.source for e in load_examples()} <= public


def test_a_bad_line_names_its_place(tmp_path: Path) -> None:
    path = tmp_path / "examples-bad.jsonl"
    path.write_text('{"text": "hi", "calls": []}\n{"text": "no calls"}\n', encoding="utf-8")
    with pytest.raises(ExampleFileError, match=r"examples-bad\.jsonl:2"):
        load_examples([path])
    assert parse_example('{"text": "x", "calls": [{"name": "a"}]}').calls[0].arguments == {}


def test_nearest_examples_closest_first() -> None:
    index = ExampleIndex(BigramEmbedder(), EXAMPLES)
    found = index.nearest("please open the window a little bit", k=2)
    assert [n.example.text for n in found] == ["open the window a bit", "open the window"]
    assert found[0].score >= found[1].score


def test_nearest_keeps_to_the_offered_tools_and_skips_small_talk() -> None:
    index = ExampleIndex(BigramEmbedder(), EXAMPLES)
    found = index.nearest("open the window and play jazz", k=5, tools=["set_window"])
    assert {n.example.tools for n in found} == {("set_window",)}
    assert all(n.example.calls for n in index.nearest("hello there", k=10))
    assert [n.example.text for n in index.nearest("hello", k=1, with_calls=False)] == [
        "hello there"
    ]


def test_the_sentence_itself_can_be_left_out() -> None:
    index = ExampleIndex(BigramEmbedder(), EXAMPLES)
    assert index.nearest("open the window", k=1)[0].example.text == "open the window"
    left_out = index.nearest("open the window", k=1, exclude_same_text=True)
    assert left_out[0].example.text != "open the window"


def test_vectors_are_cached_by_texts(tmp_path: Path) -> None:
    embedder = BigramEmbedder()
    first = ExampleIndex(embedder, EXAMPLES, cache_dir=tmp_path)
    embedded = embedder.calls
    again = ExampleIndex(embedder, EXAMPLES, cache_dir=tmp_path)
    assert embedder.calls == embedded  # read back, not embedded again
    np.testing.assert_array_equal(first.matrix, again.matrix)
    ExampleIndex(embedder, EXAMPLES[:-1], cache_dir=tmp_path)
    assert embedder.calls > embedded  # other texts, other file
    assert len(list(tmp_path.glob("examples-*.npy"))) == 2


def test_one_turn_is_embedded_once() -> None:
    embedder = BigramEmbedder()
    index = ExampleIndex(embedder, EXAMPLES)
    before = embedder.calls
    index.nearest("open it", k=1)
    index.similarities("open it")
    assert embedder.calls == before + 1


def test_few_shot_turns_follow_the_system_prompt() -> None:
    session = SessionStore().get_or_create(None)
    shots = [EXAMPLES[1], EXAMPLES[4]]
    messages = build_messages(session, "窗户开条缝", "passenger", None, examples=shots)
    assert [m.role for m in messages] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert messages[1].content == "[seat: driver (主驾)]\nopen the window a bit"
    calls = messages[4].tool_calls or []
    assert [c.function.name for c in calls] == ["set_window", "play_media"]
    assert json.loads(calls[1].function.arguments) == {"query": "jazz"}
    assert messages[-1].content == "[seat: front passenger (副驾)]\n窗户开条缝"
    # Without examples the prompt is what it always was.
    plain = build_messages(session, "窗户开条缝", "passenger", None)
    assert [m.role for m in plain] == ["system", "user"]


def test_few_shot_turns_render_as_template_tool_calls(tiny_model_path: Path) -> None:
    from tongxue.engine.llama_cpp_backend import LlamaCppEngine
    from tongxue.engine.protocol import ChatRequest

    engine = LlamaCppEngine(tiny_model_path, n_ctx=1024, n_threads=1)
    messages = [ChatMessage(role="system", content="sys"), *example_messages([EXAMPLES[0]])]
    messages.append(ChatMessage(role="user", content="x"))
    prompt = engine.plan(ChatRequest(messages=messages)).prompt
    assert (
        '<tool_call>\n{"name": "set_window", "arguments": {"position": 100}}\n</tool_call>'
        in prompt
    )


def test_real_embedder_finds_the_bundled_neighbours(tmp_path: Path) -> None:
    from tongxue.engine.embeddings import E5Embedder

    index = ExampleIndex(E5Embedder(), load_examples(), cache_dir=tmp_path)
    found = index.nearest("play something by Adele", k=3, exclude_same_text=True)
    assert found[0].example.tools == ("play_media",)
