"""One spoken turn: the utterance is recognized, the assistant answers, the answer is spoken.

`VoiceAssistant.respond` is the part every front end shares (the live loop, `--wav`, the
server): it streams reply audio sentence by sentence and ends with a `VoiceTurn` that holds
what was heard, by which seat, what the car did, and how long each stage took.
`VoiceAssistant.process_clip` adds what a recording needs first: finding the speech in it and,
for a multi-channel recording, the speaking seat.

With `beams` above one, recognition keeps Whisper's n-best and the `GrammarRescorer` chooses
among them what the rules understand; with `hotwords`, the car's contacts and the speaker's
remembered places are passed to the recognizer every turn.

Recognition may start before the turn does: the live loop calls `start_transcription` at the
first silent frame after speech, on exactly the audio the endpoint will give if the silence
holds, and hands the task to `respond`; the silence wait then hides part of recognition.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import partial

from pydantic import BaseModel, Field

from tongxue.cabin.results import ActionResult, StateChange
from tongxue.cabin.seats import Seat
from tongxue.dialogue.agent import CabinAgent, TurnDone
from tongxue.dialogue.sessions import TurnInput
from tongxue.voice.asr import Transcript, WhisperRecognizer
from tongxue.voice.audio import Audio
from tongxue.voice.rescoring import GrammarRescorer
from tongxue.voice.seats import speaking_seat
from tongxue.voice.speech import SpokenChunk, speak_stream
from tongxue.voice.tts import Synthesizer
from tongxue.voice.vad import FRAME_SECONDS, SileroVad, VadConfig, speech_segments
from tongxue.voice.vocabulary import cabin_hotwords

logger = logging.getLogger(__name__)

_SPEECH_PAD = 0.2
_NOT_HEARD = {
    "zh": "抱歉，我没听清，请再说一遍。",
    "en": "Sorry, I didn't catch that. Could you say it again?",
}


class HeardAs(BaseModel):
    language: str
    text: str
    score: float


class StageTimings(BaseModel):
    """Milliseconds from the end of speech to the first reply audio, stage by stage.

    The endpoint is when `respond` is called, `vad_ms` after the end of speech. Recognition
    may have started before it (speculatively) and `recognition_overlap_ms` of it ran before
    the endpoint, hidden by the silence wait; only the rest delays the reply:

        first_audio_ms = vad_ms + (recognition_ms - recognition_overlap_ms)
                         + understanding_ms + synthesis_ms

    (give or take rounding; a little more where the recognizer started after the endpoint).
    """

    end_silence_ms: float = Field(0.0, description="Silence the endpointer waited for.")
    vad_ms: float = Field(0.0, description="Endpointing: the silence wait plus VAD compute.")
    recognition_ms: float = Field(
        0.0,
        description="The recognizer's whole run, wherever it began (with any wait for its lock).",
    )
    recognition_overlap_ms: float = Field(
        0.0, description="The part of recognition that ran before the endpoint."
    )
    understanding_ms: float = Field(
        0.0, description="Transcript (or the endpoint, if later) to the first reply sentence."
    )
    synthesis_ms: float = Field(0.0, description="Synthesis of the first reply sentence.")
    first_audio_ms: float = Field(0.0, description="End of speech to the first reply audio.")
    total_ms: float = Field(0.0, description="End of speech to the last reply audio.")


class VoiceTurn(BaseModel):
    transcript: str
    language: str
    heard: list[HeardAs] = Field(default_factory=list)
    seat: Seat
    seat_levels_db: dict[str, float] | None = None
    reply: str
    route: str
    actions: list[ActionResult] = Field(default_factory=list)
    changes: list[StateChange] = Field(default_factory=list)
    session_id: str | None = None
    timings: StageTimings = Field(default_factory=StageTimings)


@dataclass(frozen=True)
class Recognition:
    """A transcript and when (`time.perf_counter`) the recognizer started and finished it."""

    transcript: Transcript
    started: float
    finished: float


@dataclass(frozen=True)
class ClipResult:
    turn: VoiceTurn
    reply_audio: Audio


def usable(transcript: Transcript) -> bool:
    """Words worth acting on: some letters, and a decoding Whisper was not guessing at."""
    if not re.sub(r"[\W_]+", "", transcript.text):
        return False
    return transcript.hypothesis.heard_clearly


def strip_wake_phrase(text: str, phrases: str | Sequence[str]) -> str:
    """ "Hey Tongxue, open the window" → "open the window"; "你好，同学，打开车窗" → "打开车窗".

    The phrase is compared without spaces, punctuation or case, so however Whisper wrote it
    ("你好同学", "你好，同学", "hey tong xue") it is found; a Latin phrase must end a word
    ("hey" is not stripped from "heyday"). A text that is only the phrase is kept.
    """
    wanted = [phrases] if isinstance(phrases, str) else list(phrases)
    for phrase in sorted((_bare(p) for p in wanted), key=len, reverse=True):
        end = _end_of_prefix(text, phrase)
        if end is not None:
            rest = re.sub(r"^[\W_]+", "", text[end:])
            return rest or text
    return text


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def _end_of_prefix(text: str, bare_phrase: str) -> int | None:
    """Where `text` has gone past `bare_phrase`, skipping what `_bare` drops; None if not."""
    if not bare_phrase:
        return None
    matched = 0
    for index, char in enumerate(text):
        if not _bare(char):
            continue
        if _bare(char) != bare_phrase[matched : matched + len(_bare(char))]:
            return None
        matched += len(_bare(char))
        if matched == len(bare_phrase):
            after = text[index + 1 : index + 2]
            if char.isascii() and char.isalnum() and after.isascii() and after.isalnum():
                return None
            return index + 1
    return None


def _ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


class VoiceAssistant:
    def __init__(
        self,
        agent: CabinAgent,
        asr: WhisperRecognizer,
        tts: Synthesizer,
        vad: SileroVad,
        vad_config: VadConfig | None = None,
        wake_phrases: Sequence[str] = (),
        *,
        beams: int = 1,
        rescorer: GrammarRescorer | None = None,
        hotwords: bool = False,
    ) -> None:
        """`beams` above one rescores Whisper's n-best with `rescorer` (the rules by default);
        `hotwords` passes the car's contacts and the speaker's remembered places every turn."""
        if beams < 1:
            raise ValueError("beams must be at least 1")
        self.agent = agent
        self.wake_phrases = tuple(p for p in wake_phrases if p.strip())
        self.asr = asr
        self.tts = tts
        self.vad = vad
        self.vad_config = vad_config or VadConfig()
        self.beams = beams
        self.rescorer = rescorer or GrammarRescorer()
        self.hotwords = hotwords
        # The rules judge the command, not the wake phrase before it (an enrolled phrase is
        # no courtesy word the rules would skip).
        self._rescore = GrammarRescorer(
            partial(_understood_without_wake_phrase, self), self.rescorer.margin
        )

    async def transcribe(
        self, utterance: Audio, language: str | None = None, seat: Seat = "driver"
    ) -> Transcript:
        return await asyncio.to_thread(self._transcribe, utterance, language, seat)

    def start_transcription(
        self, utterance: Audio, seat: Seat = "driver"
    ) -> asyncio.Task[Recognition]:
        """Recognition as `respond` would do it, started now (for `respond(transcription=)`).

        A task that is no longer wanted cannot stop its thread: let it finish and drop it (the
        recognizer's lock makes a newer one wait for it).
        """
        task = asyncio.create_task(asyncio.to_thread(self._timed_transcribe, utterance, seat))
        task.add_done_callback(_forget_failure)
        return task

    def _timed_transcribe(self, utterance: Audio, seat: Seat) -> Recognition:
        started = time.perf_counter()
        transcript = self._transcribe(utterance, None, seat)
        return Recognition(transcript, started, time.perf_counter())

    def _transcribe(self, utterance: Audio, language: str | None, seat: Seat) -> Transcript:
        hotwords = cabin_hotwords(self.agent, seat) if self.hotwords else []
        if self.beams == 1:
            return self.asr.transcribe(utterance, language, hotwords=hotwords)
        transcript = self.asr.transcribe(
            utterance,
            language,
            beams=self.beams,
            hotwords=hotwords,
            understands=self._rescore.understands,
        )
        return self._rescore.choose(transcript)

    async def respond(
        self,
        utterance: Audio,
        *,
        seat: Seat = "driver",
        session_id: str | None = None,
        vad_ms: float = 0.0,
        end_silence_ms: float = 0.0,
        transcription: asyncio.Task[Recognition] | None = None,
    ) -> AsyncIterator[SpokenChunk | VoiceTurn]:
        """Reply audio, a sentence at a time, then the turn; `vad_ms` is what came before.

        `transcription`, from `start_transcription` on this very `utterance` and `seat`, is
        used instead of recognizing it now.
        """
        started = time.perf_counter()
        if transcription is None:
            transcription = self.start_transcription(utterance, seat)
        recognition = await transcription
        transcript = recognition.transcript
        # Recognition that finished during the silence wait is ready at the endpoint.
        heard_at = max(recognition.finished, started)
        heard = [
            HeardAs(language=h.language, text=h.text, score=h.score) for h in transcript.ranked
        ]
        first: SpokenChunk | None = None
        last_audio_at = heard_at
        text = strip_wake_phrase(transcript.text, self.wake_phrases)
        if usable(transcript):
            turn = TurnInput(text=text, seat=seat, session_id=session_id)
            result = None
            async for item in speak_stream(self.agent.stream(turn), self.tts):
                if isinstance(item, TurnDone):
                    result = item.result
                    continue
                first = first or item
                last_audio_at = item.audio_at
                yield item
            assert result is not None, "the agent's stream ends with its result"
            reply, route, session_id = result.reply, str(result.route), result.session_id
            actions, changes = result.actions, result.changes
        else:
            logger.info("not acting on %r: not heard clearly", transcript.text)
            reply, route, actions, changes = (
                _NOT_HEARD.get(transcript.language, _NOT_HEARD["en"]),
                "unheard",
                [],
                [],
            )
            text_at = time.perf_counter()
            first = SpokenChunk(
                reply, await self.tts.synthesize(reply), text_at, time.perf_counter()
            )
            last_audio_at = first.audio_at
            yield first
        since_speech = vad_ms / 1000
        timings = StageTimings(
            end_silence_ms=round(end_silence_ms, 1),
            vad_ms=round(vad_ms, 1),
            recognition_ms=_ms(recognition.finished - recognition.started),
            recognition_overlap_ms=_ms(
                max(0.0, min(recognition.finished, started) - recognition.started)
            ),
            understanding_ms=_ms(first.text_at - heard_at) if first else 0.0,
            synthesis_ms=_ms(first.audio_at - first.text_at) if first else 0.0,
            first_audio_ms=_ms(since_speech + (first.audio_at if first else heard_at) - started),
            total_ms=_ms(since_speech + last_audio_at - started),
        )
        yield VoiceTurn(
            transcript=text,
            language=transcript.language,
            heard=heard,
            seat=seat,
            reply=reply,
            route=route,
            actions=list(actions),
            changes=list(changes),
            session_id=session_id,
            timings=timings,
        )

    async def process_clip(
        self,
        audio: Audio,
        *,
        seat: Seat = "driver",
        channel_seats: Sequence[Seat] | None = None,
        session_id: str | None = None,
    ) -> ClipResult:
        """A whole recording (push-to-talk, a file): find the speech, the seat, and answer.

        With `channel_seats` and a multi-channel recording, the speaking seat replaces `seat`.
        """
        vad_started = time.perf_counter()
        mono = audio.for_models()
        probabilities = await asyncio.to_thread(self.vad.probabilities, mono)
        segments = speech_segments(probabilities, self.vad_config)
        vad_ms = 1000 * (time.perf_counter() - vad_started)
        levels: dict[str, float] | None = None
        if channel_seats is not None and audio.channels > 1:
            decision = speaking_seat(audio, channel_seats, segments)
            seat, levels = decision.seat, {str(k): v for k, v in decision.levels_db.items()}
            # The speaker's own microphone is the clearest: the mix of all of them adds the
            # others' delayed copies (a comb filter) and every seat's noise.
            mono = audio.channel(list(channel_seats).index(seat)).for_models()
        if not segments:
            # Whisper given silence or noise writes something anyway, often a sentence of its
            # prompt ("打开后排右侧车窗"): without speech there is nothing to recognize.
            return await self._nothing_heard(seat, levels, vad_ms)
        utterance = mono.slice(
            max(0.0, segments[0].start - _SPEECH_PAD), segments[-1].end + _SPEECH_PAD
        )
        logger.info(
            "clip %.1f s, speech %s, seat %s",
            audio.duration,
            [(round(s.start, 2), round(s.end, 2)) for s in segments],
            seat,
        )
        chunks: list[Audio] = []
        turn: VoiceTurn | None = None
        async for item in self.respond(utterance, seat=seat, session_id=session_id, vad_ms=vad_ms):
            if isinstance(item, VoiceTurn):
                turn = item
            else:
                chunks.append(item.audio)
        assert turn is not None
        turn = turn.model_copy(update={"seat_levels_db": levels})
        return ClipResult(turn, join_reply(chunks, self.tts.rate))

    async def _nothing_heard(
        self, seat: Seat, levels: dict[str, float] | None, vad_ms: float
    ) -> ClipResult:
        started = time.perf_counter()
        # No words, so no language to answer in: both, each in its own voice.
        pieces = [_NOT_HEARD["zh"], _NOT_HEARD["en"]]
        audio = join_reply([await self.tts.synthesize(p) for p in pieces], self.tts.rate)
        reply = " ".join(pieces)
        turn = VoiceTurn(
            transcript="",
            language="",
            seat=seat,
            seat_levels_db=levels,
            reply=reply,
            route="no-speech",
            timings=StageTimings(
                vad_ms=round(vad_ms, 1),
                synthesis_ms=_ms(time.perf_counter() - started),
            ),
        )
        return ClipResult(turn, audio)


def _forget_failure(task: asyncio.Task[Recognition]) -> None:
    # A dropped speculation's failure would otherwise be reported as never retrieved; a task
    # that is awaited raises it to its caller anyway.
    if not task.cancelled() and task.exception() is not None:
        logger.debug("a recognition failed", exc_info=task.exception())


def _understood_without_wake_phrase(assistant: VoiceAssistant, text: str) -> bool:
    return assistant.rescorer.understands(strip_wake_phrase(text, assistant.wake_phrases))


def join_reply(chunks: Sequence[Audio], rate: int, gap: float = 0.12) -> Audio:
    """The reply's sentences one after another, with a breath between them."""
    if not chunks:
        return Audio.silence(0.0, rate)
    parts: list[Audio] = []
    for index, chunk in enumerate(chunks):
        if index:
            parts.append(Audio.silence(gap, rate))
        parts.append(chunk.mono().resampled(rate))
    return Audio.concat(parts)


__all__ = [
    "FRAME_SECONDS",
    "ClipResult",
    "Recognition",
    "StageTimings",
    "VoiceAssistant",
    "VoiceTurn",
    "join_reply",
    "usable",
]
