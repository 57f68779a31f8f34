"""Speech and car noise the benchmarks and tests make for themselves: no recording is committed.

Speech comes from the assistant's own synthesizers in several voices, speeds and pitches:
espeak-ng's Mandarin and English voice variants and Piper's English voice (whose pitch is
moved by resampling). Car noise is synthetic too: engine harmonics, road rumble and wind,
from a seeded generator, so the same seed is the same noise on every machine. `mix_at_snr`
puts speech into noise at a chosen signal-to-noise ratio, measured over the speech itself.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from tongxue.voice.audio import SAMPLE_RATE, Audio, Samples, read_wav, wav_bytes
from tongxue.voice.reading import read_chinese
from tongxue.voice.tts import EspeakSynthesizer, PiperSynthesizer

logger = logging.getLogger(__name__)

SNRS_DB = (0.0, 10.0, 20.0)
_VERSION = 2


@dataclass(frozen=True)
class VoiceVariant:
    """One synthetic speaker: a voice, a speed (1.0 is the voice's own) and a pitch.

    `engine` "espeak" takes `voice` as an espeak-ng voice (`cmn-latn-pinyin+f2`) and `pitch`
    as espeak-ng's 0–99; "piper" is the English Piper voice, `pitch` a factor (1.1 is higher).
    """

    name: str
    language: str
    engine: str
    voice: str = ""
    speed: float = 1.0
    pitch: float = 50.0


def _espeak(name: str, language: str, voice: str, speed: float, pitch: float) -> VoiceVariant:
    return VoiceVariant(name, language, "espeak", voice, speed, pitch)


# Mandarin: espeak-ng is the only packaged voice, so its variants (male and female timbres) at
# several speeds and pitches stand in for different speakers.
VARIANTS_ZH: tuple[VoiceVariant, ...] = (
    _espeak("zh-m1", "zh", "cmn-latn-pinyin", 1.0, 50),
    _espeak("zh-m3-slow", "zh", "cmn-latn-pinyin+m3", 0.85, 40),
    _espeak("zh-f2", "zh", "cmn-latn-pinyin+f2", 1.0, 60),
    _espeak("zh-f4-fast", "zh", "cmn-latn-pinyin+f4", 1.2, 70),
    _espeak("zh-m7-low", "zh", "cmn-latn-pinyin+m7", 0.95, 30),
    _espeak("zh-f5", "zh", "cmn-latn-pinyin+f5", 1.1, 55),
)
VARIANTS_EN: tuple[VoiceVariant, ...] = (
    VoiceVariant("en-joe", "en", "piper", speed=1.0, pitch=1.0),
    VoiceVariant("en-joe-fast-high", "en", "piper", speed=1.2, pitch=1.12),
    VoiceVariant("en-joe-slow-low", "en", "piper", speed=0.85, pitch=0.9),
    _espeak("en-us-m2", "en", "en-us+m2", 1.0, 45),
    _espeak("en-us-f3", "en", "en-us+f3", 1.1, 60),
    _espeak("en-gb-m4-slow", "en", "en-gb+m4", 0.9, 40),
)


def variants(language: str) -> tuple[VoiceVariant, ...]:
    return VARIANTS_ZH if language == "zh" else VARIANTS_EN


class SyntheticSpeaker:
    """Speaks text in any variant, as 16 kHz mono, keeping every clip in `cache_dir` if given.

    Piper's random variation is off: the same text and variant are the same samples.
    """

    def __init__(self, piper_dir: Path, cache_dir: Path | None = None) -> None:
        self._piper = PiperSynthesizer(piper_dir, variation=False)
        self._cache_dir = cache_dir
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)

    def speak(self, variant: VoiceVariant, text: str) -> Audio:
        path = self._cached_path(variant, text)
        if path is not None and path.exists():
            return read_wav(path.read_bytes()).for_models()
        audio = asyncio.run(self._synthesize(variant, text)).for_models()
        if path is not None:
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(wav_bytes(audio))
            tmp.replace(path)
        return audio

    def _cached_path(self, variant: VoiceVariant, text: str) -> Path | None:
        if self._cache_dir is None:
            return None
        # The version changes when the way text is spoken does (v2: Chinese numbers read).
        key = json.dumps([_VERSION, asdict(variant), text], ensure_ascii=False, sort_keys=True)
        return self._cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.wav"

    async def _synthesize(self, variant: VoiceVariant, text: str) -> Audio:
        if variant.engine == "piper":
            # Resampling by the pitch factor raises pitch and tempo together; the speed given
            # to Piper is divided by it so the tempo comes out as asked.
            audio = await self._piper.synthesize(text, variant.speed / variant.pitch)
            played = Audio(audio.samples, round(audio.rate * variant.pitch))
            return played.resampled(SAMPLE_RATE)
        espeak = EspeakSynthesizer(variant.voice, round(175 * variant.speed), round(variant.pitch))
        # As the assistant's own Chinese voice reads: "22度" as "二十二度", not digit names.
        spoken = read_chinese(text) if variant.language == "zh" else text
        return await espeak.synthesize(spoken)


def car_noise(seconds: float, seed: int = 0, rate: int = SAMPLE_RATE) -> Samples:
    """Cabin noise of a moving car, at unit RMS: engine, tyres on the road, wind.

    The engine is a low fundamental (25–45 Hz, drifting) with its harmonics, the road a
    brown-ish rumble below ~500 Hz, the wind a softer broadband hiss; their mix is what makes
    car noise hard for speech models, which is mostly energy below 1 kHz.
    """
    rng = np.random.default_rng(seed)
    frames = max(1, round(seconds * rate))
    t = np.arange(frames) / rate
    drift = 1.0 + 0.05 * np.sin(2 * np.pi * rng.uniform(0.05, 0.2) * t + rng.uniform(0, 6.3))
    base = rng.uniform(25.0, 45.0)
    phase = 2 * np.pi * np.cumsum(base * drift) / rate
    engine = np.sum([np.sin(k * phase + rng.uniform(0, 6.3)) / k for k in range(1, 7)], axis=0)
    white = rng.standard_normal(frames)
    road = _lowpass(np.cumsum(white) * 0.02, 500.0, rate)
    road -= _lowpass(road, 20.0, rate)  # no DC drift from the running sum
    wind = _lowpass(rng.standard_normal(frames), 4000.0, rate)
    noise = 0.5 * _unit(engine) + 1.0 * _unit(road) + 0.35 * _unit(wind)
    return _unit(noise).astype(np.float32)


def _lowpass(signal: np.ndarray, cutoff: float, rate: int) -> np.ndarray:
    spectrum = np.fft.rfft(signal)
    freqs = np.fft.rfftfreq(signal.shape[0], 1 / rate)
    # A gentle second-order roll-off rather than a brick wall.
    spectrum /= 1.0 + (freqs / cutoff) ** 2
    return np.fft.irfft(spectrum, n=signal.shape[0])


def _unit(signal: np.ndarray) -> np.ndarray:
    rms = float(np.sqrt(np.mean(np.square(signal)))) if signal.size else 0.0
    return signal / rms if rms > 0 else signal


def speech_power(samples: Samples) -> float:
    """Mean power of the speech, over the 20 ms frames that are not near silence."""
    frame = SAMPLE_RATE // 50
    usable = samples[: samples.shape[0] // frame * frame].astype(np.float64)
    if usable.size == 0:
        return 0.0
    powers = np.mean(np.square(usable.reshape(-1, frame)), axis=1)
    loud = powers[powers > 0.01 * powers.max()] if powers.max() > 0 else powers
    return float(np.mean(loud))


def mix_at_snr(speech: Audio, snr_db: float, seed: int = 0, noise: Samples | None = None) -> Audio:
    """`speech` (16 kHz mono) in car noise, `snr_db` above it, peak-limited to [-1, 1]."""
    speech = speech.for_models()
    if noise is None:
        noise = car_noise(speech.duration, seed)
    noise = noise[: speech.frames]
    if noise.shape[0] < speech.frames:
        raise ValueError("the noise is shorter than the speech")
    power = speech_power(speech.samples)
    noise_power = float(np.mean(np.square(noise.astype(np.float64))))
    gain = np.sqrt(power / (noise_power * 10 ** (snr_db / 10))) if noise_power > 0 else 0.0
    mixed = speech.samples.astype(np.float64) + gain * noise
    peak = float(np.max(np.abs(mixed))) if mixed.size else 0.0
    if peak > 0.99:
        mixed *= 0.99 / peak
    return Audio(mixed.astype(np.float32), SAMPLE_RATE)


def place(
    clips: Sequence[Audio], gaps: Sequence[float], lead: float = 0.5, tail: float = 0.5
) -> tuple[Audio, list[tuple[float, float]]]:
    """The clips one after another with `gaps[i]` seconds of silence after clip i.

    Returns the stream and where each clip starts and ends in it (seconds).
    """
    parts = [Audio.silence(lead)]
    spans: list[tuple[float, float]] = []
    at = lead
    for index, clip in enumerate(clips):
        clip = clip.for_models()
        parts.append(clip)
        spans.append((at, at + clip.duration))
        at += clip.duration
        gap = gaps[index] if index < len(gaps) else tail
        parts.append(Audio.silence(gap))
        at += gap
    return Audio.concat(parts), spans
