"""Speech synthesis, and speaking a reply while the rest of it is still being written."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import numpy as np
import pytest

from tongxue.dialogue.agent import AgentEvent, ReplyDelta, TurnDone
from tongxue.dialogue.sessions import TurnResult
from tongxue.voice.audio import Audio
from tongxue.voice.models import VoiceModels
from tongxue.voice.speech import SpokenChunk, next_sentence, speak_stream
from tongxue.voice.tts import (
    OUTPUT_RATE,
    BilingualSynthesizer,
    EspeakSynthesizer,
    Synthesizer,
    join_runs,
)


class Heard:
    """A real voice that also notes what it was given to say."""

    def __init__(self, voice: Synthesizer) -> None:
        self.voice = voice
        self.texts: list[str] = []

    @property
    def rate(self) -> int:
        return self.voice.rate

    async def synthesize(self, text: str, speed: float = 1.0) -> Audio:
        self.texts.append(text)
        return await self.voice.synthesize(text, speed)


def _heard(voice_models: VoiceModels) -> tuple[BilingualSynthesizer, Heard, Heard]:
    english, chinese = Heard(voice_models.tts.english), Heard(EspeakSynthesizer())
    return BilingualSynthesizer(english, chinese), english, chinese


@pytest.mark.parametrize(
    ("reply", "said_in_english", "said_in_chinese"),
    [
        ("Opening the window.", ["Opening the window."], []),
        ("好的，车窗已打开。", [], ["好的，车窗已打开。"]),
        ("温度调到22度", [], ["温度调到二十二度"]),
        ("Playing 晴天 by Jay Chou.", ["Playing", "by Jay Chou."], ["晴天"]),
    ],
)
async def test_each_run_goes_to_its_voice_and_one_language_is_one_call(
    reply: str, said_in_english: list[str], said_in_chinese: list[str], voice_models: VoiceModels
) -> None:
    tts, english, chinese = _heard(voice_models)
    audio = await tts.synthesize(reply)
    assert english.texts == said_in_english
    assert chinese.texts == said_in_chinese
    assert audio.rate == OUTPUT_RATE and audio.channels == 1
    assert 0.5 < audio.duration < 6.0
    assert float(np.sqrt(np.mean(audio.samples**2))) > 0.02  # it says something


async def test_the_chinese_voice_reads_digits_as_it_reads_the_words(
    voice_models: VoiceModels,
) -> None:
    espeak = EspeakSynthesizer()
    words = await espeak.synthesize("温度调到二十二度")
    digits = await espeak.synthesize("温度调到22度")
    # espeak-ng on its own says 22 another way; through the reading it is the very same audio.
    assert not np.array_equal(digits.samples, words.samples)
    tts = BilingualSynthesizer(voice_models.tts.english, espeak)
    read = await tts.synthesize("温度调到22度")
    assert np.array_equal(read.samples, words.samples)


def _longest_pause(audio: Audio) -> float:
    """The longest stretch of near silence between the first and the last sound, in seconds."""
    frame = round(0.01 * audio.rate)
    peaks = np.abs(audio.samples[: audio.frames // frame * frame]).reshape(-1, frame).max(axis=1)
    loud = np.flatnonzero(peaks > 0.02 * peaks.max())
    quiet = run = 0
    for is_loud in peaks[loud[0] : loud[-1] + 1] > 0.02 * peaks.max():
        run = 0 if is_loud else run + 1
        quiet = max(quiet, run)
    return quiet * 0.01


async def test_a_mixed_reply_is_both_voices_joined_without_a_gap(
    voice_models: VoiceModels,
) -> None:
    tts = BilingualSynthesizer(voice_models.tts.english, EspeakSynthesizer())
    chinese = await tts.chinese.synthesize("正在播放")
    english = (await tts.english.synthesize("Yesterday Once More")).resampled(OUTPUT_RATE)
    both = await tts.synthesize("正在播放 Yesterday Once More")
    parts = chinese.duration + english.duration
    # The voices' padding silence is cut where they meet: a little shorter than the parts.
    assert 0.75 * parts < both.duration <= parts
    assert both.duration > max(chinese.duration, english.duration) + 0.5
    # espeak-ng alone ends on ~0.3 s of silence; the join leaves a word's pause, no more.
    assert _longest_pause(chinese) < 0.2 < _longest_pause(Audio.concat([chinese, english]))
    assert _longest_pause(both) < 0.2


def test_runs_join_at_their_sounds_with_a_short_pause() -> None:
    rate = OUTPUT_RATE
    tone = (0.5 * np.sin(np.arange(rate // 2) * 0.2)).astype(np.float32)  # 0.5 s
    padded = np.concatenate([np.zeros(rate // 5), tone, np.zeros(rate // 5)]).astype(np.float32)
    clip = Audio(padded, rate)  # 0.9 s: 0.2 s of silence each side of the sound
    joined = join_runs([clip, clip, clip], pause=0.05)
    # The outer edges keep their silence; the inner ones are cut to about a frame each side.
    assert 0.2 + 3 * 0.5 + 2 * 0.05 + 0.2 < joined.duration < 0.2 + 3 * 0.5 + 2 * 0.15 + 0.2
    assert join_runs([clip]) is clip
    assert join_runs([]).duration == 0.0


async def test_espeak_reads_a_text_that_looks_like_an_option() -> None:
    audio = await EspeakSynthesizer().synthesize("-v is not an option here")
    assert audio.duration > 0.5


def test_the_first_piece_of_a_reply_is_cut_at_its_first_comma() -> None:
    assert next_sentence("好的，右后车窗已打开。", first=True) == ("好的，", "右后车窗已打开。")
    assert next_sentence("OK: window open.", first=True) == ("OK:", " window open.")
    assert next_sentence("Sure. Then, more", first=True) == ("Sure.", " Then, more")
    assert next_sentence("Still writing", first=True) == ("", "Still writing")
    assert next_sentence("好的，右后车窗已打开。") == ("好的，右后车窗已打开。", "")


def _result(reply: str) -> TurnResult:
    return TurnResult(
        session_id="s",
        turn_id="t",
        text="x",
        seat="driver",
        language="en",
        reply=reply,
        route="llm",
    )


async def test_the_first_sentence_is_spoken_while_the_model_still_writes(
    voice_models: VoiceModels,
) -> None:
    """A model that takes 1.5 s over its second sentence: the first is audio long before."""
    finished: list[float] = []

    async def slow_model() -> AsyncIterator[AgentEvent]:
        yield ReplyDelta(text="Sure. ")
        for word in ["Here", "is", "a", "longer", "second", "sentence"]:
            await asyncio.sleep(0.25)
            yield ReplyDelta(text=word + " ")
        yield ReplyDelta(text="to finish.")
        finished.append(time.perf_counter())
        yield TurnDone(result=_result("Sure. Here is a longer second sentence to finish."))

    chunks: list[SpokenChunk] = []
    done: list[TurnDone] = []
    async for item in speak_stream(slow_model(), voice_models.tts):
        if isinstance(item, TurnDone):
            done.append(item)
        else:
            chunks.append(item)
    assert [c.text for c in chunks] == ["Sure.", "Here is a longer second sentence to finish."]
    assert chunks[0].audio_at < finished[0] - 0.5
    assert len(done) == 1


@pytest.mark.parametrize("reply", ["**Sure!** `code` here.", "   "])
async def test_markdown_is_not_read_aloud_and_blank_replies_are_silent(
    reply: str, voice_models: VoiceModels
) -> None:
    async def model() -> AsyncIterator[AgentEvent]:
        yield ReplyDelta(text=reply)
        yield TurnDone(result=_result(reply))

    texts = [
        i.text async for i in speak_stream(model(), voice_models.tts) if not isinstance(i, TurnDone)
    ]
    assert all("*" not in t and "`" not in t for t in texts)
    assert bool(texts) == bool(reply.strip())
