"""`tongxue bench decoding`: the figures, decisions and tables from hand-made numbers, and one
tiny real run of both parts that checks the report's shape (never its timings)."""

from __future__ import annotations

import pytest

from tongxue.bench.decoding import (
    DECISION_RULE,
    BatchingReport,
    DecodingBenchReport,
    DecodingBenchSettings,
    Generation,
    LookupReport,
    LookupResult,
    ModeResult,
    RequestTiming,
    StreamsResult,
    batching_decision,
    batching_decision_text,
    common_prefix,
    format_batching_table,
    format_lookup_table,
    format_tables,
    gain,
    lookup_result,
    lookup_verdict,
    lookup_verdict_text,
    mode_result,
    queued_mode,
    run_decoding_bench,
    streams_context_size,
)


def mode(tokens_per_second: float) -> ModeResult:
    return ModeResult(
        aggregate_tokens_per_second=tokens_per_second,
        ttft_p50_ms=150.0,
        ttft_max_ms=900.0,
        wall_s=3.0,
    )


def streams_result(streams: int, sequential: float, batched: float) -> StreamsResult:
    return StreamsResult(
        streams=streams,
        tokens_per_stream=64,
        sequential=mode(sequential),
        batched=mode(batched),
        gain=batched / sequential,
        stream0_same_tokens=streams != 8,
        stream0_matching_tokens=64 if streams != 8 else 51,
    )


def batching_report(*results: StreamsResult) -> BatchingReport:
    at, default = batching_decision(results)
    return BatchingReport(
        kv_unified=True,
        results=list(results),
        rule=DECISION_RULE,
        gain_at_rule_streams=at,
        batched_default=default,
    )


def lookup(kind: str, pred: int, speedup: float, identical: int = 4) -> LookupResult:
    return LookupResult(
        kind=kind,
        num_pred_tokens=pred,
        prompts=4,
        tokens=120,
        plain_decode_tokens_per_second=20.0,
        lookup_decode_tokens_per_second=20.0 * speedup,
        decode_speedup=speedup,
        plain_request_ms=1000.0,
        lookup_request_ms=1000.0 / speedup,
        speedup=speedup,
        identical_outputs=identical,
    )


# --- figures ---------------------------------------------------------------------------------


def test_mode_result_counts_every_token_over_the_wall_time() -> None:
    result = mode_result([0.1, 0.3, 0.2, 1.0], wall_s=8.0, tokens=256)
    assert result.aggregate_tokens_per_second == 32.0
    assert result.ttft_p50_ms == pytest.approx(250.0)
    assert result.ttft_max_ms == pytest.approx(1000.0)
    assert result.wall_s == 8.0


def test_queued_requests_wait_for_the_ones_ahead() -> None:
    requests = [
        RequestTiming(first_token_s=0.2, duration_s=1.0),
        RequestTiming(first_token_s=0.3, duration_s=2.0),
        RequestTiming(first_token_s=0.1, duration_s=1.5),
    ]
    result = queued_mode(requests, tokens_each=9)
    assert result.ttft_p50_ms == pytest.approx(1300.0)
    assert result.ttft_max_ms == pytest.approx(3100.0)
    assert result.wall_s == pytest.approx(4.5)
    assert result.aggregate_tokens_per_second == pytest.approx(6.0)
    alone = queued_mode(requests[:1], tokens_each=9)
    assert alone.ttft_max_ms == pytest.approx(200.0)
    assert alone.aggregate_tokens_per_second == pytest.approx(9.0)


def test_common_prefix_counts_the_leading_tokens_that_agree() -> None:
    assert common_prefix([1, 2, 3, 4], [1, 2, 9, 4]) == 2
    assert common_prefix([1, 2, 3], [1, 2, 3]) == 3
    assert common_prefix([5], [6]) == 0
    assert common_prefix([1, 2], [1, 2, 3]) == 2


def test_gain_is_batched_over_sequential() -> None:
    assert gain(mode(21.4), mode(36.6)) == pytest.approx(36.6 / 21.4)
    assert gain(mode(40.0), mode(20.0)) == pytest.approx(0.5)


def test_context_holds_every_prompt_and_its_tokens_rounded_to_256() -> None:
    assert streams_context_size([[1] * 64, [1] * 64], 64) == 256
    assert streams_context_size([[1] * 65, [1] * 64], 64) == 512
    assert streams_context_size([[1] * 192], 64) == 256


def test_lookup_result_sums_the_prompts_of_a_kind() -> None:
    plain = [
        Generation(tokens=[1] * 11, decode_s=0.5, request_s=0.8),
        Generation(tokens=[2] * 21, decode_s=1.0, request_s=1.2),
    ]
    faster = [
        Generation(tokens=[1] * 11, decode_s=0.25, request_s=0.6),
        Generation(tokens=[3] * 21, decode_s=0.5, request_s=0.4),
    ]
    result = lookup_result("tool call", 5, plain, faster)
    assert result.plain_decode_tokens_per_second == pytest.approx(30 / 1.5)
    assert result.lookup_decode_tokens_per_second == pytest.approx(30 / 0.75)
    assert result.decode_speedup == pytest.approx(2.0)
    assert result.plain_request_ms == pytest.approx(1000.0)
    assert result.lookup_request_ms == pytest.approx(500.0)
    assert result.speedup == pytest.approx(2.0)
    assert result.identical_outputs == 1
    assert result.tokens == 32


# --- decisions -------------------------------------------------------------------------------


def test_batched_becomes_default_at_exactly_the_required_gain() -> None:
    at, default = batching_decision([streams_result(4, 20.0, 36.0)])
    assert at == pytest.approx(1.8)
    assert default
    at, default = batching_decision([streams_result(1, 20.0, 20.0), streams_result(4, 20.0, 35.8)])
    assert at == pytest.approx(1.79)
    assert not default


def test_gain_elsewhere_does_not_decide() -> None:
    at, default = batching_decision([streams_result(2, 20.0, 40.0), streams_result(8, 20.0, 60.0)])
    assert at is None
    assert not default
    assert "not measured" in batching_decision_text(batching_report(streams_result(8, 20, 60)))


def test_decision_text_names_the_outcome() -> None:
    kept = batching_decision_text(batching_report(streams_result(4, 21.4, 36.6)))
    assert kept == "gain at 4 streams: 1.71× -> the sequential queue stays the default"
    won = batching_decision_text(batching_report(streams_result(4, 20.0, 40.0)))
    assert won == "gain at 4 streams: 2.00× -> batched becomes the default"


def test_lookup_wins_with_its_best_setting() -> None:
    verdict = lookup_verdict(
        "tool call", [lookup("tool call", 2, 1.2), lookup("tool call", 5, 1.4)]
    )
    assert verdict.wins
    assert verdict.best_num_pred_tokens == 5
    assert lookup_verdict_text(verdict) == (
        "tool call: lookup wins (best num_pred_tokens 5, 1.40× a request)"
    )


def test_lookup_loses_when_slower_or_when_it_changes_the_text() -> None:
    slower = lookup_verdict("chat", [lookup("chat", 2, 0.9), lookup("tool call", 2, 3.0)])
    assert not slower.wins
    assert slower.speedup == pytest.approx(0.9)
    changed = lookup_verdict("chat", [lookup("chat", 2, 1.5, identical=3)])
    assert not changed.wins
    assert lookup_verdict_text(changed).startswith("chat: lookup loses")
    assert "output text changed" in lookup_verdict_text(changed)


# --- tables ----------------------------------------------------------------------------------


def test_batching_table_columns_line_up() -> None:
    report = batching_report(
        streams_result(1, 21.4, 21.3), streams_result(4, 21.4, 36.6), streams_result(8, 21.0, 39.9)
    )
    lines = format_batching_table(report, model="tiny", n_threads=2).splitlines()
    header, rows = lines[2], lines[3:6]
    assert header.split()[0] == "streams"
    assert {len(row) for row in rows} == {len(header)}
    assert rows[1].split() == [
        "4", "21.4", "150", "900", "3.00", "36.6", "150", "900", "3.00", "1.71×", "64/64",
    ]  # fmt: skip
    assert rows[2].endswith(" 51/64")
    assert lines[-2] == f"decision rule: {DECISION_RULE}"
    assert DECISION_RULE == ("batched becomes the default only if the gain at 4 streams is ≥ 1.8×")
    assert lines[-1].endswith("the sequential queue stays the default")


def test_lookup_table_columns_line_up_and_give_a_verdict_per_kind() -> None:
    results = [lookup("tool call", 2, 1.25), lookup("chat", 2, 0.8, identical=4)]
    report = LookupReport(
        max_ngram_size=2,
        max_tokens=96,
        results=results,
        verdicts=[lookup_verdict("tool call", results), lookup_verdict("chat", results)],
    )
    lines = format_lookup_table(report).splitlines()
    header, rows = lines[1], lines[2:4]
    assert {len(row) for row in rows} == {len(header)}
    assert rows[0].split()[-2:] == ["1.25×", "4/4"]
    assert lines[-2] == "  tool call: lookup wins (best num_pred_tokens 2, 1.25× a request)"
    assert lines[-1] == "  chat: lookup loses (best num_pred_tokens 2, 0.80× a request)"


def test_both_tables_print_one_after_the_other() -> None:
    results = [lookup("chat", 5, 1.1)]
    report = DecodingBenchReport(
        model="tiny",
        n_threads=2,
        cpu_count=2,
        load_average=0.5,
        batching=batching_report(streams_result(4, 20.0, 40.0)),
        lookup=LookupReport(
            max_ngram_size=2,
            max_tokens=96,
            results=results,
            verdicts=[lookup_verdict("chat", results)],
        ),
    )
    text = format_tables(report)
    assert text.startswith("machine: 2 cores, load average 0.50 at start\n\nPart 1:")
    assert "\n\nPart 2:" in text
    assert "batched becomes the default" in text


# --- the real model --------------------------------------------------------------------------


@pytest.mark.real_model
@pytest.mark.slow
def test_real_run_gives_a_complete_report() -> None:
    from tongxue.config import Settings
    from tongxue.models.store import ModelStore

    resolved = ModelStore(Settings()).resolve()
    report = run_decoding_bench(
        resolved.path,
        model_name=resolved.name,
        settings=DecodingBenchSettings(
            streams=(1, 2), tokens=8, pred_tokens=(2,), lookup_max_tokens=8, prompts_per_kind=1
        ),
        n_threads=1,  # no thread waits on another when the suite shares the machine
    )
    assert [r.streams for r in report.batching.results] == [1, 2]
    assert all(r.tokens_per_stream == 8 for r in report.batching.results)
    assert all(0 <= r.stream0_matching_tokens <= 8 for r in report.batching.results)
    assert report.batching.gain_at_rule_streams is None  # 4 streams were not run
    assert not report.batching.batched_default
    assert [(r.kind, r.num_pred_tokens, r.prompts) for r in report.lookup.results] == [
        ("tool call", 2, 1),
        ("chat", 2, 1),
    ]
    assert all(0 < r.tokens <= 8 for r in report.lookup.results)
    assert [v.kind for v in report.lookup.verdicts] == ["tool call", "chat"]
    assert DecodingBenchReport.model_validate_json(report.model_dump_json()) == report
    assert "Part 2:" in format_tables(report)
