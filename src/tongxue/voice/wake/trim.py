"""Cutting the silence around a spoken phrase (enrolled samples, synthesized templates)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tongxue.voice.audio import Audio
from tongxue.voice.vad import FRAME_SECONDS, SileroVad, VadConfig, speech_segments

# Kept around the speech so a soft first consonant or a trailing vowel is not cut.
_MARGIN = 0.05
# Without a VAD: frames this far below the loudest one are silence.
_ENERGY_FLOOR_DB = -35.0


def speech_span(audio: Audio, vad_path: Path | None = None) -> tuple[float, float] | None:
    """Where the speech in a clip begins and ends (seconds), or None if there is none."""
    audio = audio.for_models()
    if audio.frames == 0:
        return None
    if vad_path is not None:
        # A short end silence: the pause inside "小理，小理" must not split it in two places.
        config = VadConfig(min_speech_ms=64, end_silence_ms=200, pre_roll_ms=0)
        segments = speech_segments(SileroVad(vad_path).probabilities(audio), config)
        if not segments:
            return None
        return segments[0].start, segments[-1].end
    return _loud_span(audio)


def _loud_span(audio: Audio) -> tuple[float, float] | None:
    size = round(FRAME_SECONDS * audio.rate)
    frames = audio.samples[: audio.frames // size * size].reshape(-1, size).astype(np.float64)
    if frames.size == 0:
        return None
    power = np.mean(np.square(frames), axis=1)
    if power.max() <= 1e-8:
        return None
    loud = np.flatnonzero(10 * np.log10(np.maximum(power / power.max(), 1e-12)) > _ENERGY_FLOOR_DB)
    return float(loud[0] * FRAME_SECONDS), float((loud[-1] + 1) * FRAME_SECONDS)


def trimmed(audio: Audio, vad_path: Path | None = None) -> Audio | None:
    """The clip cut to its speech with a little margin; None when nothing was said."""
    span = speech_span(audio, vad_path)
    if span is None:
        return None
    start, end = span
    return audio.for_models().slice(max(0.0, start - _MARGIN), end + _MARGIN)
