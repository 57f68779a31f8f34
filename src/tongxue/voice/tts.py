"""Speech synthesis: Piper's English voice, espeak-ng for Chinese, chosen per run of script.

Both voices speak at 22.05 kHz, so runs and sentences of either language join into one stream. Piper
runs on onnxruntime in a worker thread; espeak-ng is the Debian program, run as a subprocess
(it starts in a few milliseconds and needs no model).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from tongxue.dialogue.language import Language
from tongxue.voice.audio import Audio, AudioFormatError, read_wav
from tongxue.voice.reading import script_runs

logger = logging.getLogger(__name__)

OUTPUT_RATE = 22_050


class SynthesisError(RuntimeError):
    """A voice could not speak."""


class Synthesizer(Protocol):
    """Text in, audio out; `rate` is the rate of what it returns; `speed` 2.0 is twice as fast."""

    @property
    def rate(self) -> int: ...

    async def synthesize(self, text: str, speed: float = 1.0) -> Audio: ...


class PiperSynthesizer:
    """A Piper voice folder (`<name>.onnx` and `<name>.onnx.json`).

    `variation` False turns off the voice's random noise, so the same text always gives the
    same samples (what tests that speak to the assistant need).
    """

    def __init__(self, voice_dir: Path, *, variation: bool = True) -> None:
        from piper import PiperVoice
        from piper.config import SynthesisConfig

        models = sorted(voice_dir.glob("*.onnx"))
        if len(models) != 1:
            raise SynthesisError(f"{voice_dir} should hold exactly one .onnx voice")
        self._voice = PiperVoice.load(models[0], config_path=models[0].with_suffix(".onnx.json"))
        self._rate = int(self._voice.config.sample_rate)
        self._length_scale = float(self._voice.config.length_scale)
        # None keeps the voice's own noise; 0 makes it repeatable.
        self._noise: float | None = None if variation else 0.0
        self._config_type = SynthesisConfig

    @property
    def rate(self) -> int:
        return self._rate

    def synthesize_sync(self, text: str, speed: float = 1.0) -> Audio:
        config = self._config_type(
            length_scale=self._length_scale / speed,
            noise_scale=self._noise,
            noise_w_scale=self._noise,
        )
        chunks = [chunk.audio_float_array for chunk in self._voice.synthesize(text, config)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        return Audio(samples.astype(np.float32), self._rate)

    async def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        return await asyncio.to_thread(self.synthesize_sync, text, speed)


class EspeakSynthesizer:
    """espeak-ng; `cmn-latn-pinyin` is its Mandarin that Whisper understands best."""

    def __init__(
        self, voice: str = "cmn-latn-pinyin", speed: int = 175, pitch: int | None = None
    ) -> None:
        program = shutil.which("espeak-ng")
        if program is None:
            raise SynthesisError(
                "espeak-ng is not installed (Debian/Ubuntu: `apt-get install espeak-ng`)"
            )
        self._program = program
        self.voice = voice
        self.speed = speed
        # espeak-ng's pitch, 0 to 99 (its default is 50); None keeps the voice's own.
        self.pitch = pitch

    @property
    def rate(self) -> int:
        return OUTPUT_RATE

    async def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        # espeak-ng takes 80 to 450 words a minute.
        words_per_minute = min(450, max(80, round(self.speed * speed)))
        pitch = [] if self.pitch is None else ["-p", str(min(99, max(0, self.pitch)))]
        process = await asyncio.create_subprocess_exec(
            self._program,
            "-v",
            self.voice,
            "-s",
            str(words_per_minute),
            *pitch,
            "--stdout",
            # "--" so a reply starting with "-" is read, not taken for an option.
            "--",
            text,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            raise SynthesisError(f"espeak-ng failed: {err.decode(errors='replace').strip()}")
        try:
            audio = read_wav(out)
        except AudioFormatError as error:
            raise SynthesisError(f"espeak-ng gave no WAV: {error}") from error
        return audio.mono().resampled(OUTPUT_RATE)


class BilingualSynthesizer:
    """A reply read by two voices: its Chinese runs by the Chinese one (numbers and units in
    Chinese words first), its Latin runs by the English one, joined into one clip.

    A reply in one script is one call to one voice; "正在播放 Yesterday Once More" is two.
    """

    def __init__(self, english: Synthesizer, chinese: Synthesizer) -> None:
        self.english = english
        self.chinese = chinese

    @property
    def rate(self) -> int:
        return OUTPUT_RATE

    def voice(self, language: Language) -> Synthesizer:
        return self.chinese if language == "zh" else self.english

    async def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        parts: list[Audio] = []
        # One run after the other: Piper's phonemizer (libespeak-ng) is not known to be
        # thread-safe, and the runs of a sentence are short.
        for run in script_runs(text):
            audio = await self.voice(run.language).synthesize(run.spoken(), speed)
            parts.append(audio.mono().resampled(OUTPUT_RATE))
        return join_runs(parts)


# Between two runs of one sentence: about a word boundary's pause, not a sentence's.
RUN_PAUSE_S = 0.06
_FRAME_S = 0.01
# A frame quieter than this, relative to the clip's peak, is the voice's padding silence.
_SILENT = 0.01
_FADE_S = 0.005


def join_runs(parts: Sequence[Audio], pause: float = RUN_PAUSE_S) -> Audio:
    """Clips of one sentence (mono, one rate) as one: the padding silence each voice puts
    around what it says is cut where two runs meet and a short pause put in its place."""
    if not parts:
        return Audio.silence(0.0, OUTPUT_RATE)
    if len(parts) == 1:
        return parts[0]
    rate = parts[0].rate
    pieces: list[Audio] = []
    for index, part in enumerate(parts):
        if index:
            pieces.append(Audio.silence(pause, rate))
        pieces.append(_trimmed(part, start=index > 0, end=index < len(parts) - 1))
    return Audio.concat(pieces)


def _trimmed(audio: Audio, *, start: bool, end: bool) -> Audio:
    samples = audio.samples
    frame = max(1, round(_FRAME_S * audio.rate))
    usable = samples[: samples.shape[0] // frame * frame]
    if usable.size == 0:
        return audio
    peaks = np.abs(usable).reshape(-1, frame).max(axis=1)
    loud = np.flatnonzero(peaks > _SILENT * float(peaks.max()))
    if loud.size == 0:
        return audio
    # A frame's margin each side keeps the softest edges of the first and last sounds.
    first = max(0, int(loud[0]) - 1) * frame if start else 0
    last = min(samples.shape[0], (int(loud[-1]) + 2) * frame) if end else samples.shape[0]
    kept = samples[first:last].copy()
    fade = min(kept.shape[0], round(_FADE_S * audio.rate))
    # A short fade where the cut is, so it does not click.
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    if start and fade:
        kept[:fade] *= ramp
    if end and fade:
        kept[-fade:] *= ramp[::-1]
    return Audio(kept, audio.rate)
