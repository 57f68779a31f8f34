"""Voice activity detection: Silero on real speech and silence, and the endpointer's rules."""

from __future__ import annotations

import numpy as np
import pytest

from tongxue.voice.audio import Audio
from tongxue.voice.models import VoiceModels
from tongxue.voice.vad import (
    FRAME,
    FRAME_SECONDS,
    Endpointer,
    SpeechEnd,
    SpeechStart,
    VadConfig,
    speech_segments,
)
from voice.voice_kit import Say

# --- the endpointer on made-up probabilities (pure logic) ----------------------------------


def _feed(endpointer: Endpointer, probabilities: list[float]) -> list[object]:
    return [e for p in probabilities if (e := endpointer.feed(p)) is not None]


def test_speech_starts_after_enough_speech_frames_and_ends_after_the_silence() -> None:
    config = VadConfig(min_speech_ms=96, end_silence_ms=288, pre_roll_ms=64)
    # 10 silent frames, 20 speech frames, then silence.
    events = _feed(Endpointer(config), [0.1] * 10 + [0.9] * 20 + [0.05] * 20)
    start, end = events
    assert isinstance(start, SpeechStart) and isinstance(end, SpeechEnd)
    assert start.frame == 10 - 2  # the first speech frame, less two frames of pre-roll
    assert end.start == start.frame and end.end == 30
    assert end.detected == 30 + 9 - 1  # 288 ms of silence is nine frames


def test_a_short_blip_is_not_speech_and_a_short_pause_does_not_end_it() -> None:
    config = VadConfig(min_speech_ms=96, end_silence_ms=288)
    assert _feed(Endpointer(config), [0.9, 0.9, 0.1] * 5) == []
    # Between release and threshold counts as speech once speech has begun (hysteresis).
    events = _feed(Endpointer(config), [0.9] * 5 + [0.1] * 5 + [0.4] * 20 + [0.9] * 5 + [0.0] * 9)
    assert [type(e) for e in events] == [SpeechStart, SpeechEnd]
    assert isinstance(events[1], SpeechEnd) and events[1].end == 35


def test_resume_continues_an_utterance_seen_by_another_endpointer() -> None:
    endpointer = Endpointer(VadConfig(end_silence_ms=96))
    endpointer.reset(100)
    endpointer.resume(90)
    events = _feed(endpointer, [0.9, 0.1, 0.1, 0.1])
    assert events == [SpeechEnd(start=90, end=101, detected=103)]


# --- Silero on real audio --------------------------------------------------------------------


def test_silence_and_noise_are_not_speech(voice_models: VoiceModels) -> None:
    vad = voice_models.new_vad()
    rng = np.random.default_rng(1)
    noise = Audio((0.01 * rng.standard_normal(16000 * 2)).astype(np.float32), 16000)
    for audio in (Audio.silence(2.0), noise):
        probabilities = vad.probabilities(audio)
        assert len(probabilities) == 2 * 16000 // FRAME
        assert speech_segments(probabilities) == []


@pytest.mark.parametrize("text", ["Open the window and turn on the seat heating", "打开车窗"])
def test_spoken_words_are_found_where_they_are(
    text: str, voice_models: VoiceModels, say: Say
) -> None:
    speech = say(text)
    clip = Audio.concat([Audio.silence(1.0), speech, Audio.silence(1.5)])
    (segment,) = speech_segments(voice_models.new_vad().probabilities(clip))
    # The segment covers the words, give or take the pre-roll and a frame or two.
    assert segment.start == pytest.approx(1.0, abs=0.3)
    assert segment.end == pytest.approx(1.0 + speech.duration, abs=0.3)


def test_two_utterances_with_a_long_pause_are_two_segments(
    voice_models: VoiceModels, say: Say
) -> None:
    first, second = say("Open the window"), say("Close the sunroof")
    clip = Audio.concat([Audio.silence(0.5), first, Audio.silence(1.2), second, Audio.silence(1.0)])
    segments = speech_segments(voice_models.new_vad().probabilities(clip))
    assert len(segments) == 2
    assert segments[1].start > segments[0].end + 0.5
    assert pytest.approx(0.032) == FRAME_SECONDS
