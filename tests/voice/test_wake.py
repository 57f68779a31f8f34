"""The wake word: each design fires on the default phrases said by voices it was not templated
on, and stays quiet on near misses; the pinyin matcher behind the two-stage confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongxue.config import Settings
from tongxue.voice.audio import Audio
from tongxue.voice.models import VoiceModels
from tongxue.voice.synthetic import VARIANTS_EN, VARIANTS_ZH, SyntheticSpeaker, VoiceVariant, place
from tongxue.voice.wake import (
    WakeDetector,
    WakeEnrollment,
    WakeWordError,
    create_wake_detector,
    detections,
    wake_phrases,
)
from tongxue.voice.wake.pinyin import matches, tokens
from tongxue.voice.wake.templates import TEMPLATE_VOICES_EN, TEMPLATE_VOICES_ZH, speakable

PHRASES = ("你好同学", "同学同学", "hey Tongxue")
_ZH = {v.name: v for v in VARIANTS_ZH}
_EN = {v.name: v for v in VARIANTS_EN}


@pytest.fixture(scope="module")
def speaker(
    voice_models: VoiceModels, tmp_path_factory: pytest.TempPathFactory
) -> SyntheticSpeaker:
    return SyntheticSpeaker(voice_models.piper_dir, tmp_path_factory.mktemp("speech"))


def spoken(speaker: SyntheticSpeaker, variant: VoiceVariant, text: str) -> Audio:
    """The text alone, with silence around it, as the benchmark's streams place it."""
    stream, _ = place([speaker.speak(variant, speakable(text, variant.language))], [1.0])
    return stream


@pytest.fixture(scope="module")
def embedding(voice_models: VoiceModels) -> WakeDetector:
    return create_wake_detector("embedding", PHRASES, voice_models)


@pytest.fixture(scope="module")
def two_stage(voice_models: VoiceModels) -> WakeDetector:
    return create_wake_detector("two-stage", PHRASES, voice_models)


def test_the_test_speakers_are_not_the_template_voices() -> None:
    templates = {
        (v.engine, v.voice, v.speed, v.pitch) for v in TEMPLATE_VOICES_ZH + TEMPLATE_VOICES_EN
    }
    speakers = {(v.engine, v.voice, v.speed, v.pitch) for v in VARIANTS_ZH + VARIANTS_EN}
    assert not templates & speakers


HEARD = [
    ("你好同学", _ZH["zh-m1"]),
    ("同学同学", _ZH["zh-f2"]),
    ("hey Tongxue", _EN["en-us-m2"]),
]
NEAR_MISSES = [
    ("你好", _ZH["zh-m1"]),
    ("同学们", _ZH["zh-f2"]),
    ("打开车窗", _ZH["zh-m1"]),
    ("hey Tom", _EN["en-us-m2"]),
]


@pytest.mark.parametrize(("said", "voice"), HEARD, ids=[p for p, _ in HEARD])
def test_embedding_fires_on_each_default_phrase(
    said: str, voice: VoiceVariant, embedding: WakeDetector, speaker: SyntheticSpeaker
) -> None:
    audio = spoken(speaker, voice, said)
    (found,) = detections(embedding, audio)
    assert found.phrase == said
    # At the end of the phrase (0.5 s of lead-in), give or take the detector's delay.
    assert found.at == pytest.approx(audio.duration - 1.0, abs=0.6)


@pytest.mark.parametrize(("said", "voice"), NEAR_MISSES, ids=[p for p, _ in NEAR_MISSES])
def test_embedding_stays_quiet_on_near_misses(
    said: str, voice: VoiceVariant, embedding: WakeDetector, speaker: SyntheticSpeaker
) -> None:
    assert detections(embedding, spoken(speaker, voice, said)) == []


def test_embedding_fires_again_after_a_detection(
    embedding: WakeDetector, speaker: SyntheticSpeaker
) -> None:
    phrase = speaker.speak(_ZH["zh-m1"], "你好同学")
    twice, _ = place([phrase, phrase], [1.5, 1.0])
    assert [d.phrase for d in detections(embedding, twice)] == ["你好同学", "你好同学"]


@pytest.mark.parametrize(("said", "voice"), HEARD, ids=[p for p, _ in HEARD])
def test_two_stage_fires_on_each_default_phrase(
    said: str, voice: VoiceVariant, two_stage: WakeDetector, speaker: SyntheticSpeaker
) -> None:
    assert [d.phrase for d in detections(two_stage, spoken(speaker, voice, said))] == [said]


@pytest.mark.parametrize(("said", "voice"), NEAR_MISSES, ids=[p for p, _ in NEAR_MISSES])
def test_two_stage_stays_quiet_on_near_misses(
    said: str, voice: VoiceVariant, two_stage: WakeDetector, speaker: SyntheticSpeaker
) -> None:
    assert detections(two_stage, spoken(speaker, voice, said)) == []


def test_the_design_and_the_phrases_are_checked(voice_models: VoiceModels) -> None:
    with pytest.raises(WakeWordError, match="unknown"):
        create_wake_detector("neural", PHRASES, voice_models)
    with pytest.raises(WakeWordError, match="no wake phrase"):
        create_wake_detector("embedding", ["  "], voice_models)
    with pytest.raises(WakeWordError, match="neither"):
        create_wake_detector("sphinx", ["hey qwxz"], voice_models)


def test_the_configured_phrases_and_the_enrolled_ones(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, voice_wake_phrases="你好同学, hey  Tongxue ,")
    assert wake_phrases(settings) == ("你好同学", "hey Tongxue")
    enrolled = WakeEnrollment(tmp_path / "wake").directory / "xiao-li"
    enrolled.mkdir(parents=True)
    (enrolled / "phrase.json").write_text('{"phrase": "小理", "samples": 3}', encoding="utf-8")
    assert wake_phrases(settings) == ("你好同学", "hey Tongxue", "小理")


@pytest.mark.parametrize(
    ("phrase", "heard", "expected"),
    [
        ("你好同学", "你好同学，", True),
        ("你好同学", "李好同学", True),  # one syllable half misheard
        ("同学同学", "同学同学打开车窗", True),
        ("hey Tongxue", "Hey Tongxue.", True),
        ("hey Tongxue", "嘿，同學", True),
        ("你好同学", "你好", False),
        ("同学同学", "同学们", False),
        ("hey Tongxue", "Hey Tom.", False),
        ("hey Tongxue", "同学同学", False),
        ("你好同学", "打开车窗", False),
    ],
)
def test_the_pinyin_matcher(phrase: str, heard: str, expected: bool) -> None:
    assert matches(phrase, heard) is expected


def test_phrases_become_toneless_syllables() -> None:
    assert tokens("你好同学") == ["ni", "hao", "tong", "xue"]
    assert tokens("hey Tongxue") == ["hei", "tong", "xue"]
    assert speakable("hey Tongxue", "en") == "hey tong shway"
    assert speakable("你好同学", "zh") == "你好同学"


@pytest.fixture(scope="module")
def sphinx(voice_models: VoiceModels) -> WakeDetector:
    return create_wake_detector(
        "sphinx", ["okay computer", "hey assistant", *PHRASES], voice_models
    )


@pytest.mark.parametrize("said", ["okay computer", "hey assistant"])
def test_sphinx_spots_several_english_phrases_at_once(
    said: str, sphinx: WakeDetector, speaker: SyntheticSpeaker
) -> None:
    assert [d.phrase for d in detections(sphinx, spoken(speaker, _EN["en-joe"], said))] == [said]


@pytest.mark.parametrize("said", ["Open the window", "My computer is okay", "打开车窗"])
def test_sphinx_stays_quiet_on_other_speech(
    said: str, sphinx: WakeDetector, speaker: SyntheticSpeaker
) -> None:
    voice = _ZH["zh-m1"] if said == "打开车窗" else _EN["en-joe"]
    assert detections(sphinx, spoken(speaker, voice, said)) == []


def test_sphinx_spells_chinese_phrases_in_english_phones() -> None:
    from tongxue.voice.wake.phones import syllable_phones

    assert [syllable_phones(s) for s in tokens("同学")] == ["T AO NG", "SH W EY"]
    assert syllable_phones("shi") == "SH ER" and syllable_phones("yu") == "Y UW"


def test_the_voice_models_make_the_configured_detector(
    tmp_path: Path, voice_models: VoiceModels
) -> None:
    settings = Settings(data_dir=tmp_path, voice_wake_detector="embedding")
    detector = voice_models.wake_detector(settings)
    assert detector.design == "embedding" and detector.phrases == PHRASES
    sphinx = voice_models.wake_detector(
        settings.model_copy(update={"voice_wake_detector": "sphinx"})
    )
    assert sphinx.design == "sphinx" and sphinx.phrases == PHRASES
