"""Your own wake word: enrolling from recordings, the checks on them, and detecting it after."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tongxue.voice.audio import Audio
from tongxue.voice.models import VoiceModels
from tongxue.voice.synthetic import VARIANTS_ZH, SyntheticSpeaker, VoiceVariant, place
from tongxue.voice.wake import EnrollmentError, WakeEnrollment, create_wake_detector, detections

PHRASE = "小理小理"
# The enrolling speaker: an espeak-ng voice none of the test speakers uses, at three speeds.
ENROLLING = [
    VoiceVariant(f"enroll-{speed}", "zh", "espeak", "cmn-latn-pinyin+m4", speed, 45)
    for speed in (0.9, 1.0, 1.1)
]
OTHER_SPEAKER = VARIANTS_ZH[2]  # zh-f2


@pytest.fixture(scope="module")
def speaker(
    voice_models: VoiceModels, tmp_path_factory: pytest.TempPathFactory
) -> SyntheticSpeaker:
    return SyntheticSpeaker(voice_models.piper_dir, tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="module")
def samples(speaker: SyntheticSpeaker) -> list[Audio]:
    """As a microphone records them: silence before and after the phrase."""
    return [place([speaker.speak(v, PHRASE)], [0.8], lead=0.6)[0] for v in ENROLLING]


def test_three_samples_are_trimmed_and_stored(
    tmp_path: Path, voice_models: VoiceModels, samples: list[Audio]
) -> None:
    enrollment = WakeEnrollment(tmp_path, voice_models.vad_path)
    enrolled = enrollment.enroll(PHRASE, samples)
    assert enrolled.slug == "xiao-li-xiao-li" and enrolled.samples == 3
    assert sorted(p.name for p in enrolled.directory.iterdir()) == [
        "phrase.json",
        "sample-1.wav",
        "sample-2.wav",
        "sample-3.wav",
    ]
    stored = enrollment.samples(PHRASE)
    # The silence around the speech is gone (0.6 s before, 0.8 s after).
    assert all(s.duration < o.duration - 1.0 for s, o in zip(stored, samples, strict=True))
    assert [p.phrase for p in enrollment.phrases()] == [PHRASE]
    # Enrolling again replaces the samples.
    assert enrollment.enroll(PHRASE, [*samples, samples[0]]).samples == 4
    assert len(enrollment.samples(PHRASE)) == 4
    assert enrollment.remove(PHRASE) and enrollment.phrases() == []
    assert not enrollment.remove(PHRASE)


def test_bad_samples_are_refused_with_a_reason(
    tmp_path: Path, voice_models: VoiceModels, samples: list[Audio], speaker: SyntheticSpeaker
) -> None:
    enrollment = WakeEnrollment(tmp_path, voice_models.vad_path)
    with pytest.raises(EnrollmentError, match="3 to 5 samples"):
        enrollment.enroll(PHRASE, samples[:2])
    with pytest.raises(EnrollmentError, match="sample 2 is silent"):
        enrollment.enroll(PHRASE, [samples[0], Audio.silence(2.0), samples[2]])
    noise = Audio(
        (0.0005 * np.random.default_rng(0).standard_normal(32000)).astype(np.float32), 16000
    )
    with pytest.raises(EnrollmentError, match="silent"):
        enrollment.enroll(PHRASE, [noise, samples[1], samples[2]])
    with pytest.raises(EnrollmentError, match="sample 1 is empty"):
        enrollment.enroll(PHRASE, [Audio.silence(0.0), samples[1], samples[2]])
    rambling = speaker.speak(ENROLLING[1], "小理小理，请帮我把车窗打开，然后把空调调到二十二度")
    with pytest.raises(EnrollmentError, match="at most 3 s"):
        enrollment.enroll(PHRASE, [samples[0], samples[1], rambling])
    with pytest.raises(EnrollmentError, match="empty"):
        enrollment.enroll("  ", samples)
    assert enrollment.phrases() == []


def test_an_enrolled_phrase_is_heard_from_another_speaker(
    tmp_path: Path, voice_models: VoiceModels, samples: list[Audio], speaker: SyntheticSpeaker
) -> None:
    enrollment = WakeEnrollment(tmp_path, voice_models.vad_path)
    enrollment.enroll(PHRASE, samples)
    detector = create_wake_detector("embedding", ["你好同学", PHRASE], voice_models, enrollment)
    said, _ = place([speaker.speak(OTHER_SPEAKER, PHRASE)], [1.0])
    assert [d.phrase for d in detections(detector, said)] == [PHRASE]
    for other in ("你好同学", "小明", "打开车窗"):
        heard = detections(detector, place([speaker.speak(OTHER_SPEAKER, other)], [1.0])[0])
        assert PHRASE not in [d.phrase for d in heard], other
