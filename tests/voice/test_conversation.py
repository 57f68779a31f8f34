"""The live loop on recordings: wake word, follow-up listening, barge-in, push-to-talk.

The recordings are fed as the microphone would give them, 32 ms at a time; the memory sink
plays the replies in stream time, so speech "during playback" is exactly that.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest

from tongxue.cabin.seats import SEATS
from tongxue.voice.audio import Audio
from tongxue.voice.conversation import Conversation, ConversationConfig, frames_of_audio
from tongxue.voice.models import VoiceModels
from tongxue.voice.pipeline import VoiceAssistant
from tongxue.voice.sinks import MemorySink
from tongxue.voice.wake import create_wake_detector
from voice.voice_kit import Say, cabin_recording


def timeline(say: Say, *parts: str | float) -> Audio:
    """Words and pauses (seconds) one after another."""
    pieces = [Audio.silence(p) if isinstance(p, float) else say(p) for p in parts]
    return Audio.concat(pieces)


def _conversation(
    assistant: VoiceAssistant,
    models: VoiceModels,
    *,
    wake: bool = True,
    follow_up: float = 3.0,
    channel_seats: Sequence[str] | None = None,
) -> tuple[Conversation, MemorySink]:
    sink = MemorySink(models.tts.rate)
    # The embedding design: no Whisper call of its own to slow the loop or vary the outcome.
    spotter = create_wake_detector("embedding", ["你好同学"], models) if wake else None
    config = ConversationConfig(follow_up=follow_up, channel_seats=channel_seats)  # type: ignore[arg-type]
    return Conversation(assistant, models.new_vad(), sink, spotter, config), sink


def _kinds(conversation: Conversation) -> list[str]:
    return [e.kind for e in conversation.events]


def _said(conversation: Conversation) -> list[str]:
    return [e.turn.transcript for e in conversation.events if e.turn is not None]


async def test_wake_word_then_a_command_then_follow_up_without_it(
    assistant: VoiceAssistant, voice_models: VoiceModels, say: Say
) -> None:
    stream = timeline(
        say,
        0.5,
        "你好同学",
        0.6,
        "Open the window",
        4.0,  # the reply plays, then follow-up listening begins
        "Turn on the seat heating",
        6.0,  # the reply, then the 3 s follow-up window runs out
        "Close the window",  # no wake word any more: not for the assistant
        2.0,
    )
    conversation, sink = _conversation(assistant, voice_models)
    await conversation.run(frames_of_audio(stream), realtime=False)

    assert _kinds(conversation)[:3] == ["wake", "listen", "utterance"]
    assert [t.rstrip(".") for t in _said(conversation)] == [
        "Open the window",
        "Turn on the seat heating",
    ]
    assert "follow-up-over" in _kinds(conversation)
    state = assistant.agent.vehicle.snapshot()
    assert state["windows"]["driver"] == 100  # "Close the window" was not acted on
    assert state["seats"]["driver"]["heating"] > 0
    # Both replies were played to the end, and in one session.
    assert len(sink.played) >= 2 and sink.stops == []
    turns = [e.turn for e in conversation.events if e.turn is not None]
    assert turns[0].session_id == turns[1].session_id
    # Each utterance was recognized from the first silent frame after it, during the wait.
    assert conversation.speculations.used == len(turns)
    assert turns[0].timings.end_silence_ms == pytest.approx(
        assistant.vad_config.end_silence_ms, abs=40
    )


async def test_speech_during_playback_stops_it_and_is_answered(
    assistant: VoiceAssistant, voice_models: VoiceModels, say: Say
) -> None:
    stream = timeline(say, 0.5, "你好同学", 0.6, "Open the window", 0.5, "Close the window", 4.0)
    conversation, sink = _conversation(assistant, voice_models)
    await conversation.run(frames_of_audio(stream), realtime=False)

    kinds = _kinds(conversation)
    assert "barge-in" in kinds
    assert kinds.index("barge-in") < len(kinds) - 1
    # The first reply was cut short: part of it was never played.
    assert sink.stops and sink.stops[0] > 0.2
    assert [t.rstrip(".") for t in _said(conversation)] == ["Open the window", "Close the window"]
    assert assistant.agent.vehicle.snapshot()["windows"]["driver"] == 0


async def test_push_to_talk_listens_only_after_the_press(
    assistant: VoiceAssistant, voice_models: VoiceModels, say: Say
) -> None:
    stream = timeline(say, 0.5, "Open the window", 1.5, "打开座椅加热", 3.0)
    press_at = round((0.5 + say("Open the window").duration + 1.0) / 0.032)
    conversation, _ = _conversation(assistant, voice_models, wake=False, follow_up=0.0)

    async def frames() -> AsyncIterator[Audio]:
        index = 0
        async for frame in frames_of_audio(stream):
            if index == press_at:
                conversation.press()
            index += 1
            yield frame

    await conversation.run(frames(), realtime=False)
    assert [t.rstrip("。") for t in _said(conversation)] == ["打开座椅加热"]
    state = assistant.agent.vehicle.snapshot()
    assert state["windows"]["driver"] == 0 and state["seats"]["driver"]["heating"] > 0


async def test_the_speaking_seat_is_the_turns_seat_in_the_live_loop(
    assistant: VoiceAssistant, voice_models: VoiceModels, say: Say
) -> None:
    # Not "打开车窗": cut from this stream, Whisper hears "Ah, I chose one." on half the seats'
    # channels (this one included). "打开我的座椅加热" was heard right on every seat and seed tried.
    stream = cabin_recording(
        timeline(say, 0.5, "你好同学", 0.6, "打开我的座椅加热", 2.5), SEATS.index("rear_left")
    )
    conversation, _ = _conversation(assistant, voice_models, channel_seats=SEATS)
    await conversation.run(frames_of_audio(stream), realtime=False)
    (turn,) = [e.turn for e in conversation.events if e.turn is not None]
    assert turn.seat == "rear_left" and turn.transcript.rstrip("。") == "打开我的座椅加热"
    seats = assistant.agent.vehicle.snapshot()["seats"]
    assert [seat for seat in SEATS if seats[seat]["heating"] > 0] == ["rear_left"]
