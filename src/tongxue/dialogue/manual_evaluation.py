"""Figures for owner's-manual evaluation files: each ranking's recall@3 and MRR side by side,
answer accuracy, refusals of what the manual cannot answer, and live-status answers.

A case with `sections` is a manual question ([] when the manual has no answer); a case
without it, in the same file, is a live-status question.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from tongxue.dialogue.evaluation import CaseReport, EvalCase, Tally
from tongxue.dialogue.language import detect_language
from tongxue.manual.search import Hit, ManualSearch

RANKINGS = ("fused", "keyword", "meaning")
_RANKING_NAMES = {
    "fused": "fused (RRF)",
    "keyword": "BM25 (jieba) alone",
    "meaning": "embeddings alone",
}


class RankingScore(BaseModel):
    ranking: str
    questions: int
    recall_at_3: float
    mrr: float


class ManualScores(BaseModel):
    rankings: list[RankingScore]
    answers: Tally
    refusals: Tally
    status: Tally
    retrieval_p50_ms: float = 0.0
    retrieval_p95_ms: float = 0.0


def is_manual_file(cases: Sequence[EvalCase]) -> bool:
    return any(case.sections is not None for case in cases)


def _rank_of(hits: Sequence[Hit], wanted: Sequence[str]) -> int | None:
    for hit in hits:
        if hit.section.id in wanted:
            return hit.rank
    return None


def retrieval_scores(search: ManualSearch, cases: Sequence[EvalCase]) -> list[RankingScore]:
    """Recall@3 and mean reciprocal rank (over the top 3) of each ranking, on the cases
    that name their sections."""
    answerable = [case for case in cases if case.sections]
    found = dict.fromkeys(RANKINGS, 0)
    reciprocal = dict.fromkeys(RANKINGS, 0.0)
    for case in answerable:
        question = case.turns[-1]
        result = search.search(question, detect_language(question), k=3)
        for name in RANKINGS:
            rank = _rank_of(getattr(result, name), case.sections or ())
            if rank is not None:
                found[name] += 1
                reciprocal[name] += 1.0 / rank
    count = max(len(answerable), 1)
    return [
        RankingScore(
            ranking=name,
            questions=len(answerable),
            recall_at_3=found[name] / count,
            mrr=reciprocal[name] / count,
        )
        for name in RANKINGS
    ]


def manual_scores(
    search: ManualSearch, cases: Sequence[EvalCase], reports: Sequence[CaseReport]
) -> ManualScores:
    by_id = {report.id: report for report in reports}
    answers, refusals, status = Tally(), Tally(), Tally()
    for case in cases:
        report = by_id.get(case.id)
        if report is None:
            continue
        tally = status if case.sections is None else answers if case.sections else refusals
        if report.passed:
            tally.passed += 1
        else:
            tally.failed += 1
    return ManualScores(
        rankings=retrieval_scores(search, cases),
        answers=answers,
        refusals=refusals,
        status=status,
    )


def format_manual_scores(scores: ManualScores) -> str:
    questions = scores.rankings[0].questions if scores.rankings else 0
    lines = [f"manual retrieval ({questions} answerable questions):   recall@3     MRR"]
    for score in scores.rankings:
        name = _RANKING_NAMES[score.ranking]
        lines.append(f"  {name:36} {score.recall_at_3:8.1%} {score.mrr:8.3f}")

    def line(name: str, tally: Tally) -> str:
        return f"  {name:36} {tally.passed:4}/{tally.total:<4} {tally.rate:7.1%}"

    lines.append("manual answers:")
    lines.append(line("correct (facts and a right citation)", scores.answers))
    lines.append(line("unanswerable, refused", scores.refusals))
    lines.append(line("live status, correct", scores.status))
    return "\n".join(lines)
