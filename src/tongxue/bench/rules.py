"""`tongxue bench rules`: how long the deterministic parser takes per utterance.

Every utterance is timed on its own with `time.perf_counter_ns`, `repeat` times, after one
warm-up pass. Two baselines run in the same process on the same texts so the numbers read
side by side: the normalisation step alone (the floor any parser pays), and a plain
`re.fullmatch` over a fixed set of command patterns (what a minimal regex matcher costs).
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel

from tongxue.dialogue.rules import RuleParser
from tongxue.dialogue.rules.normalize import normalize

# A regex matcher of the kind a first prototype would have: whole-utterance patterns.
_BASELINE_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"(?:打开|关闭)(?:主驾|副驾|后排)?车窗",
        r"(?:主驾|副驾|后排)?车窗(?:打开|关上|开一点|开一半)",
        r"温度调到(\d+)度",
        r"(?:打开|关闭)空调",
        r"风量调到(\d)档",
        r"(?:打开|关闭)座椅(?:加热|通风|按摩)",
        r"音量调到(\d+)",
        r"(?:声音|音量)(?:大|小)一点",
        r"播放(.+)",
        r"导航到(.+)",
        r"(?:open|close) the (?:driver|passenger)?\s?window",
        r"set the temperature to (\d+)(?: degrees)?",
        r"turn (?:on|off) the (?:ac|air conditioning)",
        r"set the fan (?:speed )?to (\d)",
        r"turn (?:on|off) (?:the )?seat (?:heating|ventilation|massage)",
        r"(?:set the )?volume to (\d+)",
        r"louder|quieter",
        r"play (.+)",
        r"navigate to (.+)",
        r"(?:un)?mute",
    )
)


class LatencyStats(BaseModel):
    """Per-utterance latency over all timed runs, in milliseconds."""

    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float


class RulesBenchReport(BaseModel):
    count: int  # distinct utterances
    accepted: int  # utterances the parser understood (did not hand on)
    repeat: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    baseline_normalize: LatencyStats
    baseline_regex: LatencyStats


def _percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _stats(samples_ns: Sequence[int]) -> LatencyStats:
    ordered = sorted(value / 1e6 for value in samples_ns)
    return LatencyStats(
        p50_ms=_percentile(ordered, 0.50),
        p95_ms=_percentile(ordered, 0.95),
        p99_ms=_percentile(ordered, 0.99),
        max_ms=ordered[-1],
        mean_ms=statistics.fmean(ordered),
    )


def _time_each(
    texts: Sequence[str],
    repeat: int,
    work: Callable[[str], object],
    before: Callable[[], object] | None = None,
) -> list[int]:
    for text in texts:
        work(text)  # warm-up: lazy imports, regex caches
    samples: list[int] = []
    for _ in range(repeat):
        for text in texts:
            if before is not None:
                before()  # a repeat must cost what the first time did, not a cache hit
            start = time.perf_counter_ns()
            work(text)
            samples.append(time.perf_counter_ns() - start)
    return samples


def _regex_baseline(text: str) -> bool:
    lowered = text.strip().lower()
    return any(pattern.fullmatch(lowered) for pattern in _BASELINE_PATTERNS)


def bench_rules(texts: Sequence[str], repeat: int = 20) -> RulesBenchReport:
    """Time `RuleParser.parse` on every text, with the two baselines on the same texts."""
    if not texts:
        raise ValueError("bench_rules needs at least one text")
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    parser = RuleParser()
    accepted = sum(parser.parse(text) is not None for text in texts)
    parse_stats = _stats(_time_each(texts, repeat, parser.parse, before=RuleParser.forget))
    return RulesBenchReport(
        count=len(texts),
        accepted=accepted,
        repeat=repeat,
        **parse_stats.model_dump(),
        baseline_normalize=_stats(_time_each(texts, repeat, normalize)),
        baseline_regex=_stats(_time_each(texts, repeat, _regex_baseline)),
    )


def texts_from_eval_file(path: Path) -> list[str]:
    """Every turn of an evaluation file (the contract's JSON Lines format), in order."""
    texts: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.extend(json.loads(line)["turns"])
    return texts


def format_rules_table(report: RulesBenchReport) -> str:
    """The parser beside its baselines, per utterance, in milliseconds."""
    normalize, regex = report.baseline_normalize, report.baseline_regex
    rows = [
        ("rule parser", report.p50_ms, report.p95_ms, report.p99_ms, report.max_ms),
        (
            "baseline: normalise only",
            normalize.p50_ms,
            normalize.p95_ms,
            normalize.p99_ms,
            normalize.max_ms,
        ),
        ("baseline: one regex pass", regex.p50_ms, regex.p95_ms, regex.p99_ms, regex.max_ms),
    ]
    lines = [
        f"{report.count} utterances x {report.repeat}; the parser accepted {report.accepted}",
        f"{'':26} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}",
    ]
    lines += [
        f"{name:26} {p50:8.3f} {p95:8.3f} {p99:8.3f} {top:8.3f}"
        for name, p50, p95, p99, top in rows
    ]
    verdict = "met" if report.p99_ms < 5.0 else "MISSED"
    lines.append(f"p99 under 5 ms per turn: {verdict}")
    return "\n".join(lines)
