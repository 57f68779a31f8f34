"""Google's speech-embedding model: one 96-d vector per 80 ms of 16 kHz audio, streaming.

The ONNX model takes raw samples and looks at 775 ms (12 400 samples) for each vector, one
vector every 1 280 samples. `EmbeddingStream` keeps just enough of the newest audio to make
the next vectors and runs the model every `batch` vectors (160 ms by default) on one thread,
so a continuous stream costs a few percent of one core and gives the very vectors the whole
clip would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tongxue.voice.audio import Audio, Samples

WINDOW = 12_400
HOP = 1_280
FRAME_SECONDS = HOP / 16_000
DIMENSIONS = 96

Vectors = NDArray[np.float32]


class SpeechEmbedder:
    """Unit-length embeddings of 16 kHz mono audio (one ONNX session, one thread)."""

    def __init__(self, model_path: Path, threads: int = 1) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session: Any = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def vectors(self, samples: Samples) -> Vectors:
        """(frames, 96) for a clip, shorter clips padded with silence to one window."""
        if samples.shape[0] < WINDOW:
            samples = np.pad(samples, (0, WINDOW - samples.shape[0]))
        raw = self._session.run(None, {"samples:0": samples[np.newaxis].astype(np.float32)})
        vectors = np.asarray(raw[0][0, :, 0, :], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: Vectors = (vectors / np.maximum(norms, 1e-6)).astype(np.float32)
        return unit

    def of(self, audio: Audio) -> Vectors:
        return self.vectors(audio.for_models().samples)


class EmbeddingStream:
    """Feed samples; get back the vectors whose windows the new samples completed."""

    def __init__(self, embedder: SpeechEmbedder, batch: int = 2) -> None:
        self._embedder = embedder
        self._batch = batch
        self.reset()

    def reset(self) -> None:
        self._buffer = np.zeros(0, dtype=np.float32)
        self.frames = 0  # vectors made since the stream began

    def feed(self, samples: Samples) -> Vectors:
        self._buffer = np.concatenate([self._buffer, samples.astype(np.float32, copy=False)])
        ready = (
            (self._buffer.shape[0] - WINDOW) // HOP + 1 if self._buffer.shape[0] >= WINDOW else 0
        )
        if ready < self._batch:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        used = WINDOW + (ready - 1) * HOP
        vectors = self._embedder.vectors(self._buffer[:used])
        # Keep what the next window still needs: everything after the last vector's hop.
        self._buffer = self._buffer[ready * HOP :]
        self.frames += vectors.shape[0]
        return vectors
