"""Speculative recognition: the utterance is recognized during the endpointer's silence wait.

The guess is made on exactly the frames the endpoint will give if the silence holds, so it is
the transcript recognition after the endpoint would give; speech that goes on drops it.
"""

from __future__ import annotations

import asyncio

import numpy as np

from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.conversation import Conversation, ConversationConfig, frames_of_audio
from tongxue.voice.models import VoiceModels
from tongxue.voice.pipeline import Recognition, StageTimings, VoiceAssistant, VoiceTurn
from tongxue.voice.sinks import MemorySink
from tongxue.voice.vad import FRAME, Endpointer, SpeechEnd, frames_of
from tongxue.voice.wake import create_wake_detector
from voice.voice_kit import Say, padded

# Every stage is rounded to 0.1 ms on its own.
_ROUNDING_MS = 1.0


def trimmed(audio: Audio, floor: float = 0.01) -> Audio:
    """The speech without the synthesizer's silence around it, so a pause is the pause given."""
    loud = np.flatnonzero(np.abs(audio.samples) > floor * np.abs(audio.samples).max())
    return Audio(audio.samples[loud[0] : loud[-1] + 1], audio.rate)


def endpointed(assistant: VoiceAssistant, audio: Audio) -> tuple[SpeechEnd, tuple[int, int]]:
    """The utterance's end, and the frames the endpointer offered at its first silent frame."""
    endpointer = Endpointer(assistant.vad_config)
    assistant.vad.reset()
    tentative: tuple[int, int] | None = None
    for frame in frames_of(audio.samples):
        event = endpointer.feed(assistant.vad.probability(frame))
        if isinstance(event, SpeechEnd):
            assert tentative is not None, "the first silent frame came before the endpoint"
            return event, tentative
        tentative = endpointer.tentative_end or tentative
    raise AssertionError("the endpointer never heard the utterance end")


def frames(audio: Audio, start: int, end: int) -> Audio:
    return Audio(audio.samples[start * FRAME : end * FRAME], SAMPLE_RATE)


async def turn_of(
    assistant: VoiceAssistant,
    utterance: Audio,
    transcription: asyncio.Task[Recognition] | None = None,
) -> VoiceTurn:
    turn: VoiceTurn | None = None
    async for item in assistant.respond(utterance, vad_ms=300.0, transcription=transcription):
        if isinstance(item, VoiceTurn):
            turn = item
    assert turn is not None
    return turn


def assert_timings_add_up(timings: StageTimings) -> None:
    assert 0.0 <= timings.recognition_overlap_ms <= timings.recognition_ms
    after_endpoint = (
        timings.recognition_ms
        - timings.recognition_overlap_ms
        + timings.understanding_ms
        + timings.synthesis_ms
    )
    assert timings.first_audio_ms >= timings.vad_ms + after_endpoint - _ROUNDING_MS
    assert timings.vad_ms >= timings.end_silence_ms - _ROUNDING_MS


async def test_the_guess_at_the_first_silent_frame_is_what_the_endpoint_gives(
    assistant: VoiceAssistant, say: Say
) -> None:
    audio = padded(say("打开车窗"))
    end, tentative = endpointed(assistant, audio)
    assert tentative == (end.start, end.end)
    utterance = frames(audio, end.start, end.end)

    task = assistant.start_transcription(utterance)
    # Recognition is over before the endpoint, as when it fits in the silence wait.
    await task
    guessed = await turn_of(assistant, utterance, task)
    after = await turn_of(assistant, utterance)

    assert guessed.transcript == after.transcript
    assert "车窗" in guessed.transcript and guessed.route == after.route == "rules"
    assert [(a.name, a.arguments) for a in guessed.actions] == [
        (a.name, a.arguments) for a in after.actions
    ]
    assert [a.name for a in guessed.actions] == ["set_window"]
    # All of the guessed recognition was hidden by the wait; none of the other one was.
    assert guessed.timings.recognition_overlap_ms == guessed.timings.recognition_ms > 0
    assert after.timings.recognition_overlap_ms == 0
    for turn in (guessed, after):
        assert_timings_add_up(turn.timings)
    assert guessed.timings.first_audio_ms >= 300.0


async def test_a_pause_inside_an_utterance_drops_the_guess_and_the_whole_is_heard(
    assistant: VoiceAssistant, voice_models: VoiceModels, say: Say
) -> None:
    stream = Audio.concat(
        [
            Audio.silence(0.5),
            say("你好同学"),
            Audio.silence(0.6),
            trimmed(say("打开车窗")),
            Audio.silence(0.2),  # shorter than the endpointer's 300 ms
            trimmed(say("和天窗")),
            Audio.silence(3.0),
        ]
    )
    sink = MemorySink(voice_models.tts.rate)
    spotter = create_wake_detector("embedding", ["你好同学"], voice_models)
    conversation = Conversation(
        assistant, voice_models.new_vad(), sink, spotter, ConversationConfig(follow_up=0.0)
    )
    await conversation.run(frames_of_audio(stream), realtime=False)

    (turn,) = [e.turn for e in conversation.events if e.turn is not None]
    assert "车窗" in turn.transcript and "天窗" in turn.transcript
    counts = conversation.speculations
    # A guess at the pause, dropped when speech went on; the last one was the transcript.
    assert counts.discarded >= 1 and counts.used == 1
    assert counts.started == counts.used + counts.discarded
    assert_timings_add_up(turn.timings)
    assert turn.timings.end_silence_ms >= assistant.vad_config.end_silence_ms - 40
