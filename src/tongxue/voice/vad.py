"""Voice activity detection: Silero VAD's ONNX model on onnxruntime, and an endpointer.

The model takes 512-sample frames (32 ms at 16 kHz) with the last 64 samples of the previous
frame as context, and carries a recurrent state; `SileroVad` keeps both. `Endpointer` turns
the per-frame probabilities into utterances: speech starts after a few speech frames in a row
and ends after `end_silence_ms` of silence, the delay that decides how soon the car answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tongxue.voice.audio import SAMPLE_RATE, Audio, Samples

logger = logging.getLogger(__name__)

FRAME = 512
FRAME_SECONDS = FRAME / SAMPLE_RATE
_CONTEXT = 64


class SileroVad:
    """Speech probability per 32 ms frame of 16 kHz mono audio."""

    def __init__(self, model_path: Path, threads: int = 1) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # One thread: a frame is tiny, and recognition needs the cores.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._rate = np.array(SAMPLE_RATE, dtype=np.int64)
        self.reset()

    def reset(self) -> None:
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros((1, _CONTEXT), dtype=np.float32)

    def probability(self, frame: Samples) -> float:
        """The next frame (exactly `FRAME` samples) of the stream; the state carries on."""
        if frame.shape != (FRAME,):
            raise ValueError(f"a VAD frame is {FRAME} mono samples, got shape {frame.shape}")
        window = np.concatenate([self._context, frame.reshape(1, FRAME)], axis=1)
        output, self._state = self._session.run(
            None, {"input": window, "state": self._state, "sr": self._rate}
        )
        self._context = window[:, -_CONTEXT:]
        return float(output[0, 0])

    def probabilities(self, audio: Audio) -> NDArray[np.float32]:
        """One probability per whole frame of a clip, from a fresh state."""
        self.reset()
        samples = audio.for_models().samples
        return np.array([self.probability(frame) for frame in frames_of(samples)], dtype=np.float32)


def frames_of(samples: Samples) -> Iterator[Samples]:
    """Whole `FRAME`-sample frames (a short tail is dropped)."""
    for start in range(0, samples.shape[0] - FRAME + 1, FRAME):
        yield np.ascontiguousarray(samples[start : start + FRAME], dtype=np.float32)


@dataclass(frozen=True)
class VadConfig:
    threshold: float = 0.5
    # Hysteresis: once in speech, a frame must fall below this to count as silence.
    release: float = 0.35
    min_speech_ms: int = 96
    end_silence_ms: int = 300
    # Kept before the detected start, so a soft first consonant is not clipped.
    pre_roll_ms: int = 192

    def frames(self, milliseconds: int) -> int:
        return max(1, round(milliseconds / 1000 / FRAME_SECONDS))


@dataclass(frozen=True)
class SpeechStart:
    frame: int  # first speech frame, pre-roll included


@dataclass(frozen=True)
class SpeechEnd:
    start: int  # first frame of the utterance, pre-roll included
    end: int  # one past the last speech frame
    detected: int  # the frame at which the silence was long enough to tell


VadEvent = SpeechStart | SpeechEnd


class Endpointer:
    """Feeds on frame probabilities; says when an utterance starts and when it has ended."""

    def __init__(self, config: VadConfig | None = None) -> None:
        self.config = config or VadConfig()
        self._min_speech = self.config.frames(self.config.min_speech_ms)
        self._end_silence = self.config.frames(self.config.end_silence_ms)
        self._pre_roll = self.config.frames(self.config.pre_roll_ms)
        self.reset()

    def reset(self, frame: int = 0) -> None:
        self.frame = frame
        self.in_speech = False
        self._run = 0
        self._silence = 0
        self._start = 0
        self._last_speech = 0

    def resume(self, start: int) -> None:
        """Carry on inside an utterance that began at frame `start` (seen by someone else)."""
        self.in_speech = True
        self._start = start
        self._silence = 0
        self._last_speech = max(start, self.frame - 1)

    @property
    def start_frame(self) -> int:
        """First frame of the utterance under way (pre-roll included)."""
        return self._start

    @property
    def tentative_end(self) -> tuple[int, int] | None:
        """At the first silent frame after speech: (start, end) of the utterance so far.

        If the silence holds, the `SpeechEnd` to come has exactly these frames, so what is
        recognized now (speculatively) is what would be recognized after the wait.
        """
        if self.in_speech and self._silence == 1:
            return self._start, self._last_speech + 1
        return None

    @property
    def silence_frames(self) -> int:
        """Silent frames since the last speech frame (0 outside speech)."""
        return self._silence if self.in_speech else 0

    def feed(self, probability: float) -> VadEvent | None:
        index = self.frame
        self.frame += 1
        if not self.in_speech:
            self._run = self._run + 1 if probability >= self.config.threshold else 0
            if self._run >= self._min_speech:
                self.in_speech = True
                self._silence = 0
                self._last_speech = index
                self._start = max(0, index - self._run + 1 - self._pre_roll)
                return SpeechStart(self._start)
            return None
        if probability >= self.config.release:
            self._silence = 0
            self._last_speech = index
            return None
        self._silence += 1
        if self._silence >= self._end_silence:
            self.in_speech = False
            self._run = 0
            return SpeechEnd(self._start, self._last_speech + 1, index)
        return None


@dataclass(frozen=True)
class Segment:
    """An utterance in a clip, in seconds."""

    start: float
    end: float


def speech_segments(
    probabilities: NDArray[np.float32], config: VadConfig | None = None
) -> list[Segment]:
    """The utterances of a whole clip; speech still going at the end runs to the end."""
    endpointer = Endpointer(config)
    segments: list[Segment] = []
    for probability in probabilities:
        event = endpointer.feed(float(probability))
        if isinstance(event, SpeechEnd):
            segments.append(Segment(event.start * FRAME_SECONDS, event.end * FRAME_SECONDS))
    if endpointer.in_speech:
        segments.append(
            Segment(endpointer.start_frame * FRAME_SECONDS, len(probabilities) * FRAME_SECONDS)
        )
    return segments
