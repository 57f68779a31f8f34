"""Design "embedding": the stream's speech embeddings matched against each phrase's templates.

Every 80 ms vector of the stream advances a subsequence-DTW match against every template;
a phrase's distance is its best template's. When one falls below `threshold` the detector
waits `settle` more vectors for the distance to bottom out (so of two phrases ending alike,
"你好同学" and "同学同学", the closer one wins), fires, and then stays quiet for `refractory`
seconds so one utterance is one detection.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from tongxue.voice.audio import Samples
from tongxue.voice.wake.dtw import StreamingMatcher
from tongxue.voice.wake.embedding import FRAME_SECONDS, EmbeddingStream, SpeechEmbedder, Vectors
from tongxue.voice.wake.errors import WakeWordError

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.1


class EmbeddingDetector:
    design = "embedding"

    def __init__(
        self,
        embedder: SpeechEmbedder,
        templates: Mapping[str, Sequence[Vectors]],
        threshold: float = DEFAULT_THRESHOLD,
        settle: int = 2,
        refractory: float = 1.0,
    ) -> None:
        if not templates or not all(templates.values()):
            raise WakeWordError("every wake phrase needs at least one template")
        self.phrases = tuple(templates)
        self.threshold = threshold
        self._settle = settle
        self._refractory = round(refractory / FRAME_SECONDS)
        self._stream = EmbeddingStream(embedder)
        self._matchers = {
            phrase: [StreamingMatcher(t) for t in vectors] for phrase, vectors in templates.items()
        }
        self.reset()

    def reset(self) -> None:
        self._stream.reset()
        self._forget()
        self._quiet_until = 0

    def _forget(self) -> None:
        for matchers in self._matchers.values():
            for matcher in matchers:
                matcher.reset()
        self._pending: tuple[str, float] | None = None
        self._waited = 0
        self.last_distance: float | None = None

    def distances(self, vector: Vectors) -> dict[str, float]:
        """Each phrase's distance for a match ending at this stream vector."""
        return {
            phrase: min(matcher.step(vector) for matcher in matchers)
            for phrase, matchers in self._matchers.items()
        }

    def feed(self, samples: Samples) -> str | None:
        heard: str | None = None
        for vector in self._stream.feed(samples):
            distances = self.distances(vector)
            if heard is not None or self._stream.frames < self._quiet_until:
                continue
            phrase, distance = min(distances.items(), key=lambda item: item[1])
            if distance < self.threshold and (self._pending is None or distance < self._pending[1]):
                self._pending = (phrase, distance)
            if self._pending is None:
                continue
            self._waited += 1
            if self._waited > self._settle:
                heard, self.last_distance = self._pending
                logger.info("wake phrase %r heard (distance %.3f)", heard, self.last_distance)
                distance_heard = self.last_distance
                self._forget()
                self.last_distance = distance_heard
                self._quiet_until = self._stream.frames + self._refractory
        return heard
