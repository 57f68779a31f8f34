"""Speech synthesis, and speaking a reply while the rest of it is still being written."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import numpy as np
import pytest

from tongxue.dialogue.agent import AgentEvent, ReplyDelta, TurnDone
from tongxue.dialogue.sessions import TurnResult
from tongxue.voice.models import VoiceModels
from tongxue.voice.speech import SpokenChunk, next_sentence, speak_stream
from tongxue.voice.tts import OUTPUT_RATE, EspeakSynthesizer


async def test_english_goes_to_piper_and_chinese_to_espeak(voice_models: VoiceModels) -> None:
    tts = voice_models.tts
    assert tts.voice_for("Opening the window.") is tts.english
    assert tts.voice_for("好的，车窗已打开。") is tts.chinese
    assert tts.voice_for("温度调到22度") is tts.chinese
    for text in ("Opening the window.", "好的，车窗已打开。"):
        audio = await tts.synthesize(text)
        assert audio.rate == OUTPUT_RATE and audio.channels == 1
        assert 0.5 < audio.duration < 5.0
        assert float(np.sqrt(np.mean(audio.samples**2))) > 0.02  # it says something


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
