"""The wake word fires on its phrase and not on other speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongxue.config import Settings
from tongxue.voice.audio import Audio
from tongxue.voice.models import VoiceModels
from tongxue.voice.wake import WakeWordError, WakeWordSpotter
from voice.voice_kit import Say, padded


@pytest.fixture(scope="module")
def spotter(voice_models: VoiceModels) -> WakeWordSpotter:
    return voice_models.wake_spotter(Settings())


def test_the_default_phrase_is_okay_computer(spotter: WakeWordSpotter) -> None:
    assert spotter.phrase == "okay computer"


@pytest.mark.parametrize(
    "said", ["Okay computer", "OK computer, open the window", "okay computer what time is it"]
)
def test_it_fires_on_its_phrase(said: str, spotter: WakeWordSpotter, say: Say) -> None:
    (at,) = spotter.detections(padded(say(said)))
    # It fires at the end of the phrase, not later at the end of the sentence.
    assert at == pytest.approx(0.4 + say("Okay computer").duration, abs=0.5)


@pytest.mark.parametrize(
    "said",
    [
        "Open the window",
        "Set the temperature to twenty two degrees",
        "What is the weather like today",
        "Computer science is fun",
        "My computer is okay",
        "OK, open the window",
        "打开车窗",
        "今天天气怎么样",
    ],
)
def test_it_stays_quiet_on_other_speech(said: str, spotter: WakeWordSpotter, say: Say) -> None:
    assert spotter.detections(padded(say(said))) == []


def test_it_fires_again_after_a_detection(spotter: WakeWordSpotter, say: Say) -> None:
    twice = Audio.concat([padded(say("Okay computer")), padded(say("Okay computer"))])
    assert len(spotter.detections(twice)) == 2


def test_the_phrase_is_configurable_and_checked_against_the_dictionary(
    voice_models: VoiceModels, say: Say
) -> None:
    settings = Settings(voice_wake_phrase="Hey assistant")
    other = voice_models.wake_spotter(settings)
    assert other.detections(padded(say("Hey assistant"))) != []
    assert other.detections(padded(say("Okay computer"))) == []
    with pytest.raises(WakeWordError, match="tongxue"):
        WakeWordSpotter(voice_models.wake_model_dir, "hey tongxue")
    with pytest.raises(WakeWordError, match="empty"):
        WakeWordSpotter(Path(voice_models.wake_model_dir), "   ")
