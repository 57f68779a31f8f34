"""Speech services for the server: the voice models load on the first audio request.

A server that never hears audio never pays for the models (about 4 s and 300 MB); the first
request waits for them, later ones share them. Decoding, recognition and synthesis run in
worker threads, the recognizer one clip at a time: the event loop keeps answering everyone
else whatever a client uploads.
"""

from __future__ import annotations

import asyncio
import io
import logging

import numpy as np

from tongxue.config import Settings
from tongxue.voice.asr import Transcript
from tongxue.voice.audio import SAMPLE_RATE, Audio, AudioFormatError, decode_audio, wav_bytes
from tongxue.voice.models import VoiceModels
from tongxue.voice.vad import speech_segments

logger = logging.getLogger(__name__)

# OpenAI's `pcm` is 24 kHz 16-bit mono; the other formats keep the voices' 22.05 kHz.
PCM_RATE = 24_000
MEDIA_TYPES = {
    "wav": "audio/wav",
    "pcm": "audio/pcm",
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
}
# Container and codec for the formats PyAV (FFmpeg) encodes.
_ENCODED = {
    "mp3": ("mp3", "libmp3lame"),
    "opus": ("ogg", "libopus"),
    "aac": ("adts", "aac"),
    "flac": ("flac", "flac"),
}


class AudioService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._models: VoiceModels | None = None
        self._loading = asyncio.Lock()

    async def models(self) -> VoiceModels:
        async with self._loading:
            if self._models is None:
                logger.info("loading the voice models for the first audio request")
                self._models = await asyncio.to_thread(VoiceModels.load, self.settings)
            return self._models

    async def transcribe(
        self, data: bytes, language: str | None, prompt: str | None
    ) -> tuple[Transcript | None, float]:
        """The transcript of an uploaded file (None if it holds no speech) and its duration.

        Raises `AudioFormatError` (or its `AudioRateError`, `AudioTooLongError`) before the
        models are loaded.
        """
        audio = await asyncio.to_thread(decode_for_models, data, self.settings.max_audio_seconds)
        models = await self.models()
        vad = models.new_vad()
        segments = speech_segments(await asyncio.to_thread(vad.probabilities, audio))
        if not segments:
            return None, audio.duration
        clip = audio.slice(max(0.0, segments[0].start - 0.2), segments[-1].end + 0.2)
        transcript = await asyncio.to_thread(models.asr.transcribe, clip, language, prompt)
        return transcript, audio.duration

    async def speak(self, text: str, response_format: str, speed: float) -> bytes:
        models = await self.models()
        audio = await models.tts.synthesize(text, speed)
        return await asyncio.to_thread(encode, audio, response_format)


def decode_for_models(data: bytes, max_seconds: float) -> Audio:
    """An uploaded file as the models take it (mono 16 kHz); blocking, for a worker thread."""
    return decode_audio(data, max_seconds=max_seconds).for_models()


def encode(audio: Audio, response_format: str) -> bytes:
    if response_format == "wav":
        return wav_bytes(audio)
    if response_format == "pcm":
        return audio.resampled(PCM_RATE).pcm16()
    container_format, codec = _ENCODED[response_format]
    return _encode_with_ffmpeg(audio, container_format, codec)


def _encode_with_ffmpeg(audio: Audio, container_format: str, codec: str) -> bytes:
    import av

    # Opus only takes 48 kHz (among others); the rest keep the voice's rate.
    rate = 48_000 if codec == "libopus" else audio.rate
    samples = audio.resampled(rate).pcm16()
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=rate)
        assert isinstance(stream, av.audio.stream.AudioStream)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            np.frombuffer(samples, dtype="<i2").reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


__all__ = ["MEDIA_TYPES", "SAMPLE_RATE", "AudioFormatError", "AudioService", "encode"]
