"""Helpers for the voice tests: speech with silence around it, a cabin's seat microphones."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tongxue.voice.audio import Audio, stack_channels

Say = Callable[[str], Audio]

# Road noise, kept low: Whisper base hears espeak-ng's Mandarin only just well enough.
NOISE = 0.0005


def padded(audio: Audio, before: float = 0.4, after: float = 1.0) -> Audio:
    """Speech with silence around it, as a microphone records it."""
    return Audio.concat(
        [Audio.silence(before, audio.rate), audio, Audio.silence(after, audio.rate)]
    )


def cabin_recording(speech: Audio, speaker: int, channels: int = 6, seed: int = 0) -> Audio:
    """One microphone per seat: the speaker's is loudest, the others hear a quieter, later copy.

    Every channel also has a little noise of its own, as a moving car does.
    """
    rng = np.random.default_rng(seed)
    tracks = []
    for index in range(channels):
        if index == speaker:
            track = speech.samples
        else:
            # 4 to 10 ms farther away, and a third to a fifth of the level.
            delay = int(rng.integers(64, 160))
            gain = float(rng.uniform(0.2, 0.35))
            track = np.concatenate([np.zeros(delay, np.float32), speech.samples[:-delay] * gain])
        noise = NOISE * rng.standard_normal(speech.frames).astype(np.float32)
        tracks.append(Audio((track + noise).astype(np.float32), speech.rate))
    return stack_channels(tracks)
