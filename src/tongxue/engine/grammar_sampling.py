"""Greedy decoding under a grammar, checking only the best token against the grammar.

llama-cpp-python runs the grammar over the whole vocabulary (152k tokens) for every token it
samples, which makes a constrained call decode at about 12 tokens a second here against 21
unconstrained. llama.cpp's own sampler (common/sampling) first takes the best token without
the grammar and runs the full grammar pass only when the grammar rejects it. For greedy
decoding that gives exactly the token the full pass would: the best token overall, when it
is allowed, is the best allowed token.
"""

from __future__ import annotations

import ctypes
import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from llama_cpp import Llama

# llama.cpp's `llama_token_data`: int32 id, float logit, float p, 12 bytes, no padding.
_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])
# llama-cpp-python's default window for repetition penalties (`last_n_tokens_size`).
PENALTY_LAST_N = 64


class GrammarGreedySampler:
    """Samples the next token from the logits of the last token `llm` evaluated, with the
    same penalties, then grammar, then greedy order as llama-cpp-python's sampler chain."""

    def __init__(
        self,
        llm: Llama,
        grammar: str,
        *,
        root: str = "root",
        repeat_penalty: float = 1.0,
        frequency_penalty: float = 0.0,
        presence_penalty: float = 0.0,
    ) -> None:
        import llama_cpp

        self._llm = llm
        self._n_vocab = llm.n_vocab()
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            llm._model.vocab, grammar.encode("utf-8"), root.encode("utf-8")
        )
        if not self._grammar:
            raise ValueError("llama.cpp could not parse the grammar")
        self._penalties = llama_cpp.llama_sampler_init_penalties(
            self._n_vocab, PENALTY_LAST_N, repeat_penalty, frequency_penalty, presence_penalty
        )
        self._candidates = np.zeros(self._n_vocab, dtype=_TOKEN_DATA)
        self._candidates["id"] = np.arange(self._n_vocab, dtype=np.int32)
        pointer = ctypes.cast(self._candidates.ctypes.data, llama_cpp.llama_token_data_p)
        self._all = llama_cpp.llama_token_data_array(pointer, self._n_vocab, -1, False)
        self._one_data = (llama_cpp.llama_token_data * 1)()
        self._one = llama_cpp.llama_token_data_array(self._one_data, 1, -1, False)
        # The rejected checks, for tests and benchmarks: how often the full pass ran.
        self.full_passes = 0

    def sample(self) -> int:
        import llama_cpp

        logits = llama_cpp.llama_get_logits_ith(self._llm._ctx.ctx, -1)
        self._candidates["logit"] = np.ctypeslib.as_array(logits, shape=(self._n_vocab,))
        self._all.size, self._all.selected, self._all.sorted = self._n_vocab, -1, False
        llama_cpp.llama_sampler_apply(self._penalties, ctypes.byref(self._all))
        token = self._best()
        logit = float(self._candidates["logit"][token])
        self._one_data[0] = llama_cpp.llama_token_data(token, logit, 0.0)
        self._one.size, self._one.selected = 1, -1
        llama_cpp.llama_sampler_apply(self._grammar, ctypes.byref(self._one))
        if math.isinf(self._one_data[0].logit):
            self.full_passes += 1
            llama_cpp.llama_sampler_apply(self._grammar, ctypes.byref(self._all))
            token = self._best()
        llama_cpp.llama_sampler_accept(self._penalties, token)
        llama_cpp.llama_sampler_accept(self._grammar, token)
        return token

    def _best(self) -> int:
        # The first of equal maxima, as llama.cpp's greedy sampler takes.
        index = int(np.argmax(self._candidates["logit"][: self._all.size]))
        return int(self._candidates["id"][index])

    def close(self) -> None:
        import llama_cpp

        for sampler in (self._grammar, self._penalties):
            if sampler:
                llama_cpp.llama_sampler_free(sampler)
        self._grammar = self._penalties = None
