"""A small deterministic embedder for tests: no model, the same numbers on every CPU."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from tongxue.dialogue.examples import Example, ExampleCall


class BigramEmbedder:
    """Unit vectors of hashed character bigrams: similar wording, similar vectors."""

    name = "bigram-512"

    def __init__(self) -> None:
        self.calls = 0

    def _one(self, text: str) -> npt.NDArray[np.float32]:
        vector = np.zeros(512, dtype=np.float32)
        padded = f" {text.lower()} "
        for a, b in itertools.pairwise(padded):
            vector[(ord(a) * 31 + ord(b)) % 512] += 1.0
        return vector / max(float(np.linalg.norm(vector)), 1e-9)

    def queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls += len(texts)
        return np.stack([self._one(t) for t in texts])

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.queries(texts)


def example(text: str, *calls: tuple[str, dict[str, object]], seat: str = "driver") -> Example:
    return Example(text=text, calls=tuple(ExampleCall(n, dict(a)) for n, a in calls), seat=seat)
