"""`tongxue bench manual` and the manual figures of `tongxue eval`, on a few real questions."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tongxue.bench.manual import ManualBench, format_table
from tongxue.cli.main import app
from tongxue.dialogue.evaluation import CaseReport, EvalCase
from tongxue.dialogue.manual_evaluation import format_manual_scores, manual_scores
from tongxue.manual import ManualSearch

QUESTIONS = ["儿童锁怎么打开", "how long does DC fast charging take", "胎压一般打多少合适"]


async def test_the_bench_times_each_ranking_and_the_first_answer_text(
    manual_search: ManualSearch,
) -> None:
    report = await ManualBench(manual_search, None).run(QUESTIONS, answers=3)
    assert [row.name for row in report.retrieval] == [
        "fused (RRF)",
        "BM25 (jieba) alone",
        "embeddings alone",
    ]
    assert all(row.count == 3 and 0 < row.p50_ms <= row.p95_ms for row in report.retrieval)
    [answers] = report.answers
    assert answers.name == "passage words" and answers.count == 3
    assert answers.first_text_p50_ms <= answers.total_p50_ms
    table = format_table(report)
    assert "fused (RRF)" in table and "first p95" in table


def _report(case_id: str, passed: bool) -> CaseReport:
    return CaseReport(
        id=case_id, passed=passed, final_state={}, refused=False, turns=[], category="manual",
        route="manual",
    )  # fmt: skip


def test_manual_scores_count_each_kind_of_question(manual_search: ManualSearch) -> None:
    cases = [
        EvalCase(
            id="a", turns=["儿童锁怎么打开"], sections=["child-lock"], reply_contains=["儿童锁"]
        ),
        EvalCase(id="b", turns=["how do I fit a tow bar"], sections=[], reply_contains=["manual"]),
        EvalCase(id="c", turns=["胎压正常吗"], reply_contains=["250"]),
    ]
    reports = [_report("a", True), _report("b", False), _report("c", True)]
    scores = manual_scores(manual_search, cases, reports)
    assert (scores.answers.passed, scores.answers.total) == (1, 1)
    assert (scores.refusals.passed, scores.refusals.total) == (0, 1)
    assert (scores.status.passed, scores.status.total) == (1, 1)
    fused = scores.rankings[0]
    assert fused.ranking == "fused" and fused.questions == 1
    assert fused.recall_at_3 == 1.0 and fused.mrr == 1.0
    assert "BM25 (jieba) alone" in format_manual_scores(scores)


def test_eval_prints_the_manual_figures(tmp_path: Path) -> None:
    cases = tmp_path / "manual.jsonl"
    cases.write_text(
        '{"id": "manual-zh-001", "turns": ["儿童锁怎么打开"], "sections": ["child-lock"], '
        '"reply_contains": ["儿童锁"]}\n'
        '{"id": "manual-status-zh-001", "state": {"energy.range_km": 321}, '
        '"turns": ["续航还有多少"], "reply_contains": ["321"]}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", str(cases), "--no-llm"])
    assert result.exit_code == 0, result.output
    assert "manual retrieval (1 answerable questions)" in result.output
    assert "live status, correct" in result.output
    assert result.output.strip().endswith("2 passed, 0 failed")
