"""`tongxue bench server` on the tiny model: both servers start, take the load, and report."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tongxue.bench.server import bench_servers, percentiles
from tongxue.cli.main import app as cli


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentiles(values) == {"p50": 50.0, "p95": 95.0, "p99": 99.0}
    assert percentiles([7.0]) == {"p50": 7.0, "p95": 7.0, "p99": 7.0}
    assert all(math.isnan(v) for v in percentiles([]).values())


@pytest.mark.slow
def test_bench_runs_both_servers_and_completes_every_request(tiny_model_path: Path) -> None:
    report = bench_servers(
        tiny_model_path, "tiny", clients=3, requests=6, max_tokens=4, n_ctx=1024, n_threads=2
    )
    ours, baseline, queued = report.results
    assert (ours.server, baseline.server) == ("tongxue serve", "llama_cpp.server")
    assert queued.server == "llama_cpp.server -i0" and queued.cut_short == 0
    # Every request is answered in full: none fails or is cut short by another.
    assert ours.ok == 6 and ours.errors == 0
    assert set(ours.finish_reasons) <= {"length", "stop"}
    assert sum(ours.finish_reasons.values()) == 6 and ours.cut_short == 0
    assert ours.ttft_ms["p50"] <= ours.ttft_ms["p99"] <= ours.latency_ms["p99"]
    assert ours.completion_tokens >= 6
    table = report.format_table()
    assert "tongxue serve" in table and "llama_cpp.server" in table and "TTFT p50" in table


@pytest.mark.slow
def test_bench_command_writes_its_report(tiny_model_path: Path, tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    result = CliRunner().invoke(
        cli,
        ["--model", str(tiny_model_path), "--n-ctx", "1024", "--data-dir", str(tmp_path),
         "bench", "server", "--clients", "2", "--requests", "2", "--max-tokens", "2",
         "--no-baseline", "--output", str(output)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(output.read_text())
    assert [r["server"] for r in report["results"]] == ["tongxue serve"]
    assert report["results"][0]["errors"] == 0
