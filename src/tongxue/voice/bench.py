"""`tongxue bench voice`: from the end of speech to the first reply audio, stage by stage.

Each case is spoken by the synthesizer, framed with silence, and fed to the VAD 32 ms at a
time as a microphone would; the endpointer decides when the utterance is over. The clock runs
from the end of speech: the silence the endpointer waits for plus its compute, the part of
recognition left after the endpoint, understanding (transcript to the first reply sentence)
and synthesis of that sentence.

As in the live loop, recognition starts speculatively at the first silent frame after speech;
from then on the frames come in real time (32 ms apart, slept for), so recognition runs
during the silence wait just as much as it would in the car. Each turn is also run without
speculation (recognition after the endpoint, as before), the baseline column. In both, the
VAD goes on hearing a frame every 32 ms while the reply is made, as the live loop's barge-in
listening does: on two cores that slows recognition measurably. The median of the repeats is
reported; the target for a rules-path command is under 0.8 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field

from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.pipeline import Recognition, VoiceAssistant, VoiceTurn
from tongxue.voice.tts import Synthesizer
from tongxue.voice.vad import FRAME, FRAME_SECONDS, Endpointer, SpeechEnd, frames_of

TARGET_MS = 800.0


class VoiceBenchCase(BaseModel):
    name: str
    text: str
    expect_route: str


DEFAULT_CASES = (
    VoiceBenchCase(name="rules (zh)", text="打开车窗", expect_route="rules"),
    VoiceBenchCase(name="rules (en)", text="Open the window", expect_route="rules"),
    VoiceBenchCase(name="llm (en)", text="Tell me a joke", expect_route="llm"),
)


class VoiceBenchRow(BaseModel):
    case: str
    said: str
    transcript: str
    route: str
    end_silence_ms: float = Field(description="Silence the endpointer waits for (real time).")
    vad_compute_ms: float
    recognition_ms: float = Field(description="The recognizer's whole run.")
    recognition_overlap_ms: float = Field(
        0.0, description="The part of recognition done during the silence wait."
    )
    understanding_ms: float
    synthesis_ms: float
    first_audio_ms: float
    baseline_recognition_ms: float = Field(
        0.0, description="Recognition without speculation (all of it after the endpoint)."
    )
    baseline_first_audio_ms: float = Field(
        0.0, description="End of speech to first audio without speculation."
    )
    repeats: int

    @property
    def vad_ms(self) -> float:
        return self.end_silence_ms + self.vad_compute_ms


class VoiceBenchReport(BaseModel):
    rows: list[VoiceBenchRow]
    target_ms: float = TARGET_MS
    end_silence_setting_ms: int
    threads: int | None = None

    def format_table(self) -> str:
        header = (
            f"{'case':<11} {'route':<7} {'VAD':>9} {'recognition':>11} {'in wait':>7} "
            f"{'understand':>10} {'1st chunk':>9} {'1st audio':>9} {'no spec.':>8}  target"
        )
        lines = [header, "-" * len(header)]
        for row in self.rows:
            vad = f"{row.end_silence_ms:.0f}+{row.vad_compute_ms:.0f}"
            mark = ""
            if row.route == "rules":
                mark = "ok" if row.first_audio_ms < self.target_ms else "MISSED"
                mark = f"{mark} (< {self.target_ms:.0f} ms)"
            lines.append(
                f"{row.case:<11} {row.route:<7} {vad:>9} {row.recognition_ms:>11.0f} "
                f"{row.recognition_overlap_ms:>7.0f} {row.understanding_ms:>10.0f} "
                f"{row.synthesis_ms:>9.0f} {row.first_audio_ms:>9.0f} "
                f"{row.baseline_first_audio_ms:>8.0f}  {mark}"
            )
        lines.append(
            "ms, median of the repeats; VAD = silence waited + compute; recognition = its whole "
            "run, 'in wait' = the part of it done during the silence wait (speculation);\n"
            "understanding = transcript to first reply sentence; 'no spec.' = first audio when "
            "recognition starts only after the endpoint."
        )
        return "\n".join(lines)


def _median(turns: Sequence[VoiceTurn], pick: Callable[[VoiceTurn], float]) -> float:
    return round(statistics.median(pick(turn) for turn in turns), 1)


async def utterance_audio(tts: Synthesizer, text: str) -> Audio:
    """The case spoken, with silence before and after (enough for the endpointer)."""
    speech = (await tts.synthesize(text)).for_models()
    return Audio.concat([Audio.silence(0.4), speech, Audio.silence(1.5)])


@dataclass(frozen=True)
class Endpointed:
    """An utterance the endpointer ended, and the recognition already started on it, if any."""

    utterance: Audio
    waited_ms: float  # the silence waited for
    compute_ms: float  # VAD compute of the frame that ended it
    transcription: asyncio.Task[Recognition] | None = None


async def endpoint(assistant: VoiceAssistant, audio: Audio, *, speculate: bool) -> Endpointed:
    """Feeds the VAD frame by frame; with `speculate`, as the live loop does.

    Recognition starts at the first silent frame after speech; from then on each frame is
    waited for until it would have arrived from a microphone (32 ms after the previous one),
    so the speculation gets exactly the head start it gets live.
    """
    endpointer = Endpointer(assistant.vad_config)
    assistant.vad.reset()
    guess: tuple[tuple[int, int], asyncio.Task[Recognition]] | None = None
    live_since: float | None = None
    for index, frame in enumerate(frames_of(audio.samples)):
        if live_since is not None:
            await asyncio.sleep(max(0.0, live_since + index * FRAME_SECONDS - time.perf_counter()))
        started = time.perf_counter()
        probability = assistant.vad.probability(frame)
        event = endpointer.feed(probability)
        compute = time.perf_counter() - started
        if isinstance(event, SpeechEnd):
            waited = (event.detected + 1 - event.end) * FRAME_SECONDS
            utterance = _frames(audio, event.start, event.end)
            if guess is not None and guess[0] == (event.start, event.end):
                return Endpointed(utterance, 1000 * waited, 1000 * compute, guess[1])
            return Endpointed(utterance, 1000 * waited, 1000 * compute)
        tentative = endpointer.tentative_end
        if speculate and tentative is not None:
            task = assistant.start_transcription(_frames(audio, *tentative))
            guess = (tentative, task)
            if live_since is None:
                live_since = started - index * FRAME_SECONDS
        elif endpointer.silence_frames == 0:
            guess = None
    raise ValueError("the endpointer never heard the utterance end")


def _frames(audio: Audio, start: int, end: int) -> Audio:
    return Audio(audio.samples[start * FRAME : end * FRAME], SAMPLE_RATE)


async def keep_listening(assistant: VoiceAssistant) -> None:
    """The VAD on a frame every 32 ms, as the live loop listens for barge-in, until cancelled."""
    silence = np.zeros(FRAME, dtype=np.float32)
    since = time.perf_counter()
    frame = 0
    while True:
        frame += 1
        await asyncio.sleep(max(0.0, since + frame * FRAME_SECONDS - time.perf_counter()))
        assistant.vad.probability(silence)


async def _turn(assistant: VoiceAssistant, audio: Audio, *, speculate: bool) -> VoiceTurn:
    ended = await endpoint(assistant, audio, speculate=speculate)
    listening = asyncio.create_task(keep_listening(assistant))
    turn: VoiceTurn | None = None
    try:
        async for item in assistant.respond(
            ended.utterance,
            vad_ms=ended.waited_ms + ended.compute_ms,
            end_silence_ms=ended.waited_ms,
            transcription=ended.transcription,
        ):
            if isinstance(item, VoiceTurn):
                turn = item
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
    assert turn is not None, "respond ends with the turn"
    return turn


async def run_case(
    assistant: VoiceAssistant, case: VoiceBenchCase, audio: Audio, repeats: int
) -> VoiceBenchRow:
    turns: list[VoiceTurn] = []
    baseline: list[VoiceTurn] = []
    for _ in range(repeats):
        turns.append(await _turn(assistant, audio, speculate=True))
        baseline.append(await _turn(assistant, audio, speculate=False))
    return VoiceBenchRow(
        case=case.name,
        said=case.text,
        transcript=turns[-1].transcript,
        route=turns[-1].route,
        end_silence_ms=_median(turns, lambda t: t.timings.end_silence_ms),
        vad_compute_ms=round(
            statistics.median(t.timings.vad_ms - t.timings.end_silence_ms for t in turns), 2
        ),
        recognition_ms=_median(turns, lambda t: t.timings.recognition_ms),
        recognition_overlap_ms=_median(turns, lambda t: t.timings.recognition_overlap_ms),
        understanding_ms=_median(turns, lambda t: t.timings.understanding_ms),
        synthesis_ms=_median(turns, lambda t: t.timings.synthesis_ms),
        first_audio_ms=_median(turns, lambda t: t.timings.first_audio_ms),
        baseline_recognition_ms=_median(baseline, lambda t: t.timings.recognition_ms),
        baseline_first_audio_ms=_median(baseline, lambda t: t.timings.first_audio_ms),
        repeats=repeats,
    )


async def run_voice_bench(
    assistant: VoiceAssistant,
    cases: Sequence[VoiceBenchCase] = DEFAULT_CASES,
    *,
    repeats: int = 3,
    progress: Callable[[str], None] | None = None,
) -> VoiceBenchReport:
    rows = []
    # One unmeasured turn first: the first call of each model allocates its buffers.
    warm = await utterance_audio(assistant.tts, cases[0].text)
    await run_case(assistant, cases[0], warm, 1)
    for case in cases:
        if progress is not None:
            progress(f"{case.name}: {case.text!r} x{repeats}")
        audio = await utterance_audio(assistant.tts, case.text)
        rows.append(await run_case(assistant, case, audio, repeats))
    return VoiceBenchReport(rows=rows, end_silence_setting_ms=assistant.vad_config.end_silence_ms)


__all__ = [
    "DEFAULT_CASES",
    "Endpointed",
    "VoiceBenchCase",
    "VoiceBenchReport",
    "VoiceBenchRow",
    "run_voice_bench",
]
