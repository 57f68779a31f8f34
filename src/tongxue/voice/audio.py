"""Audio in memory: float32 samples with their rate, WAV in and out, resampling.

Samples are `(frames,)` for mono or `(frames, channels)` for a multi-channel recording (one
channel per seat microphone). Everything the models see is mono 16 kHz float32 in [-1, 1].
"""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

SAMPLE_RATE = 16_000
# The sample rates decode_audio takes: telephone to studio. Outside them a file is either
# useless for speech or a trick (a header claiming 84 Hz turns 400 KB into 40 minutes that
# resampling to 16 kHz then has to fill).
MIN_RATE = 8_000
MAX_RATE = 48_000

Samples = NDArray[np.float32]


class AudioFormatError(ValueError):
    """Bytes that are not audio this module can read."""


class AudioRateError(AudioFormatError):
    """Audio at a sample rate outside MIN_RATE..MAX_RATE."""


class AudioTooLongError(AudioFormatError):
    """Audio that lasts longer than the caller accepts."""


@dataclass(frozen=True)
class Audio:
    samples: Samples
    rate: int

    def __post_init__(self) -> None:
        if self.samples.ndim not in (1, 2):
            raise ValueError(f"samples must be 1-D or 2-D, not {self.samples.ndim}-D")
        if self.rate <= 0:
            raise ValueError(f"bad sample rate {self.rate}")

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def channels(self) -> int:
        return 1 if self.samples.ndim == 1 else int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return self.frames / self.rate

    @classmethod
    def silence(cls, seconds: float, rate: int = SAMPLE_RATE, channels: int = 1) -> Audio:
        frames = round(seconds * rate)
        shape: tuple[int, ...] = (frames,) if channels == 1 else (frames, channels)
        return cls(np.zeros(shape, dtype=np.float32), rate)

    @classmethod
    def concat(cls, parts: Sequence[Audio]) -> Audio:
        if not parts:
            raise ValueError("nothing to join")
        rate = parts[0].rate
        if any(part.rate != rate for part in parts):
            raise ValueError("cannot join audio of different rates")
        return cls(np.concatenate([part.samples for part in parts]).astype(np.float32), rate)

    def mono(self) -> Audio:
        if self.channels == 1:
            return self
        return Audio(self.samples.mean(axis=1, dtype=np.float32), self.rate)

    def channel(self, index: int) -> Audio:
        if self.channels == 1:
            if index != 0:
                raise IndexError(index)
            return self
        return Audio(np.ascontiguousarray(self.samples[:, index]), self.rate)

    def resampled(self, rate: int) -> Audio:
        if rate == self.rate:
            return self
        return Audio(resample(self.samples, self.rate, rate), rate)

    def for_models(self) -> Audio:
        """Mono at 16 kHz, what VAD, wake word and recognition take."""
        return self.mono().resampled(SAMPLE_RATE)

    def slice(self, start: float, end: float | None = None) -> Audio:
        first = max(0, round(start * self.rate))
        last = self.frames if end is None else min(self.frames, round(end * self.rate))
        return Audio(self.samples[first:last], self.rate)

    def pcm16(self) -> bytes:
        clipped = np.clip(self.samples, -1.0, 1.0)
        return (clipped * 32767.0).astype("<i2").tobytes()


def resample(samples: Samples, source: int, target: int) -> Samples:
    """Band-limited resampling of a whole clip through the FFT (each channel on its own).

    Exact for clips (files, replies); the live microphone is opened at 16 kHz instead.
    """
    if source == target or samples.shape[0] == 0:
        return samples.astype(np.float32, copy=False)
    frames = samples.shape[0]
    out_frames = max(1, round(frames * target / source))
    spectrum = np.fft.rfft(samples, axis=0)
    keep = min(spectrum.shape[0], out_frames // 2 + 1)
    shape = (out_frames // 2 + 1, *spectrum.shape[1:])
    resized = np.zeros(shape, dtype=spectrum.dtype)
    resized[:keep] = spectrum[:keep]
    out = np.fft.irfft(resized, n=out_frames, axis=0) * (out_frames / frames)
    return np.asarray(out, dtype=np.float32)


def _from_pcm(raw: bytes, width: int, channels: int) -> Samples:
    data: Samples
    if width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        # 24-bit: widen each little-endian sample to 32 bits.
        triples = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
        wide = np.zeros((triples.shape[0], 4), dtype=np.uint8)
        wide[:, 1:] = triples
        data = wide.view("<i4").reshape(-1).astype(np.float32) / np.float32(2**31)
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / np.float32(2**31)
    else:
        raise AudioFormatError(f"unsupported sample width {width} bytes")
    return data.reshape(-1, channels) if channels > 1 else data


def check_rate(rate: int) -> None:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioRateError(
            f"the audio's sample rate is {rate} Hz; only {MIN_RATE} to {MAX_RATE} Hz is accepted"
        )


def check_duration(seconds: float, max_seconds: float | None) -> None:
    if max_seconds is not None and seconds > max_seconds:
        raise AudioTooLongError(
            f"the audio lasts more than {max_seconds:g} s, the longest accepted"
        )


def _read_wav(source: Path | bytes, *, limited: bool, max_seconds: float | None) -> Audio:
    try:
        with wave.open(io.BytesIO(source) if isinstance(source, bytes) else str(source)) as handle:
            channels, width = handle.getnchannels(), handle.getsampwidth()
            rate = handle.getframerate()
            if limited:
                check_rate(rate)  # from the header, before anything is read
            # The declared length may be a placeholder (streamed WAVs), so what counts is
            # what the data holds; a trailing partial frame is dropped.
            raw = handle.readframes(handle.getnframes())
    except (wave.Error, EOFError) as error:
        raise AudioFormatError(f"not a PCM WAV file: {error}") from error
    frame_bytes = width * channels
    frames = len(raw) // frame_bytes
    if limited:
        check_duration(frames / rate, max_seconds)
    return Audio(_from_pcm(raw[: frames * frame_bytes], width, channels), rate)


def read_wav(source: Path | bytes) -> Audio:
    """A PCM WAV file (8/16/24/32-bit, any rate, any number of channels)."""
    return _read_wav(source, limited=False, max_seconds=None)


def decode_audio(data: bytes, *, max_seconds: float | None = None) -> Audio:
    """Any audio file: WAV directly, anything else (webm, ogg, mp3, float WAV) through FFmpeg.

    Meant for untrusted uploads: the sample rate must lie within MIN_RATE..MAX_RATE
    (`AudioRateError`) and the audio last at most `max_seconds` (`AudioTooLongError`), both
    found out before the costly work (resampling, decoding the rest). CPU-bound: call it
    from a worker thread in a server. The FFmpeg path (PyAV, which faster-whisper brings)
    gives mono 16 kHz.
    """
    try:
        return _read_wav(data, limited=True, max_seconds=max_seconds)
    except (AudioRateError, AudioTooLongError):
        raise
    except AudioFormatError:
        pass
    return _decode_with_ffmpeg(data, max_seconds)


def _decode_with_ffmpeg(data: bytes, max_seconds: float | None) -> Audio:
    import av

    limit = None if max_seconds is None else round(max_seconds * SAMPLE_RATE)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[NDArray[np.int16]] = []
    total = 0

    def keep(frames: list[av.AudioFrame]) -> None:
        nonlocal total
        for frame in frames:
            chunk = frame.to_ndarray().reshape(-1).astype(np.int16, copy=False)
            total += chunk.shape[0]
            # Stop at the limit rather than decoding a small file that expands to hours.
            if limit is not None and total > limit:
                check_duration(total / SAMPLE_RATE, max_seconds)
            chunks.append(chunk)

    try:
        with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioFormatError("the file holds no audio")
            decoded = container.decode(audio=0)
            while True:
                try:
                    frame = next(decoded)
                except StopIteration:
                    break
                except av.error.InvalidDataError:
                    continue  # a damaged frame; the rest may still be speech
                check_rate(frame.sample_rate)
                keep(resampler.resample(frame))
            keep(resampler.resample(None))
    except AudioFormatError:
        raise
    except Exception as error:  # PyAV raises many types for undecodable input
        raise AudioFormatError(f"cannot decode the audio ({type(error).__name__})") from error
    if not chunks:
        return Audio(np.zeros(0, dtype=np.float32), SAMPLE_RATE)
    samples = np.concatenate(chunks).astype(np.float32) / np.float32(32768.0)
    return Audio(samples, SAMPLE_RATE)


def wav_bytes(audio: Audio) -> bytes:
    """16-bit PCM WAV."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(audio.channels)
        handle.setsampwidth(2)
        handle.setframerate(audio.rate)
        handle.writeframes(audio.pcm16())
    return buffer.getvalue()


def write_wav(path: Path, audio: Audio) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(wav_bytes(audio))


def stack_channels(channels: Sequence[Audio]) -> Audio:
    """One multi-channel recording from mono tracks of one rate (the shortest sets the length)."""
    if not channels:
        raise ValueError("no channels")
    rate = channels[0].rate
    if any(c.rate != rate or c.channels != 1 for c in channels):
        raise ValueError("channels must be mono and share one rate")
    frames = min(c.frames for c in channels)
    return Audio(np.stack([c.samples[:frames] for c in channels], axis=1), rate)
