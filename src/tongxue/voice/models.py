"""Loading the voice models, every one of them through the model store."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from tongxue.config import Settings
from tongxue.models.bundles import PIPER_EN, POCKETSPHINX_EN, SILERO_VAD, WHISPER_BASE
from tongxue.models.store import ModelStore
from tongxue.voice.asr import WhisperRecognizer
from tongxue.voice.tts import BilingualSynthesizer, EspeakSynthesizer, PiperSynthesizer
from tongxue.voice.vad import SileroVad
from tongxue.voice.wake import WakeWordSpotter

logger = logging.getLogger(__name__)

VOICE_MODELS = (WHISPER_BASE, SILERO_VAD, PIPER_EN, POCKETSPHINX_EN)


def languages_of(settings: Settings) -> tuple[str, ...]:
    return tuple(code.strip() for code in settings.voice_languages.split(",") if code.strip())


@dataclass
class VoiceModels:
    """The loaded models one voice assistant needs (the wake word only where it listens)."""

    vad_path: Path
    asr: WhisperRecognizer
    tts: BilingualSynthesizer
    wake_model_dir: Path

    def wake_spotter(self, settings: Settings) -> WakeWordSpotter:
        """A spotter of its own for each listener: it keeps the state of one stream."""
        return WakeWordSpotter(
            self.wake_model_dir, settings.voice_wake_phrase, settings.voice_wake_threshold
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
        )
