"""The spoken-command bench's report: every case, and per language, SNR and recognizer the
error rate, the command accuracy and the latency, with plain and guided side by side.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from tongxue.voice.error_rate import Edits, pooled_rate

TARGET_LANGUAGE = "zh"
TARGET_SNR_DB = 10.0
TARGET_GAIN_POINTS = 15.0
TARGET_LATENCY_RATIO = 1.2


class Heard(BaseModel):
    """One recognizer's result for one case."""

    text: str
    errors: int = Field(description="Character (zh) or word (en) edits against what was said.")
    units: int = Field(description="Characters (zh) or words (en) in what was said.")
    acted: bool = Field(
        True, description="The assistant would act on it (not: 'I didn't catch that')."
    )
    right: bool = Field(description="The car came out as the words said.")
    wrong_action: bool = Field(
        False, description="The car changed, but not as the words said: the costly mistake."
    )
    ms: float = Field(description="Recognition time, rescoring included.")


class CommandCaseResult(BaseModel):
    said: str
    language: str
    topic: str
    source: str
    variant: str
    snr_db: float | None = Field(description="Speech above the car noise; None: no noise.")
    heard: dict[str, Heard]


class BenchCell(BaseModel):
    """One language at one SNR, through one recognizer."""

    language: str
    snr_db: float | None
    recognizer: str
    cases: int
    error_rate: float
    accuracy: float
    wrong_actions: float = Field(0.0, description="Share of cases the car did the wrong thing.")
    p50_ms: float
    p95_ms: float


class CommandBenchReport(BaseModel):
    recognizers: list[str]
    beams: int
    hotwords: list[str]
    cells: list[BenchCell]
    cases: list[CommandCaseResult]

    def cell(self, language: str, snr_db: float | None, recognizer: str) -> BenchCell | None:
        for cell in self.cells:
            if (cell.language, cell.snr_db, cell.recognizer) == (language, snr_db, recognizer):
                return cell
        return None

    def format_table(self) -> str:
        """The first two recognizers side by side, per language and SNR."""
        base, other = self.recognizers[0], self.recognizers[-1]
        header = (
            f"{'lang':<4} {'SNR':>6} {'n':>4} | {base + ' err':>11} {'acc':>6} {'wrong':>6} "
            f"{'p50':>5} {'p95':>5} | {other + ' err':>11} {'acc':>6} {'wrong':>6} {'p50':>5} "
            f"{'p95':>5} | {'Δacc':>6} {'lat×':>5}  target"
        )
        lines = [header, "-" * len(header)]
        for language, snr_db in _groups(self.cells):
            first = self.cell(language, snr_db, base)
            second = self.cell(language, snr_db, other)
            if first is None or second is None:
                continue
            gain = 100 * (second.accuracy - first.accuracy)
            ratio = second.p50_ms / first.p50_ms if first.p50_ms > 0 else math.inf
            lines.append(
                f"{language:<4} {_snr_label(snr_db):>6} {first.cases:>4} | "
                f"{_pct(first.error_rate):>11} {_pct(first.accuracy):>6} "
                f"{_pct(first.wrong_actions):>6} {first.p50_ms:>5.0f} "
                f"{first.p95_ms:>5.0f} | {_pct(second.error_rate):>11} "
                f"{_pct(second.accuracy):>6} {_pct(second.wrong_actions):>6} "
                f"{second.p50_ms:>5.0f} {second.p95_ms:>5.0f} | "
                f"{gain:>+6.1f} {ratio:>5.2f}  {_target_mark(language, snr_db, gain, ratio)}"
            )
        lines.append(
            "err: character (zh) / word (en) error rate; acc: the car came out as said; "
            "wrong: the car did something not said; p50/p95: recognition ms; Δacc: points; "
            "lat×: p50 ratio."
        )
        lines.append(
            f"target: {TARGET_LANGUAGE} at {TARGET_SNR_DB:.0f} dB, Δacc ≥ "
            f"{TARGET_GAIN_POINTS:.0f} points with lat× ≤ {TARGET_LATENCY_RATIO}."
        )
        return "\n".join(lines)

    def common_failures(self, recognizer: str, top: int = 10) -> list[tuple[str, int, list[str]]]:
        """The commands `recognizer` got wrong most often: (said, times, what it heard)."""
        counts: Counter[str] = Counter()
        heard: dict[str, list[str]] = defaultdict(list)
        for case in self.cases:
            result = case.heard.get(recognizer)
            if result is None or result.right:
                continue
            counts[case.said] += 1
            if result.text not in heard[case.said]:
                heard[case.said].append(result.text)
        return [(said, times, heard[said]) for said, times in counts.most_common(top)]

    def format_failures(self, recognizer: str, top: int = 10) -> str:
        failures = self.common_failures(recognizer, top)
        if not failures:
            return f"{recognizer}: no command missed."
        lines = [f"commonest {recognizer} failures (times missed, said → heard):"]
        for said, times, heard in failures:
            shown = " | ".join(repr(text) for text in heard[:3])
            lines.append(f"  {times}× {said} → {shown}")
        return "\n".join(lines)


def _groups(cells: Sequence[BenchCell]) -> list[tuple[str, float | None]]:
    seen: dict[tuple[str, float | None], None] = {}
    for cell in cells:
        seen.setdefault((cell.language, cell.snr_db), None)
    return list(seen)


def _pct(fraction: float) -> str:
    return f"{100 * fraction:.1f}%"


def _snr_label(snr_db: float | None) -> str:
    return "clean" if snr_db is None else f"{snr_db:g} dB"


def _target_mark(language: str, snr_db: float | None, gain: float, ratio: float) -> str:
    if language != TARGET_LANGUAGE or snr_db != TARGET_SNR_DB:
        return ""
    met = gain >= TARGET_GAIN_POINTS and ratio <= TARGET_LATENCY_RATIO
    return "ok" if met else "MISSED"


def summarize(cases: Sequence[CommandCaseResult], recognizers: Sequence[str]) -> list[BenchCell]:
    groups: dict[tuple[str, float | None], list[CommandCaseResult]] = defaultdict(list)
    for case in cases:
        groups[(case.language, case.snr_db)].append(case)
    cells = []
    for (language, snr_db), group in sorted(groups.items(), key=_group_order):
        for name in recognizers:
            heard = [case.heard[name] for case in group]
            times = np.array([h.ms for h in heard])
            cells.append(
                BenchCell(
                    language=language,
                    snr_db=snr_db,
                    recognizer=name,
                    cases=len(heard),
                    error_rate=round(pooled_rate([Edits(h.errors, h.units) for h in heard]), 4),
                    accuracy=round(statistics.fmean(h.right for h in heard), 4),
                    wrong_actions=round(statistics.fmean(h.wrong_action for h in heard), 4),
                    p50_ms=round(float(np.percentile(times, 50)), 1),
                    p95_ms=round(float(np.percentile(times, 95)), 1),
                )
            )
    return cells


def _group_order(item: tuple[tuple[str, float | None], object]) -> tuple[int, float]:
    (language, snr_db), _ = item
    # Chinese first, as the issue puts it; noisiest first, no noise last.
    return (0 if language == "zh" else 1, math.inf if snr_db is None else snr_db)
