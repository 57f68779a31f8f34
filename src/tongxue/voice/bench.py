"""`tongxue bench voice`: from the end of speech to the first reply audio, stage by stage.

Each case is spoken by the synthesizer, framed with silence, and fed to the VAD 32 ms at a
time as a microphone would; the endpointer decides when the utterance is over. From there the
clock runs: the silence the endpointer waits for (live, that wait is real time) plus its
compute, recognition, understanding (transcript to the first reply sentence) and synthesis of
that sentence. The median of the repeats is reported; the target for a rules-path command is
under one second.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field

from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.pipeline import VoiceAssistant, VoiceTurn
from tongxue.voice.tts import Synthesizer
from tongxue.voice.vad import FRAME, FRAME_SECONDS, Endpointer, SpeechEnd, frames_of

TARGET_MS = 1000.0


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
    recognition_ms: float
    understanding_ms: float
    synthesis_ms: float
    first_audio_ms: float
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
            f"{'case':<11} {'route':<7} {'VAD':>13} {'recognition':>11} {'understand':>10} "
            f"{'1st chunk':>9} {'1st audio':>9}  target"
        )
        lines = [header, "-" * len(header)]
        for row in self.rows:
            vad = f"{row.end_silence_ms:.0f}+{row.vad_compute_ms:.0f}"
            mark = ""
            if row.route == "rules":
                mark = "ok" if row.first_audio_ms < self.target_ms else "MISSED"
                mark = f"{mark} (< {self.target_ms:.0f} ms)"
            lines.append(
                f"{row.case:<11} {row.route:<7} {vad:>13} {row.recognition_ms:>11.0f} "
                f"{row.understanding_ms:>10.0f} {row.synthesis_ms:>9.0f} "
                f"{row.first_audio_ms:>9.0f}  {mark}"
            )
        lines.append(
            "ms, median of the repeats; VAD = silence waited + compute; "
            "understanding = transcript to first reply sentence."
        )
        return "\n".join(lines)


def _median(turns: Sequence[VoiceTurn], pick: Callable[[VoiceTurn], float]) -> float:
    return round(statistics.median(pick(turn) for turn in turns), 1)


async def utterance_audio(tts: Synthesizer, text: str) -> Audio:
    """The case spoken, with silence before and after (enough for the endpointer)."""
    speech = (await tts.synthesize(text)).for_models()
    return Audio.concat([Audio.silence(0.4), speech, Audio.silence(1.5)])


def endpoint(assistant: VoiceAssistant, audio: Audio) -> tuple[Audio, float, float]:
    """(the utterance, silence waited ms, compute ms of the frame that ended it)."""
    endpointer = Endpointer(assistant.vad_config)
    assistant.vad.reset()
    for frame in frames_of(audio.samples):
        started = time.perf_counter()
        probability = assistant.vad.probability(frame)
        event = endpointer.feed(probability)
        compute = time.perf_counter() - started
        if isinstance(event, SpeechEnd):
            waited = (event.detected + 1 - event.end) * FRAME_SECONDS
            utterance = Audio(audio.samples[event.start * FRAME : event.end * FRAME], SAMPLE_RATE)
            return utterance, 1000 * waited, 1000 * compute
    raise ValueError("the endpointer never heard the utterance end")


async def run_case(
    assistant: VoiceAssistant, case: VoiceBenchCase, audio: Audio, repeats: int
) -> VoiceBenchRow:
    turns: list[VoiceTurn] = []
    waits: list[float] = []
    computes: list[float] = []
    for _ in range(repeats):
        utterance, waited, compute = endpoint(assistant, audio)
        waits.append(waited)
        computes.append(compute)
        async for item in assistant.respond(
            utterance, vad_ms=waited + compute, end_silence_ms=waited
        ):
            if isinstance(item, VoiceTurn):
                turns.append(item)
    return VoiceBenchRow(
        case=case.name,
        said=case.text,
        transcript=turns[-1].transcript,
        route=turns[-1].route,
        end_silence_ms=round(statistics.median(waits), 1),
        vad_compute_ms=round(statistics.median(computes), 2),
        recognition_ms=_median(turns, lambda t: t.timings.recognition_ms),
        understanding_ms=_median(turns, lambda t: t.timings.understanding_ms),
        synthesis_ms=_median(turns, lambda t: t.timings.synthesis_ms),
        first_audio_ms=_median(turns, lambda t: t.timings.first_audio_ms),
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
    "VoiceBenchCase",
    "VoiceBenchReport",
    "VoiceBenchRow",
    "run_voice_bench",
]
