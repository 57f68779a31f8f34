"""`tongxue bench wake`: every wake-word design on the same long, noisy, synthetic streams.

The corpus (src/tongxue/voice/data/wake_bench.yaml) is spoken by the synthetic test speakers
(synthetic.VARIANTS_ZH / VARIANTS_EN, which no detector was templated on): the wake phrases
in every voice at several speeds, alone and followed by a command, and other speech —
commands, questions and near misses ("你好", "hey Tony") said often. The clips are brought to
one speech level, laid one after another into streams of about a minute with seeded pauses,
and car noise runs under each whole stream at a chosen SNR, as in a moving car. Each detector
hears the streams 80 ms at a time, as from a microphone.

A detection from the start of a wake utterance to 0.5 s after its end is a hit (a second one
there is a duplicate: the assistant is already listening); any other is a false accept,
counted per hour of other speech. CPU is the process's CPU time inside `feed`, per second of
audio, as % of one core; it covers every thread, so the two-stage design's Whisper counts.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, Field, computed_field
from tqdm import tqdm

from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.synthetic import (
    SyntheticSpeaker,
    VoiceVariant,
    mix_at_snr,
    place,
    speech_power,
    variants,
)
from tongxue.voice.wake import WakeDetection, WakeDetector

logger = logging.getLogger(__name__)

DESIGNS = ("sphinx", "embedding", "two-stage")
CHUNK = 1280  # 80 ms, a microphone's usual block
# A detection up to a second after the phrase ends is a hit: the detectors decide on the
# audio that follows it (DTW settles, two-stage decodes), and the chime comes that much later.
TOLERANCE_S = 1.0
# A false accept this soon after a wake utterance is more likely a late hit than a mistake.
LATE_S = 1.5
GAP_S = (0.5, 3.0)
# Every clip is brought to this RMS over its speech, so the stream's SNR holds for each clip.
SPEECH_RMS = 0.1

TARGET_MISS_PERCENT = 5.0
TARGET_MISS_SNR_DB = 10.0
TARGET_FALSE_ACCEPTS_PER_HOUR = 1.0
TARGET_CPU_PERCENT = 15.0

Language = Literal["zh", "en"]
Outcome = Literal["hit", "duplicate", "false accept"]


class WakePhraseData(BaseModel):
    phrase: str
    language: Language
    spoken: list[str] = Field(min_length=1, description="How the test speakers say it.")


class WakeBenchData(BaseModel):
    """The corpus file: wake phrases, speeds, commands, near misses and other sentences."""

    wake_phrases: list[WakePhraseData] = Field(min_length=1)
    speeds: list[float] = Field(min_length=1)
    commands_per_voice: int = Field(ge=0)
    commands: dict[Language, list[str]]
    near_miss_every: int = Field(ge=1)
    near_misses: dict[Language, list[str]]
    sentences: dict[Language, list[str]]

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(item.phrase for item in self.wake_phrases)

    @property
    def full_wake_count(self) -> int:
        """Wake utterances in the full set: each phrase by each voice at each speed, alone
        and with `commands_per_voice` commands."""
        combos = sum(len(variants(item.language)) for item in self.wake_phrases)
        return combos * len(self.speeds) * (1 + self.commands_per_voice)


def load_bench_data() -> WakeBenchData:
    text = resources.files("tongxue.voice").joinpath("data", "wake_bench.yaml").read_text("utf-8")
    return WakeBenchData.model_validate(yaml.safe_load(text))


@dataclass(frozen=True)
class Utterance:
    """What one test speaker says; `phrase` is the wake phrase in it, None for other speech."""

    text: str
    voice: VoiceVariant
    kind: Literal["wake", "wake+command", "near miss", "sentence"]
    phrase: str | None = None


def wake_utterances(data: WakeBenchData, count: int, seed: int = 0) -> list[Utterance]:
    """`count` wake utterances, in rounds over every (phrase, voice, speed).

    The first round says each phrase alone, later rounds follow it with a random command, so
    `data.full_wake_count` covers the full set and a small count still mixes the phrases.
    """
    rng = random.Random(seed)
    combos: list[list[tuple[WakePhraseData, VoiceVariant, str]]] = []
    for item in data.wake_phrases:
        combos.append([])
        for index, voice in enumerate(variants(item.language)):
            for position, speed in enumerate(data.speeds):
                spoken = item.spoken[(index + position) % len(item.spoken)]
                faster = replace(voice, name=f"{voice.name}-x{speed:g}", speed=voice.speed * speed)
                combos[-1].append((item, faster, spoken))
    found: list[Utterance] = []
    first = True
    while len(found) < count:
        # The phrases take turns, so any count is balanced between them.
        shuffled = [rng.sample(group, len(group)) for group in combos]
        for turn in itertools.zip_longest(*shuffled):
            for combo in turn:
                if combo is None:
                    continue
                item, voice, spoken = combo
                if first:
                    found.append(Utterance(spoken, voice, "wake", item.phrase))
                    continue
                command = rng.choice(data.commands[item.language])
                comma = "，" if item.language == "zh" else ", "
                text = f"{spoken}{comma}{command}"
                found.append(Utterance(text, voice, "wake+command", item.phrase))
        first = False
    return found[:count]


def other_utterances(data: WakeBenchData, seed: int = 0) -> Iterator[Utterance]:
    """Endless other speech: the sentences in random order and voices, with near misses."""
    rng = random.Random(seed)
    pool: list[tuple[Language, str]] = [
        (language, text) for language, texts in data.sentences.items() for text in texts
    ]
    languages: list[Language] = sorted(data.near_misses)
    said = 0
    while True:
        for language, text in rng.sample(pool, len(pool)):
            said += 1
            if said % data.near_miss_every == 0:
                near_language = rng.choice(languages)
                near = rng.choice(data.near_misses[near_language])
                yield Utterance(near, rng.choice(variants(near_language)), "near miss")
            yield Utterance(text, rng.choice(variants(language)), "sentence")


@dataclass(frozen=True)
class Clip:
    utterance: Utterance
    audio: Audio


def leveled(audio: Audio) -> Audio:
    """The speech without the synthesizer's silence around it, at SPEECH_RMS."""
    samples = audio.for_models().samples
    frame = SAMPLE_RATE // 50
    frames = samples[: samples.shape[0] // frame * frame].reshape(-1, frame)
    powers = np.mean(np.square(frames.astype(np.float64)), axis=1)
    if powers.size == 0 or powers.max() <= 0:
        raise ValueError("the synthesizer returned silence")
    loud = np.flatnonzero(powers > 0.01 * powers.max())
    margin = 3  # 60 ms, so the onset and the fade stay in
    start = max(0, loud[0] - margin) * frame
    end = min(powers.size, loud[-1] + 1 + margin) * frame
    trimmed = samples[start:end]
    gain = SPEECH_RMS / np.sqrt(speech_power(trimmed))
    return Audio((trimmed * gain).astype(np.float32), SAMPLE_RATE)


def speak_all(
    speaker: SyntheticSpeaker,
    utterances: Sequence[Utterance],
    advance: Callable[[int], object] | None = None,
) -> list[Clip]:
    clips = []
    for utterance in utterances:
        clips.append(Clip(utterance, leveled(speaker.speak(utterance.voice, utterance.text))))
        if advance is not None:
            advance(1)
    return clips


def speak_for(
    speaker: SyntheticSpeaker,
    utterances: Iterator[Utterance],
    seconds: float,
    advance: Callable[[int], object] | None = None,
) -> list[Clip]:
    """Clips from `utterances` until they add up to `seconds` of speech."""
    clips: list[Clip] = []
    total = 0.0
    while total < seconds:
        utterance = next(utterances)
        try:
            clip = Clip(utterance, leveled(speaker.speak(utterance.voice, utterance.text)))
        except ValueError:
            # One sentence a voice cannot say should not stop an hour-long run.
            logger.warning("%s said nothing for %r; skipped", utterance.voice.name, utterance.text)
            continue
        clips.append(clip)
        total += clip.audio.duration
        if advance is not None:
            advance(1)
    return clips


@dataclass(frozen=True)
class Span:
    """Where a clip lies in a stream (seconds)."""

    start: float
    end: float
    utterance: Utterance


@dataclass(frozen=True)
class StreamPlan:
    """The clips of one stream in order, the pause after each, and its noise seed."""

    index: int
    clips: tuple[Clip, ...]
    gaps: tuple[float, ...]
    noise_seed: int

    def render(self, snr_db: float) -> tuple[Audio, list[Span]]:
        clean, places = place([clip.audio for clip in self.clips], self.gaps)
        spans = [
            Span(start, end, clip.utterance)
            for clip, (start, end) in zip(self.clips, places, strict=True)
        ]
        return mix_at_snr(clean, snr_db, seed=self.noise_seed), spans


def plan_streams(
    clips: Sequence[Clip], stream_seconds: float, seed: int, first_index: int = 0
) -> list[StreamPlan]:
    """The clips shuffled into streams of about `stream_seconds`, with pauses of 0.5–3 s."""
    rng = random.Random(seed)
    order = rng.sample(list(clips), len(clips))
    plans: list[StreamPlan] = []
    group: list[Clip] = []
    gaps: list[float] = []
    length = 0.0
    for clip in order:
        group.append(clip)
        gaps.append(round(rng.uniform(*GAP_S), 2))
        length += clip.audio.duration + gaps[-1]
        if length >= stream_seconds:
            plans.append(_plan(first_index + len(plans), group, gaps, rng))
            group, gaps, length = [], [], 0.0
    if group:
        plans.append(_plan(first_index + len(plans), group, gaps, rng))
    return plans


def _plan(index: int, clips: list[Clip], gaps: list[float], rng: random.Random) -> StreamPlan:
    return StreamPlan(index, tuple(clips), tuple(gaps), rng.randrange(2**31))


@dataclass(frozen=True)
class ScoredDetection:
    detection: WakeDetection
    outcome: Outcome
    span: Span | None  # the wake utterance it hit, or the clip said last (None: none yet)


def score_stream(
    found: Sequence[WakeDetection], spans: Sequence[Span], tolerance: float = TOLERANCE_S
) -> tuple[list[ScoredDetection], list[Span]]:
    """Each detection scored against the stream's clips, and the wake utterances missed."""
    hit: set[int] = set()
    scored: list[ScoredDetection] = []
    for detection in sorted(found, key=lambda d: d.at):
        inside = [
            index
            for index, span in enumerate(spans)
            if span.start <= detection.at <= span.end + tolerance
        ]
        wake = [index for index in inside if spans[index].utterance.phrase is not None]
        if wake:
            fresh = [index for index in wake if index not in hit]
            if fresh:
                hit.add(fresh[0])
                scored.append(ScoredDetection(detection, "hit", spans[fresh[0]]))
            else:
                scored.append(ScoredDetection(detection, "duplicate", spans[wake[0]]))
        else:
            # The clip said last is what the detector mistook (it may fire after its end).
            said = [span for span in spans if span.start <= detection.at]
            span = said[-1] if said else None
            scored.append(ScoredDetection(detection, "false accept", span))
    missed = [
        span
        for index, span in enumerate(spans)
        if span.utterance.phrase is not None and index not in hit
    ]
    return scored, missed


def listen(
    detector: WakeDetector, audio: Audio, chunk: int = CHUNK
) -> tuple[list[WakeDetection], float]:
    """The detections in a stream fed `chunk` samples at a time, and the CPU seconds it took."""
    samples = audio.samples
    detector.reset()
    found: list[WakeDetection] = []
    cpu = 0.0
    for start in range(0, samples.shape[0], chunk):
        end = min(start + chunk, samples.shape[0])
        before = time.process_time()
        phrase = detector.feed(samples[start:end])
        cpu += time.process_time() - before
        if phrase is not None:
            found.append(WakeDetection(phrase, end / SAMPLE_RATE))
    return found, cpu


class WakeBenchConfig(BaseModel):
    designs: list[str] = Field(default_factory=lambda: list(DESIGNS), min_length=1)
    snrs_db: list[float] = Field(default_factory=lambda: [0.0, 10.0, 20.0], min_length=1)
    other_minutes: float = Field(20.0, gt=0, description="Other speech per SNR, in minutes.")
    wake_utterances: int = Field(216, ge=1, description="Wake utterances per SNR.")
    stream_seconds: float = Field(60.0, gt=0)
    seed: int = 0
    chunk: int = Field(CHUNK, ge=1, description="Samples fed to a detector at a time.")
    tolerance_s: float = Field(
        TOLERANCE_S, ge=0, description="How long after a wake utterance a detection is a hit."
    )


class DetectionRecord(BaseModel):
    design: str
    snr_db: float
    stream: int
    at: float = Field(description="Seconds from the stream's start.")
    phrase: str = Field(description="The phrase the detector said it heard.")
    outcome: Outcome
    said: str | None = Field(
        None, description="The wake utterance it hit, or else the clip said last before it."
    )
    voice: str | None = None
    after_end: float | None = Field(
        None, description="Seconds from the end of that clip to the detection (< 0: inside)."
    )
    expected: str | None = Field(None, description="The wake phrase said, for a hit.")


class MissRecord(BaseModel):
    design: str
    snr_db: float
    stream: int
    start: float
    end: float
    phrase: str
    said: str
    voice: str


class WakeBenchRow(BaseModel):
    design: str
    snr_db: float
    wake_utterances: int
    hits: int
    duplicates: int
    wrong_phrase: int = Field(description="Hits that named another wake phrase.")
    false_accepts: int
    late: int = Field(
        description=f"False accepts at most {LATE_S:g} s after a wake utterance's end: "
        "probably hits the detector was slow to call."
    )
    other_speech_hours: float
    audio_hours: float = Field(description="All audio fed, pauses and wake utterances included.")
    cpu_seconds: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def misses(self) -> int:
        return self.wake_utterances - self.hits

    @computed_field  # type: ignore[prop-decorator]
    @property
    def miss_percent(self) -> float:
        return 100.0 * self.misses / self.wake_utterances if self.wake_utterances else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def false_accepts_per_hour(self) -> float:
        hours = self.other_speech_hours
        return self.false_accepts / hours if hours > 0 else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cpu_percent(self) -> float:
        seconds = self.audio_hours * 3600
        return 100.0 * self.cpu_seconds / seconds if seconds > 0 else 0.0

    def summary(self) -> dict[str, float]:
        return {
            "miss_percent": round(self.miss_percent, 2),
            "false_accepts_per_hour": round(self.false_accepts_per_hour, 2),
            "cpu_percent": round(self.cpu_percent, 2),
        }


class PhraseRow(BaseModel):
    design: str
    snr_db: float
    phrase: str
    utterances: int
    misses: int


class CorpusSummary(BaseModel):
    phrases: list[str]
    wake_utterances_per_snr: int
    other_clips_per_snr: dict[str, int]
    near_misses_per_snr: dict[str, int]
    other_speech_minutes_per_snr: dict[str, float]
    streams_per_snr: dict[str, int]


class WakeBenchReport(BaseModel):
    config: WakeBenchConfig
    corpus: CorpusSummary
    rows: list[WakeBenchRow]
    summaries: dict[str, dict[str, dict[str, float]]] = Field(
        description="design -> SNR -> miss %, false accepts per hour, CPU % of one core."
    )
    phrases: list[PhraseRow]
    detections: list[DetectionRecord]
    misses: list[MissRecord]
    targets: dict[str, float] = Field(
        default_factory=lambda: {
            "miss_percent_at_10_db": TARGET_MISS_PERCENT,
            "false_accepts_per_hour": TARGET_FALSE_ACCEPTS_PER_HOUR,
            "cpu_percent": TARGET_CPU_PERCENT,
        }
    )

    def row(self, design: str, snr_db: float) -> WakeBenchRow:
        return next(r for r in self.rows if r.design == design and r.snr_db == snr_db)

    def format_table(self) -> str:
        return format_table(self)


class _Tally:
    """What one design heard at one SNR, summed over the streams."""

    def __init__(self) -> None:
        self.wake = 0
        self.hits = 0
        self.duplicates = 0
        self.wrong_phrase = 0
        self.false_accepts = 0
        self.late = 0
        self.other_seconds = 0.0
        self.audio_seconds = 0.0
        self.cpu = 0.0
        self.by_phrase: dict[str, list[int]] = {}

    def add(
        self,
        spans: Sequence[Span],
        scored: Sequence[ScoredDetection],
        missed: Sequence[Span],
        audio: Audio,
        cpu: float,
    ) -> None:
        for span in spans:
            phrase = span.utterance.phrase
            if phrase is None:
                self.other_seconds += span.end - span.start
            else:
                self.wake += 1
                self.by_phrase.setdefault(phrase, [0, 0])[0] += 1
        for span in missed:
            assert span.utterance.phrase is not None
            self.by_phrase[span.utterance.phrase][1] += 1
        for item in scored:
            if item.outcome == "hit":
                self.hits += 1
                expected = item.span.utterance.phrase if item.span else None
                self.wrong_phrase += item.detection.phrase != expected
            elif item.outcome == "duplicate":
                self.duplicates += 1
            else:
                self.false_accepts += 1
                self.late += is_late(item)
        self.audio_seconds += audio.duration
        self.cpu += cpu

    def row(self, design: str, snr_db: float) -> WakeBenchRow:
        return WakeBenchRow(
            design=design,
            snr_db=snr_db,
            wake_utterances=self.wake,
            hits=self.hits,
            duplicates=self.duplicates,
            wrong_phrase=self.wrong_phrase,
            false_accepts=self.false_accepts,
            late=self.late,
            other_speech_hours=round(self.other_seconds / 3600, 4),
            audio_hours=round(self.audio_seconds / 3600, 4),
            cpu_seconds=round(self.cpu, 3),
        )


def is_late(item: ScoredDetection) -> bool:
    """A false accept soon after a wake utterance: more likely a hit called late."""
    span = item.span
    return (
        item.outcome == "false accept"
        and span is not None
        and span.utterance.phrase is not None
        and item.detection.at - span.end <= LATE_S
    )


def _snr_key(snr_db: float) -> str:
    return f"{snr_db:g}"


class _CorpusCount:
    """The other speech each SNR had, for the report."""

    def __init__(self) -> None:
        self.clips: dict[str, int] = {}
        self.near_misses: dict[str, int] = {}
        self.minutes: dict[str, float] = {}
        self.streams: dict[str, int] = {}

    def add(self, snr_db: float, other: Sequence[Clip], streams: int) -> None:
        key = _snr_key(snr_db)
        self.clips[key] = len(other)
        self.near_misses[key] = sum(clip.utterance.kind == "near miss" for clip in other)
        self.minutes[key] = round(sum(clip.audio.duration for clip in other) / 60, 2)
        self.streams[key] = streams

    def summary(self, phrases: Sequence[str], wake: int) -> CorpusSummary:
        return CorpusSummary(
            phrases=list(phrases),
            wake_utterances_per_snr=wake,
            other_clips_per_snr=self.clips,
            near_misses_per_snr=self.near_misses,
            other_speech_minutes_per_snr=self.minutes,
            streams_per_snr=self.streams,
        )


def run_wake_bench(
    config: WakeBenchConfig,
    detectors: Mapping[str, WakeDetector],
    speaker: SyntheticSpeaker,
    data: WakeBenchData | None = None,
    *,
    show_progress: bool = False,
) -> WakeBenchReport:
    """Synthesize the corpus, lay it into noisy streams per SNR and score every detector."""
    data = data or load_bench_data()
    missing = [design for design in config.designs if design not in detectors]
    if missing:
        raise ValueError(f"no detector for {', '.join(missing)}")
    wake_said = wake_utterances(data, config.wake_utterances, config.seed)
    with tqdm(
        total=len(wake_said), desc="wake utterances", unit="clip", disable=not show_progress
    ) as bar:
        wake_clips = speak_all(speaker, wake_said, bar.update)
    others = other_utterances(data, config.seed)
    tallies = {(d, snr): _Tally() for d in config.designs for snr in config.snrs_db}
    corpus = _CorpusCount()
    detections: list[DetectionRecord] = []
    misses: list[MissRecord] = []
    # One SNR at a time, each with other speech of its own: only its clips are kept in memory.
    for position, snr_db in enumerate(config.snrs_db):
        with tqdm(
            desc=f"other speech, {snr_db:g} dB", unit="clip", disable=not show_progress
        ) as bar:
            other = speak_for(speaker, others, config.other_minutes * 60, bar.update)
        streams = plan_streams(
            wake_clips + other, config.stream_seconds, seed=config.seed * 1000 + position
        )
        corpus.add(snr_db, other, len(streams))
        total = len(streams) * len(config.designs)
        with tqdm(
            total=total, desc=f"listening, {snr_db:g} dB", unit="stream", disable=not show_progress
        ) as bar:
            for plan in streams:
                audio, spans = plan.render(snr_db)
                for design in config.designs:
                    found, cpu = listen(detectors[design], audio, config.chunk)
                    scored, missed = score_stream(found, spans, config.tolerance_s)
                    tallies[(design, snr_db)].add(spans, scored, missed, audio, cpu)
                    detections += [_record(design, snr_db, plan.index, item) for item in scored]
                    misses += [_miss(design, snr_db, plan.index, span) for span in missed]
                    bar.update(1)

    rows = [tallies[(d, snr)].row(d, snr) for snr in config.snrs_db for d in config.designs]
    return WakeBenchReport(
        config=config,
        corpus=corpus.summary(data.phrases, len(wake_clips)),
        rows=rows,
        summaries={
            design: {_snr_key(r.snr_db): r.summary() for r in rows if r.design == design}
            for design in config.designs
        },
        phrases=[
            PhraseRow(design=d, snr_db=snr, phrase=p, utterances=counts[0], misses=counts[1])
            for snr in config.snrs_db
            for d in config.designs
            for p, counts in tallies[(d, snr)].by_phrase.items()
        ],
        detections=detections,
        misses=misses,
    )


def _record(design: str, snr_db: float, stream: int, item: ScoredDetection) -> DetectionRecord:
    span = item.span
    return DetectionRecord(
        design=design,
        snr_db=snr_db,
        stream=stream,
        at=round(item.detection.at, 3),
        phrase=item.detection.phrase,
        outcome=item.outcome,
        said=span.utterance.text if span else None,
        voice=span.utterance.voice.name if span else None,
        after_end=round(item.detection.at - span.end, 3) if span else None,
        expected=span.utterance.phrase if span and item.outcome != "false accept" else None,
    )


def _miss(design: str, snr_db: float, stream: int, span: Span) -> MissRecord:
    assert span.utterance.phrase is not None
    return MissRecord(
        design=design,
        snr_db=snr_db,
        stream=stream,
        start=round(span.start, 3),
        end=round(span.end, 3),
        phrase=span.utterance.phrase,
        said=span.utterance.text,
        voice=span.utterance.voice.name,
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = True) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _mark(ok: bool) -> str:
    return " ok" if ok else " !!"


LABEL = 26


def format_table(report: WakeBenchReport) -> str:
    """Designs side by side, one block per SNR; `ok` / `!!` against the targets."""
    designs = report.config.designs
    column = max(14, *(len(d) + 2 for d in designs))
    header = _pad("", LABEL, right=False) + "".join(_pad(d, column) for d in designs) + "   target"
    lines = [header, "-" * _width(header)]
    for snr_db in report.config.snrs_db:
        rows = [report.row(d, snr_db) for d in designs]
        miss_target = snr_db == TARGET_MISS_SNR_DB
        cells = {
            "misses %": [
                f"{r.miss_percent:.1f}"
                + (_mark(r.miss_percent <= TARGET_MISS_PERCENT) if miss_target else "   ")
                for r in rows
            ],
            "false accepts/h": [
                f"{r.false_accepts_per_hour:.1f}"
                + _mark(r.false_accepts_per_hour <= TARGET_FALSE_ACCEPTS_PER_HOUR)
                for r in rows
            ],
            "  of them late": [f"{r.late}" + "   " for r in rows],
            "CPU % of a core": [
                f"{r.cpu_percent:.1f}" + _mark(r.cpu_percent <= TARGET_CPU_PERCENT) for r in rows
            ],
            "hours of speech": [
                f"{r.other_speech_hours:.3f}/{r.audio_hours:.3f}" + "   " for r in rows
            ],
        }
        targets = {
            "misses %": f"<= {TARGET_MISS_PERCENT:g}" if miss_target else "",
            "false accepts/h": f"<= {TARGET_FALSE_ACCEPTS_PER_HOUR:g}",
            "  of them late": "",
            "CPU % of a core": f"<= {TARGET_CPU_PERCENT:g}",
            "hours of speech": "",
        }
        for index, (name, values) in enumerate(cells.items()):
            label = f"{snr_db:>4g} dB  " if index == 0 else " " * 9
            lines.append(
                _pad(label + name, LABEL, right=False)
                + "".join(_pad(v, column) for v in values)
                + f"   {targets[name]}".rstrip()
            )
    first = report.rows[0]
    lines += [
        f"{first.wake_utterances} wake utterances per SNR; the misses target holds at "
        f"{TARGET_MISS_SNR_DB:g} dB; !! = target missed.",
        f"late = false accepts (a count) up to {LATE_S:g} s after a wake utterance: slow hits?",
        "hours = other speech / all audio fed. CPU = process CPU seconds inside feed per "
        "audio second,",
        "all threads (two-stage includes its Whisper confirmations).",
        "",
        format_phrase_table(report),
    ]
    return "\n".join(line.rstrip() for line in lines)


def format_phrase_table(report: WakeBenchReport) -> str:
    designs = report.config.designs
    column = max(12, *(len(d) + 2 for d in designs))
    header = _pad("misses % by phrase (count)", LABEL, right=False) + "".join(
        _pad(d, column) for d in designs
    )
    lines = [header]
    for snr_db in report.config.snrs_db:
        for phrase in report.corpus.phrases:
            values = []
            for design in designs:
                row = next(
                    (
                        p
                        for p in report.phrases
                        if p.design == design and p.snr_db == snr_db and p.phrase == phrase
                    ),
                    None,
                )
                values.append(
                    f"{100 * row.misses / row.utterances:.1f} ({row.utterances})" if row else "-"
                )
            label = _pad(f"{snr_db:>4g} dB  {phrase}", LABEL, right=False)
            lines.append(label + "".join(_pad(v, column) for v in values))
    return "\n".join(lines)
