"""`tongxue bench manual`: how fast the manual answers, each side beside the fused search.

Retrieval: p50/p95 of a fused search (jieba + BM25, E5 query + sqlite-vec, RRF) and of each
side alone, on the evaluation questions. Answers: time to the first answer text and to the
whole answer, with the passage's own words (no model) beside the model's paraphrase.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pydantic import BaseModel

from tongxue.bench.server import percentiles
from tongxue.dialogue.language import detect_language
from tongxue.dialogue.manual_answers import ManualAnswer, ManualDesk
from tongxue.engine.base import ChatEngine
from tongxue.manual.search import ManualSearch


class Latency(BaseModel):
    name: str
    count: int
    p50_ms: float
    p95_ms: float


class AnswerLatency(BaseModel):
    name: str
    count: int
    first_text_p50_ms: float
    first_text_p95_ms: float
    total_p50_ms: float
    total_p95_ms: float


class ManualBenchReport(BaseModel):
    sections: int
    retrieval: list[Latency]
    answers: list[AnswerLatency]


def _latency(name: str, values: Sequence[float]) -> Latency:
    ranked = percentiles(values)
    return Latency(name=name, count=len(values), p50_ms=ranked["p50"], p95_ms=ranked["p95"])


class ManualBench:
    def __init__(self, search: ManualSearch, engine: ChatEngine | None) -> None:
        self.search = search
        self.engine = engine

    def _retrieval(self, questions: Sequence[str]) -> list[Latency]:
        fused: list[float] = []
        keyword: list[float] = []
        meaning: list[float] = []
        self.search.search(questions[0], detect_language(questions[0]))  # warm-up
        for question in questions:
            language = detect_language(question)
            started = time.perf_counter()
            self.search.search(question, language, k=3)
            fused.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            self.search.keyword_ranking(self.search.splitter.terms(question, language), language)
            keyword.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            self.search.index.nearest(question, language, 20)
            meaning.append((time.perf_counter() - started) * 1000)
        return [
            _latency("fused (RRF)", fused),
            _latency("BM25 (jieba) alone", keyword),
            _latency("embeddings alone", meaning),
        ]

    async def _answers(
        self, desk: ManualDesk, name: str, questions: Sequence[str]
    ) -> AnswerLatency:
        first: list[float] = []
        total: list[float] = []
        for question in questions:
            started = time.perf_counter()
            consultation = desk.consult(question, detect_language(question))
            if consultation is None:
                continue
            first_at: float | None = None
            async for piece in desk.answer(consultation):
                if first_at is None and not isinstance(piece, ManualAnswer):
                    first_at = time.perf_counter()
            done = time.perf_counter()
            first.append(((first_at or done) - started) * 1000)
            total.append((done - started) * 1000)
        return AnswerLatency(
            name=name,
            count=len(first),
            first_text_p50_ms=percentiles(first)["p50"],
            first_text_p95_ms=percentiles(first)["p95"],
            total_p50_ms=percentiles(total)["p50"],
            total_p95_ms=percentiles(total)["p95"],
        )

    async def run(self, questions: Sequence[str], *, answers: int = 8) -> ManualBenchReport:
        if not questions:
            raise ValueError("no questions to measure")
        report = ManualBenchReport(
            sections=len(self.search.manual.ids), retrieval=self._retrieval(questions), answers=[]
        )
        # Spread the answered questions over the file (it is ordered by language and kind).
        step = max(1, len(questions) // max(answers, 1))
        sample = list(questions[::step])[:answers] if answers else []
        if sample:
            extractive = ManualDesk(self.search, None)
            report.answers.append(await self._answers(extractive, "passage words", sample))
            if self.engine is not None:
                model = ManualDesk(self.search, self.engine)
                report.answers.append(await self._answers(model, "model paraphrase", sample))
        return report


def format_table(report: ManualBenchReport) -> str:
    lines = [
        f"manual retrieval over {report.sections} sections a language "
        f"({report.retrieval[0].count} questions):",
        f"  {'':24} {'p50 ms':>9} {'p95 ms':>9}",
    ]
    for row in report.retrieval:
        lines.append(f"  {row.name:24} {row.p50_ms:9.1f} {row.p95_ms:9.1f}")
    if report.answers:
        lines.append(f"answers ({report.answers[0].count} questions):")
        lines.append(
            f"  {'':24} {'first p50':>10} {'first p95':>10} {'total p50':>10} {'total p95':>10}"
        )
        for answer in report.answers:
            lines.append(
                f"  {answer.name:24} {answer.first_text_p50_ms:10.0f} "
                f"{answer.first_text_p95_ms:10.0f} {answer.total_p50_ms:10.0f} "
                f"{answer.total_p95_ms:10.0f}"
            )
    return "\n".join(lines)
