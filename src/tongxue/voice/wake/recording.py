"""Recording one sample of a wake phrase from the microphone, stopping when the speech ends."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.devices import _sounddevice
from tongxue.voice.vad import FRAME, Endpointer, SileroVad, SpeechEnd, VadConfig


def record_phrase(vad_path: Path, max_seconds: float = 6.0) -> Audio:
    """Blocks until the speaker has said something and paused (or `max_seconds` passed)."""
    sounddevice = _sounddevice()
    vad = SileroVad(vad_path)
    # A longer pause than a command's: "小理，小理" has one in the middle.
    endpointer = Endpointer(VadConfig(end_silence_ms=500))
    frames: list[np.ndarray] = []
    with sounddevice.InputStream(
        samplerate=SAMPLE_RATE, blocksize=FRAME, channels=1, dtype="float32"
    ) as stream:
        for _ in range(round(max_seconds * SAMPLE_RATE / FRAME)):
            data, _overflowed = stream.read(FRAME)
            frame = np.ascontiguousarray(data[:, 0], dtype=np.float32)
            frames.append(frame)
            if isinstance(endpointer.feed(vad.probability(frame)), SpeechEnd):
                break
    return Audio(np.concatenate(frames), SAMPLE_RATE)
