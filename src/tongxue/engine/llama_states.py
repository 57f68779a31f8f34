"""Saving and restoring llama.cpp's state of the one sequence a `Llama` object decodes."""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llama_cpp import Llama

# llama-cpp-python's `Llama` decodes everything as sequence 0.
SEQUENCE = 0


def snapshot(llm: Llama) -> bytes:
    """The KV state of the tokens `llm` has evaluated (a memory copy, no compute).

    `Llama.save_state` would also copy its whole logits buffer (hundreds of MB), which makes
    it slower than the prefill it saves; the per-sequence state is the KV cache alone.
    """
    import llama_cpp

    ctx = llm._ctx.ctx
    size = llama_cpp.llama_state_seq_get_size(ctx, SEQUENCE)
    buffer = (ctypes.c_uint8 * size)()
    written = llama_cpp.llama_state_seq_get_data(ctx, buffer, size, SEQUENCE)
    return ctypes.string_at(buffer, written)


def restore(llm: Llama, tokens: Sequence[int], data: bytes) -> bool:
    """Make `llm` hold `tokens` as evaluated, from their `snapshot`; False if it does not fit
    (another model or llama.cpp build wrote it), leaving `llm` empty."""
    import llama_cpp

    ctx = llm._ctx.ctx
    llama_cpp.llama_memory_seq_rm(llama_cpp.llama_get_memory(ctx), SEQUENCE, -1, -1)
    # c_char_p points at the bytes object itself: no copy of a state of several megabytes.
    pointer = ctypes.cast(ctypes.c_char_p(data), ctypes.POINTER(ctypes.c_uint8))
    read = llama_cpp.llama_state_seq_set_data(ctx, pointer, len(data), SEQUENCE)
    if read == 0:
        llm.n_tokens = 0
        return False
    llm.input_ids[: len(tokens)] = tokens
    llm.n_tokens = len(tokens)
    # The logits in the buffer are not these tokens': the next decode must refresh them.
    llm._requires_eval = True
    return True
