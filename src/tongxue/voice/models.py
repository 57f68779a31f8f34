"""Loading the voice models, every one of them through the model store."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tongxue.config import Settings
from tongxue.models.bundles import (
    PIPER_EN,
    POCKETSPHINX_EN,
    SILERO_VAD,
    SPEECH_EMBEDDING,
    WHISPER_BASE,
)
from tongxue.models.store import ModelStore
from tongxue.voice.asr import WhisperRecognizer
from tongxue.voice.tts import BilingualSynthesizer, EspeakSynthesizer, PiperSynthesizer
from tongxue.voice.vad import SileroVad
from tongxue.voice.wake import WakeDetector, WakeEnrollment, create_wake_detector, wake_phrases
from tongxue.voice.wake.embedding import SpeechEmbedder

logger = logging.getLogger(__name__)

VOICE_MODELS = (WHISPER_BASE, SILERO_VAD, PIPER_EN, POCKETSPHINX_EN, SPEECH_EMBEDDING)


def languages_of(settings: Settings) -> tuple[str, ...]:
    return tuple(code.strip() for code in settings.voice_languages.split(",") if code.strip())


@dataclass
class VoiceModels:
    """The loaded models one voice assistant needs (the wake word only where it listens)."""

    vad_path: Path
    asr: WhisperRecognizer
    tts: BilingualSynthesizer
    wake_model_dir: Path
    embedding_path: Path
    # Piper's folder: the wake templates are synthesized in voices of their own.
    piper_dir: Path
    # Where synthesized wake templates are kept (None: made afresh each time).
    cache_dir: Path | None = None
    _embedder: SpeechEmbedder | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def speech_embedder(self) -> SpeechEmbedder:
        """One embedding session shared by every detector (a session runs from any thread)."""
        with self._lock:
            if self._embedder is None:
                self._embedder = SpeechEmbedder(self.embedding_path)
            return self._embedder

    def wake_enrollment(self, settings: Settings) -> WakeEnrollment:
        return WakeEnrollment(settings.data_dir / "wake", self.vad_path)

    def wake_detector(self, settings: Settings) -> WakeDetector:
        """A detector of its own for each listener: it keeps the state of one stream."""
        return create_wake_detector(
            settings.voice_wake_detector,
            wake_phrases(settings),
            self,
            self.wake_enrollment(settings),
            **(
                {"threshold": settings.voice_wake_threshold}
                if settings.voice_wake_detector == "sphinx"
                else {}
            ),
        )

    def new_vad(self) -> SileroVad:
        """A VAD of its own for each stream: the model carries state from frame to frame."""
        return SileroVad(self.vad_path)

    @classmethod
    def load(cls, settings: Settings, store: ModelStore | None = None) -> VoiceModels:
        store = store or ModelStore(settings)
        folders = {name: store.resolve_bundle(name) for name in VOICE_MODELS}
        threads = settings.voice_asr_threads or os.cpu_count() or 1
        return cls(
            vad_path=folders[SILERO_VAD] / "silero_vad.onnx",
            asr=WhisperRecognizer(
                folders[WHISPER_BASE], languages=languages_of(settings), threads=threads
            ),
            tts=BilingualSynthesizer(
                english=PiperSynthesizer(folders[PIPER_EN], variation=settings.voice_variation),
                chinese=EspeakSynthesizer(settings.voice_zh_voice),
            ),
            wake_model_dir=folders[POCKETSPHINX_EN],
            embedding_path=folders[SPEECH_EMBEDDING] / "speech-embedding.onnx",
            piper_dir=folders[PIPER_EN],
            cache_dir=settings.cache_dir,
        )
