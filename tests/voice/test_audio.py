"""Audio in memory: WAV in and out, channels, resampling, decoding other formats."""

from __future__ import annotations

import io
import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from tongxue.voice.audio import (
    Audio,
    AudioFormatError,
    decode_audio,
    read_wav,
    resample,
    stack_channels,
    wav_bytes,
    write_wav,
)


def _tone(frequency: float, seconds: float, rate: int, amplitude: float = 0.5) -> Audio:
    t = np.arange(round(seconds * rate)) / rate
    return Audio((amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32), rate)


def _peak_frequency(audio: Audio) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples))
    return float(np.argmax(spectrum) * audio.rate / audio.frames)


def test_a_wav_round_trip_keeps_rate_channels_and_samples(tmp_path: Path) -> None:
    left, right = _tone(440, 0.5, 22050), _tone(880, 0.5, 22050, 0.25)
    stereo = stack_channels([left, right])
    write_wav(tmp_path / "x.wav", stereo)
    back = read_wav(tmp_path / "x.wav")
    assert (back.rate, back.channels, back.frames) == (22050, 2, stereo.frames)
    assert np.max(np.abs(back.samples - stereo.samples)) < 1e-4
    assert back.channel(1).samples.max() == pytest.approx(0.25, abs=1e-3)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_every_pcm_width_reads_to_the_same_signal(width: int) -> None:
    tone = _tone(300, 0.1, 8000)
    scale = 2 ** (8 * width - 1) - 1
    ints = np.round(tone.samples * scale).astype(np.int64)
    if width == 1:
        raw = (ints + 128).astype(np.uint8).tobytes()
    else:
        raw = b"".join(int(v).to_bytes(width, "little", signed=True) for v in ints)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(width)
        handle.setframerate(8000)
        handle.writeframes(raw)
    back = read_wav(buffer.getvalue())
    assert np.max(np.abs(back.samples - tone.samples)) < 2.5 / 2 ** (8 * width - 1) + 1e-6


def test_resampling_keeps_the_pitch_and_the_duration() -> None:
    tone = _tone(1000, 1.0, 22050)
    down = tone.resampled(16000)
    assert down.frames == 16000 and down.duration == pytest.approx(1.0)
    assert _peak_frequency(down) == pytest.approx(1000, abs=2)
    # A tone above the new Nyquist frequency is removed, not folded back as a false tone.
    high = _tone(9000, 1.0, 22050).resampled(16000)
    assert np.max(np.abs(high.samples)) < 0.01
    # Each channel is resampled on its own.
    stereo = resample(np.stack([tone.samples, tone.samples * 0.5], axis=1), 22050, 16000)
    assert stereo.shape == (16000, 2)


def test_mono_is_the_mean_of_the_channels_and_for_models_is_16k_mono() -> None:
    stereo = stack_channels([_tone(500, 0.2, 48000), Audio.silence(0.2, 48000)])
    mono = stereo.for_models()
    assert (mono.rate, mono.channels) == (16000, 1)
    assert np.max(np.abs(mono.samples)) == pytest.approx(0.25, abs=0.01)


def _float_wav(audio: Audio) -> bytes:
    """A 32-bit float WAV (format 3), which the standard `wave` module cannot read."""
    data = audio.samples.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, audio.rate, audio.rate * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_other_formats_are_decoded_through_ffmpeg() -> None:
    tone = _tone(700, 0.5, 22050)
    decoded = decode_audio(_float_wav(tone))
    assert decoded.rate == 16000
    assert decoded.duration == pytest.approx(0.5, abs=0.02)
    assert _peak_frequency(decoded) == pytest.approx(700, abs=3)


def test_garbage_is_not_audio() -> None:
    with pytest.raises(AudioFormatError):
        decode_audio(b"this is not audio at all")
    assert read_wav(wav_bytes(Audio.silence(0.1))).frames == 1600
