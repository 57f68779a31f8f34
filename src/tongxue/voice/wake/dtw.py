"""Subsequence DTW on cosine distance, one stream vector at a time (numpy only).

A template (the phrase, as embedding vectors) may match any stretch of the stream. Each new
stream vector advances one column of the cost matrix; every step consumes one stream vector
and moves 0, 1 or 2 template vectors on, so the phrase may be said from half the template's
speed to twice it (slower too, at a cost), and a column depends only on the one before
(vectorised). The score is the cost of the best path ending at the template's last vector,
divided by the path's length.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]


class StreamingMatcher:
    """One template against a stream; `step` gives the normalized distance ending here."""

    def __init__(self, template: NDArray[np.float32]) -> None:
        if template.ndim != 2 or template.shape[0] < 2:
            raise ValueError("a template is at least two vectors")
        self.template = template.astype(np.float64)
        self.reset()

    def reset(self) -> None:
        size = self.template.shape[0]
        self._cost: Floats = np.full(size, np.inf)
        self._length: Floats = np.zeros(size)

    def step(self, vector: NDArray[np.float32]) -> float:
        local = 1.0 - self.template @ vector.astype(np.float64)
        # Stay on a template vector, move to the next, or skip one; a skipped vector's cost
        # (against this stream vector) is paid too, so a fast path cannot leave out half
        # the phrase for free ("同学" is no "你好同学").
        options_cost = np.stack(
            [self._cost, _shift(self._cost, 1), _shift(self._cost, 2) + _shift(local, 1)]
        )
        options_length = np.stack(
            [self._length, _shift(self._length, 1, 0.0), _shift(self._length, 2, 0.0) + 1.0]
        )
        best = np.argmin(options_cost, axis=0)
        columns = np.arange(local.shape[0])
        cost = options_cost[best, columns] + local
        length = options_length[best, columns] + 1.0
        # A match may start at any stream vector: the template's first vector starts afresh.
        cost[0], length[0] = local[0], 1.0
        self._cost, self._length = cost, length
        return float(cost[-1] / length[-1])


def _shift(values: Floats, by: int, fill: float = np.inf) -> Floats:
    shifted = np.full_like(values, fill)
    shifted[by:] = values[:-by]
    return shifted
