"""Speech synthesis: Piper's English voice, espeak-ng for Chinese, chosen per sentence.

Both voices speak at 22.05 kHz, so sentences of either language join into one stream. Piper
runs on onnxruntime in a worker thread; espeak-ng is the Debian program, run as a subprocess
(it starts in a few milliseconds and needs no model).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path
from typing import Protocol

import numpy as np

from tongxue.voice.audio import Audio, AudioFormatError, read_wav
from tongxue.voice.vocabulary import has_chinese

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
    """Chinese text (any Chinese character) to the Chinese voice, the rest to the English one."""

    def __init__(self, english: Synthesizer, chinese: Synthesizer) -> None:
        self.english = english
        self.chinese = chinese

    @property
    def rate(self) -> int:
        return OUTPUT_RATE

    def voice_for(self, text: str) -> Synthesizer:
        return self.chinese if has_chinese(text) else self.english

    async def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        text = text.strip()
        if not text:
            return Audio.silence(0.0, OUTPUT_RATE)
        audio = await self.voice_for(text).synthesize(text, speed)
        return audio.mono().resampled(OUTPUT_RATE)
