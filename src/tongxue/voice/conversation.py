"""The live conversation: wake word, listening, answering, barge-in, follow-up listening.

Microphone frames come in (32 ms each, one channel per seat microphone or one for all). The
loop is a small state machine driven by those frames:

- sleeping: only the wake word is listened for (or a push-to-talk press);
- listening: the VAD waits for an utterance and its end;
- answering: the reply plays sentence by sentence; speech meanwhile stops it (barge-in) and
  becomes the next utterance;
- follow-up: for `follow_up` seconds after a reply, speech is taken without the wake word.

Time is stream time (frames seen), so a recording run through the loop behaves like the car.

Recognition is speculative: at the first silent frame after speech the utterance so far is
already being recognized, while the endpointer waits to be sure it has ended. If speech goes
on, that guess is dropped (its thread runs out unheard); at the endpoint, a guess on exactly
the utterance that ended is the transcript. Only the assistant acts, and only after the
endpoint, so nothing is done on words that were still going on.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from tongxue.cabin.seats import Seat
from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.pipeline import Recognition, VoiceAssistant, VoiceTurn
from tongxue.voice.seats import speaking_seat
from tongxue.voice.sinks import AudioSink
from tongxue.voice.vad import (
    FRAME,
    FRAME_SECONDS,
    Endpointer,
    Segment,
    SileroVad,
    SpeechEnd,
    SpeechStart,
    VadConfig,
)
from tongxue.voice.wake import WakeDetector

logger = logging.getLogger(__name__)

_HISTORY_SECONDS = 40.0


class Mode(enum.Enum):
    SLEEPING = "sleeping"
    LISTENING = "listening"
    ANSWERING = "answering"
    FOLLOW_UP = "follow-up"


@dataclass(frozen=True)
class LoopEvent:
    """Something the loop did, at stream time `at` (seconds)."""

    kind: str  # wake, listen, utterance, turn, barge-in, follow-up-over, listen-timeout
    at: float
    turn: VoiceTurn | None = None


@dataclass
class SpeculationCounts:
    """How the early recognitions went: used at the endpoint, or dropped as speech went on."""

    started: int = 0
    used: int = 0
    discarded: int = 0


@dataclass(frozen=True)
class _Speculation:
    start: int
    end: int
    utterance: Audio
    seat: Seat
    task: asyncio.Task[Recognition]


@dataclass
class ConversationConfig:
    follow_up: float = 20.0
    # After the wake word (or a press), how long to wait for the first word.
    listen_timeout: float = 8.0
    # Speech must last this long during playback to count as barge-in (not a cough).
    barge_in_ms: int = 256
    channel_seats: Sequence[Seat] | None = None
    seat: Seat = "driver"
    vad: VadConfig = field(default_factory=VadConfig)


class Conversation:
    """Runs on a stream of frames; `wake` None means push-to-talk only (`press()`)."""

    def __init__(
        self,
        assistant: VoiceAssistant,
        vad: SileroVad,
        sink: AudioSink,
        wake: WakeDetector | None,
        config: ConversationConfig | None = None,
        on_event: Callable[[LoopEvent], None] | None = None,
    ) -> None:
        self.assistant = assistant
        self.vad = vad
        self.sink = sink
        self.wake = wake
        self.config = config or ConversationConfig()
        self.on_event = on_event
        self.events: list[LoopEvent] = []
        self.mode = Mode.SLEEPING
        self.session_id: str | None = None
        self._endpointer = Endpointer(self.config.vad)
        self._barge = Endpointer(
            VadConfig(
                threshold=self.config.vad.threshold,
                release=self.config.vad.release,
                min_speech_ms=self.config.barge_in_ms,
                end_silence_ms=self.config.vad.end_silence_ms,
                pre_roll_ms=self.config.vad.pre_roll_ms,
            )
        )
        self._frames: list[np.ndarray] = []  # the recent stream, multi-channel as it came
        self._first_frame = 0  # stream index of self._frames[0]
        self._frame = 0
        self._deadline: float | None = None
        self._answer: asyncio.Task[None] | None = None
        self._pressed = False
        self._speculation: _Speculation | None = None
        self.speculations = SpeculationCounts()

    # --- the outside world -------------------------------------------------------------

    @property
    def now(self) -> float:
        return self._frame * FRAME_SECONDS

    def press(self) -> None:
        """Push-to-talk: start listening now (also stops a reply that is playing)."""
        self._pressed = True

    async def run(self, frames: AsyncIterator[Audio], *, realtime: bool = True) -> None:
        """Consume the stream until it ends; then let the last reply finish.

        `realtime` False (a recording, a test) waits for each reply to be synthesized before
        reading on, as if the machine were infinitely fast; live, the reply is made while
        the microphone keeps listening.
        """
        async for frame in frames:
            await self.feed(frame)
            if not realtime and self._answer is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(self._answer)
        if self._answer is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._answer

    async def feed(self, frame: Audio) -> None:
        """One frame: `FRAME` samples at 16 kHz, any number of channels."""
        if frame.rate != SAMPLE_RATE or frame.frames != FRAME:
            raise ValueError(f"frames are {FRAME} samples at {SAMPLE_RATE} Hz")
        self._remember(frame.samples)
        mono = frame.mono().samples
        probability = self.vad.probability(mono)
        self._frame += 1
        self.sink.advance(FRAME_SECONDS)
        if self._pressed:
            self._pressed = False
            self._interrupt("press")
            self._listen()
        elif self.mode is Mode.SLEEPING:
            if self.wake is not None and self.wake.feed(mono) is not None:
                self._emit("wake")
                self._listen()
        elif self.mode in (Mode.LISTENING, Mode.FOLLOW_UP):
            await self._on_listening(probability)
        elif self.mode is Mode.ANSWERING:
            self._on_answering(probability)

    # --- states --------------------------------------------------------------------------

    def _listen(self, in_speech_since: int | None = None) -> None:
        self.mode = Mode.LISTENING
        self._deadline = self.now + self.config.listen_timeout
        self._drop_speculation()
        self._endpointer.reset(self._frame)
        if in_speech_since is not None:
            # Barge-in: the utterance has already begun.
            self._endpointer.resume(in_speech_since)
        self._emit("listen")

    async def _on_listening(self, probability: float) -> None:
        event = self._endpointer.feed(probability)
        if isinstance(event, SpeechStart):
            self._deadline = None
            if self.mode is Mode.FOLLOW_UP:
                self.mode = Mode.LISTENING
        elif isinstance(event, SpeechEnd):
            self._answer_utterance(event)
            return
        self._speculate()
        if self._deadline is not None and self.now >= self._deadline:
            kind = "follow-up-over" if self.mode is Mode.FOLLOW_UP else "listen-timeout"
            self._emit(kind)
            self._sleep()

    def _on_answering(self, probability: float) -> None:
        event = self._barge.feed(probability)
        if isinstance(event, SpeechStart) and self._reply_pending():
            self._interrupt("barge-in")
            self._listen(in_speech_since=event.frame)
            return
        if not self._reply_pending():
            self._follow_up()

    def _follow_up(self) -> None:
        if self.config.follow_up <= 0:
            self._sleep()
            return
        self.mode = Mode.FOLLOW_UP
        self._deadline = self.now + self.config.follow_up
        self._drop_speculation()
        self._endpointer.reset(self._frame)
        self._emit("follow-up")

    def _sleep(self) -> None:
        self.mode = Mode.SLEEPING
        self._deadline = None
        self._drop_speculation()
        if self.wake is not None:
            self.wake.reset()

    def _reply_pending(self) -> bool:
        return self.sink.playing or (self._answer is not None and not self._answer.done())

    def _interrupt(self, why: str) -> None:
        if not self._reply_pending():
            return
        self.sink.stop()
        if self._answer is not None and not self._answer.done():
            self._answer.cancel()
        self._emit(why)

    # --- answering -------------------------------------------------------------------------

    def _speculate(self) -> None:
        tentative = self._endpointer.tentative_end
        if tentative is not None:
            self._drop_speculation()
            start, end = tentative
            audio, seat = self._utterance(start, end)
            task = self.assistant.start_transcription(audio, seat)
            self._speculation = _Speculation(start, end, audio, seat, task)
            self.speculations.started += 1
        elif self._endpointer.silence_frames == 0:
            # Speech went on: the endpoint will come later, on more audio.
            self._drop_speculation()

    def _drop_speculation(self) -> None:
        if self._speculation is not None:
            self._speculation = None
            self.speculations.discarded += 1

    def _answer_utterance(self, end: SpeechEnd) -> None:
        speculation, self._speculation = self._speculation, None
        transcription: asyncio.Task[Recognition] | None = None
        if speculation is not None and (speculation.start, speculation.end) == (end.start, end.end):
            audio, seat, transcription = speculation.utterance, speculation.seat, speculation.task
            self.speculations.used += 1
        else:
            if speculation is not None:
                self.speculations.discarded += 1
            audio, seat = self._utterance(end.start, end.end)
        waited = (end.detected + 1 - end.end) * FRAME_SECONDS
        self._emit("utterance")
        self.mode = Mode.ANSWERING
        self._barge.reset(self._frame)
        self._answer = asyncio.create_task(self._speak(audio, seat, 1000 * waited, transcription))
        self._answer.add_done_callback(_log_failure)

    def _utterance(self, start: int, end: int) -> tuple[Audio, Seat]:
        """The utterance's mono audio and the seat that spoke it."""
        audio = self._slice(start, end)
        seat = self.config.seat
        if self.config.channel_seats is not None and audio.channels > 1:
            speech = [Segment(0.0, audio.duration)]
            seat = speaking_seat(audio, self.config.channel_seats, speech).seat
            # Recognize what the speaker's own microphone heard, the clearest channel.
            audio = audio.channel(list(self.config.channel_seats).index(seat))
        return audio.mono(), seat

    async def _speak(
        self,
        utterance: Audio,
        seat: Seat,
        waited_ms: float,
        transcription: asyncio.Task[Recognition] | None,
    ) -> None:
        async for item in self.assistant.respond(
            utterance,
            seat=seat,
            session_id=self.session_id,
            vad_ms=waited_ms,
            end_silence_ms=waited_ms,
            transcription=transcription,
        ):
            if isinstance(item, VoiceTurn):
                self.session_id = item.session_id
                self._emit("turn", item)
            else:
                self.sink.play(item.audio)

    # --- the recent stream -------------------------------------------------------------------

    def _remember(self, samples: np.ndarray) -> None:
        self._frames.append(samples)
        limit = round(_HISTORY_SECONDS / FRAME_SECONDS)
        if len(self._frames) > limit:
            drop = len(self._frames) - limit
            del self._frames[:drop]
            self._first_frame += drop

    def _slice(self, start: int, end: int) -> Audio:
        first = max(start, self._first_frame) - self._first_frame
        last = max(first + 1, end - self._first_frame)
        return Audio(np.concatenate(self._frames[first:last]), SAMPLE_RATE)

    def _emit(self, kind: str, turn: VoiceTurn | None = None) -> None:
        event = LoopEvent(kind, round(self.now, 3), turn)
        self.events.append(event)
        logger.info("%.2f s %s%s", event.at, kind, f": {turn.transcript!r}" if turn else "")
        if self.on_event is not None:
            self.on_event(event)


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("the reply failed", exc_info=task.exception())


async def frames_of_audio(audio: Audio) -> AsyncIterator[Audio]:
    """A recording as the microphone would give it: 32 ms frames at 16 kHz."""
    samples = audio.resampled(SAMPLE_RATE).samples
    for start in range(0, samples.shape[0] - FRAME + 1, FRAME):
        yield Audio(np.ascontiguousarray(samples[start : start + FRAME]), SAMPLE_RATE)
        await asyncio.sleep(0)
