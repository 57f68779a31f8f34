"""The tiny random Qwen2 model: real tokenizer and chat template, loads and runs in llama.cpp."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import numpy as np
import pytest
from llama_cpp import Llama
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from support.tiny_model import (
    DEFAULT_SPEC,
    ensure_tiny_qwen2_gguf,
    metadata_fingerprint,
    read_gguf_header,
)
from tongxue.config import DEFAULT_MODEL, Settings
from tongxue.models.store import ModelStore

# Token ids of the real Qwen2.5 tokenizer (as encoded by the real model's GGUF vocabulary).
SPECIAL_IDS = {
    "<|endoftext|>": 151643,
    "<|im_start|>": 151644,
    "<|im_end|>": 151645,
    "<tool_call>": 151657,
    "</tool_call>": 151658,
}
TEXT_IDS = {
    "Hello world": [9707, 1879],
    "你好，世界": [108386, 3837, 99489],
    "北京天气怎么样？": [68990, 104307, 104472, 11319],
    "def f(x): return x+1": [750, 282, 2075, 1648, 470, 856, 10, 16],
}
SAMPLES = [
    *TEXT_IDS,
    "打开空调，温度调到二十二度。",
    "Navigate to 上海虹桥站 and avoid tolls, please.",
    '<|im_start|>user\n<tool_call>\n{"name": "x", "arguments": {}}\n</tool_call><|im_end|>\n',
    "  indented\n\ttabs and trailing spaces   \n",
    "emoji 🚗💨 and numbers 12345 3.14159",
]


def _byte_decoder() -> dict[str, int]:
    """Inverse of GPT-2's byte-to-unicode table, used by Qwen's byte-level BPE vocabulary."""
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAC + 1), *range(0xAE, 0xFF + 1)]
    chars, extra = [*printable], 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


@pytest.fixture(scope="module")
def tiny_llm(tiny_model_path: Path) -> Iterator[Llama]:
    start = time.perf_counter()
    llm = Llama(model_path=str(tiny_model_path), n_ctx=512, verbose=False)
    elapsed = time.perf_counter() - start
    print(f"\ntiny model: {tiny_model_path.stat().st_size / 1e6:.1f} MB, loaded in {elapsed:.3f} s")
    yield llm
    llm.close()


def test_file_is_small_and_cached(tiny_model_path: Path, source_gguf_path: Path) -> None:
    assert tiny_model_path.stat().st_size < 32_000_000
    assert tiny_model_path.name.startswith("tiny-qwen2-")
    again = ensure_tiny_qwen2_gguf(tiny_model_path.parent, source_gguf_path)
    assert again == tiny_model_path


def test_header_has_tiny_shape_and_source_tokenizer(
    tiny_model_path: Path, source_gguf_path: Path
) -> None:
    tiny, source = read_gguf_header(tiny_model_path), read_gguf_header(source_gguf_path)
    assert tiny.architecture == "qwen2"
    assert tiny.get("qwen2.block_count") == DEFAULT_SPEC.n_layer
    assert tiny.get("qwen2.embedding_length") == DEFAULT_SPEC.n_embd
    assert tiny.get("qwen2.context_length") == DEFAULT_SPEC.context_length
    assert metadata_fingerprint(tiny) == metadata_fingerprint(source)
    for key in ("tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.add_bos_token"):
        assert key in tiny.fields


@pytest.mark.parametrize(("text", "token_id"), SPECIAL_IDS.items())
def test_special_token_ids(tiny_llm: Llama, text: str, token_id: int) -> None:
    assert tiny_llm.tokenize(text.encode(), add_bos=False, special=True) == [token_id]
    assert tiny_llm.detokenize([token_id], special=True).decode() == text


def test_bos_eos(tiny_llm: Llama) -> None:
    assert tiny_llm.token_eos() == SPECIAL_IDS["<|im_end|>"]
    assert tiny_llm.token_bos() == SPECIAL_IDS["<|endoftext|>"]
    assert tiny_llm.metadata["tokenizer.ggml.add_bos_token"] == "false"


@pytest.mark.parametrize(("text", "ids"), TEXT_IDS.items())
def test_known_text_ids(tiny_llm: Llama, text: str, ids: list[int]) -> None:
    assert tiny_llm.tokenize(text.encode(), add_bos=False, special=True) == ids


@pytest.mark.parametrize("text", SAMPLES)
def test_tokens_spell_the_text(tiny_llm: Llama, source_gguf_path: Path, text: str) -> None:
    """Every id maps to the source vocabulary entry, and the entries spell the text's bytes."""
    vocab = read_gguf_header(source_gguf_path).get("tokenizer.ggml.tokens")
    decoder = _byte_decoder()
    ids = tiny_llm.tokenize(text.encode(), add_bos=False, special=True)
    spelled = b""
    for token_id in ids:
        piece = vocab[token_id]
        if token_id >= SPECIAL_IDS["<|endoftext|>"]:
            spelled += piece.encode()
        else:
            spelled += bytes(decoder[ch] for ch in piece)
    assert spelled == text.encode()
    assert tiny_llm.detokenize(ids, special=True) == text.encode()


@pytest.fixture(scope="module")
def real_vocab() -> Iterator[Llama]:
    """The real model's tokenizer (vocab_only: the truncated header chunk will not load)."""
    # `make test` fetches the default model first; resolve() fetches it when run alone.
    real_path = ModelStore(Settings()).resolve(DEFAULT_MODEL).path
    real = Llama(model_path=str(real_path), vocab_only=True, verbose=False)
    yield real
    real.close()


@pytest.mark.real_model
@pytest.mark.parametrize("text", SAMPLES)
def test_same_ids_as_real_model(tiny_llm: Llama, real_vocab: Llama, text: str) -> None:
    expected = real_vocab.tokenize(text.encode(), add_bos=False, special=True)
    assert tiny_llm.tokenize(text.encode(), add_bos=False, special=True) == expected


def test_chat_template_with_tools(tiny_llm: Llama) -> None:
    template = tiny_llm.metadata["tokenizer.chat_template"]
    assert "<tool_call>" in template
    assert "tools" in template
    formatter = Jinja2ChatFormatter(template, eos_token="<|im_end|>", bos_token="<|endoftext|>")
    tool = {
        "type": "function",
        "function": {
            "name": "set_temperature",
            "description": "设置空调温度",
            "parameters": {"type": "object", "properties": {"celsius": {"type": "number"}}},
        },
    }
    result = formatter(
        messages=[{"role": "user", "content": "把温度调到22度"}],
        tools=[tool],  # type: ignore[list-item]
    )
    prompt = result.prompt
    assert prompt.startswith("<|im_start|>system\n")
    assert "<tools>" in prompt and '"name": "set_temperature"' in prompt
    assert prompt.endswith("<|im_start|>user\n把温度调到22度<|im_end|>\n<|im_start|>assistant\n")
    ids = tiny_llm.tokenize(prompt.encode(), add_bos=False, special=True)
    assert ids.count(SPECIAL_IDS["<|im_start|>"]) == 3
    # Once in the instructions ("within <tool_call></tool_call> XML tags"), once in the example.
    assert ids.count(SPECIAL_IDS["<tool_call>"]) == 2


def test_generates_a_few_tokens(tiny_llm: Llama) -> None:
    prompt = "<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n"
    start = time.perf_counter()
    out = tiny_llm.create_completion(prompt, max_tokens=8, temperature=0.0, seed=0)
    elapsed = time.perf_counter() - start
    assert isinstance(out, dict)
    choice = out["choices"][0]
    assert choice["finish_reason"] in ("length", "stop")
    assert 0 < out["usage"]["completion_tokens"] <= 8
    print(f"\ntiny model: 8 tokens in {elapsed:.3f} s: {choice['text']!r}")


def test_logits_are_finite(tiny_llm: Llama) -> None:
    tiny_llm.reset()  # type: ignore[no-untyped-call]
    tiny_llm.eval(tiny_llm.tokenize("你好，世界".encode(), add_bos=False))
    # Without logits_all, llama-cpp-python keeps no scores: read the context's last row.
    row = llama_cpp.llama_get_logits_ith(tiny_llm.ctx, -1)
    logits = np.ctypeslib.as_array(row, shape=(tiny_llm.n_vocab(),)).copy()
    assert logits.shape == (151_936,)
    assert np.isfinite(logits).all()
    assert logits.std() > 0


def test_chat_completion_runs(tiny_llm: Llama) -> None:
    out = tiny_llm.create_chat_completion(
        messages=[{"role": "user", "content": "Hello"}], max_tokens=4, temperature=0.0
    )
    assert isinstance(out, dict)
    assert out["choices"][0]["message"]["role"] == "assistant"
