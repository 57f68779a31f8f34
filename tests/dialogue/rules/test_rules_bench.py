"""The rules benchmark: numbers that make sense. The latency budget itself is measured by
`tongxue bench rules`, which prints it beside its baselines: a timed assertion here would
pass or fail with the machine's load, not with the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongxue.bench.rules import bench_rules, texts_from_eval_file

EVAL_FILE = Path(__file__).resolve().parents[3] / "evals" / "public.jsonl"
TEXTS = ["打开车窗", "温度调到二十二度", "turn on the AC and set the temperature to 22", "你好"]


def test_report_counts_and_orders_percentiles() -> None:
    report = bench_rules(TEXTS, repeat=3)
    assert (report.count, report.accepted, report.repeat) == (4, 3, 3)
    assert 0 < report.p50_ms <= report.p95_ms <= report.p99_ms <= report.max_ms
    assert report.baseline_normalize.max_ms > 0
    assert report.baseline_regex.p50_ms <= report.baseline_regex.max_ms


@pytest.mark.parametrize(("texts", "repeat"), [([], 1), (TEXTS, 0)])
def test_bad_arguments(texts: list[str], repeat: int) -> None:
    with pytest.raises(ValueError):
        bench_rules(texts, repeat=repeat)


@pytest.mark.skipif(not EVAL_FILE.exists(), reason="no public evaluation set")
def test_the_whole_public_set_runs_through_the_bench() -> None:
    texts = texts_from_eval_file(EVAL_FILE)
    assert len(texts) > 100
    report = bench_rules(texts, repeat=1)
    assert report.count == len(texts)
    assert 0 < report.accepted <= report.count
    assert 0 < report.p50_ms <= report.p99_ms <= report.max_ms
