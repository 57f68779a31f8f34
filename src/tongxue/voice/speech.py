"""Speaking a reply while it is still being written.

The assistant streams its reply in pieces; as soon as a sentence is complete it goes to the
synthesizer, while the model writes the next one. A reader task collects the pieces and a
queue hands sentences to the synthesis loop, so neither waits for the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from tongxue.dialogue.agent import AgentEvent, ReplyDelta, TurnDone
from tongxue.dialogue.sentences import speakable, split_sentence
from tongxue.voice.audio import Audio
from tongxue.voice.tts import Synthesizer

logger = logging.getLogger(__name__)

# A long clause is spoken at its comma rather than waiting for the full stop.
_CLAUSE_END = re.compile(r"[，,、：:]")
_LONG_CLAUSE = 24


@dataclass(frozen=True)
class SpokenChunk:
    text: str
    audio: Audio
    # perf_counter() when its text was known and when its audio was ready.
    text_at: float
    audio_at: float


def next_sentence(buffer: str, *, first: bool = False) -> tuple[str, str]:
    """(a piece ready to speak or "", the rest): a sentence, or a long clause at its comma.

    The `first` piece of a reply is cut at its first comma already ("好的，" / "OK:"): it
    is synthesized in a few milliseconds, and the car is heard answering that much sooner.
    """
    if first:
        match = _CLAUSE_END.search(buffer)
        sentence, _ = split_sentence(buffer)
        if match is not None and (not sentence or match.end() < len(sentence)):
            return buffer[: match.end()], buffer[match.end() :]
    sentence, rest = split_sentence(buffer)
    if sentence:
        return sentence, rest
    if len(buffer) >= _LONG_CLAUSE:
        ends = [match.end() for match in _CLAUSE_END.finditer(buffer)]
        if ends and ends[-1] >= _LONG_CLAUSE // 2:
            return buffer[: ends[-1]], buffer[ends[-1] :]
    return "", buffer


async def _sentences(
    events: AsyncIterator[AgentEvent], queue: asyncio.Queue[tuple[str, float] | TurnDone | None]
) -> None:
    buffer = ""
    first = True
    try:
        async for event in events:
            if isinstance(event, ReplyDelta):
                buffer += event.text
                while True:
                    sentence, buffer = next_sentence(buffer, first=first)
                    if not sentence:
                        break
                    first = False
                    await queue.put((sentence, time.perf_counter()))
            elif isinstance(event, TurnDone):
                if buffer.strip():
                    await queue.put((buffer, time.perf_counter()))
                    buffer = ""
                await queue.put(event)
    finally:
        await queue.put(None)


async def speak_stream(
    events: AsyncIterator[AgentEvent], tts: Synthesizer
) -> AsyncIterator[SpokenChunk | TurnDone]:
    """Audio for each sentence of the reply as soon as it is ready, then the turn's result."""
    queue: asyncio.Queue[tuple[str, float] | TurnDone | None] = asyncio.Queue()
    reader = asyncio.create_task(_sentences(events, queue))
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, TurnDone):
                yield item
                continue
            sentence, text_at = item
            text = speakable(sentence)
            if not text:
                continue
            audio = await tts.synthesize(text)
            yield SpokenChunk(text, audio, text_at, time.perf_counter())
        await reader
    finally:
        if not reader.done():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
