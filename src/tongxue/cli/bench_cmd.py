"""`tongxue bench ...`: benchmarks that print numbers side by side with a baseline."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

from tongxue.cli.options import get_settings

app = typer.Typer(help="Benchmarks: each prints a table beside its baseline and writes JSON.")


def _write_json(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data + "\n", encoding="utf-8")
    typer.echo(f"wrote {path}")


@app.command("engine")
def bench_engine(
    ctx: typer.Context,
    repeats: Annotated[int, typer.Option(min=1, help="Rounds; the median is reported.")] = 3,
    decode_tokens: Annotated[
        int, typer.Option(min=8, help="Tokens generated per decode run.")
    ] = 96,
    output: Annotated[Path, typer.Option(help="Where to write the JSON report.")] = Path(
        "reports/bench-engine.json"
    ),
) -> None:
    """Raw llama-cpp-python against the Tongxue engine: TTFT cold and warm, decode speed."""
    from tongxue.bench.engine import EngineBench, format_table
    from tongxue.engine.llama_cpp_backend import LlamaCppEngine
    from tongxue.models.store import ModelStore

    settings = get_settings(ctx)
    resolved = ModelStore(settings).resolve(settings.model)
    if resolved.format != "gguf":
        raise typer.BadParameter("the engine benchmark needs a GGUF model (llama-cpp backend)")
    engine = LlamaCppEngine(
        resolved.path,
        model_name=resolved.name,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        n_batch=settings.n_batch,
        n_gpu_layers=settings.n_gpu_layers,
        seed=settings.seed,
    )
    bench = EngineBench(engine, repeats=repeats, decode_tokens=decode_tokens)
    report = asyncio.run(bench.run(progress=lambda msg: typer.echo(msg, err=True)))
    typer.echo(format_table(report))
    _write_json(output, json.dumps(report.model_dump(), indent=2))


@app.command("rules")
def bench_rules_command(
    cases_file: Annotated[
        Path, typer.Option("--cases", exists=True, dir_okay=False, help="JSONL evaluation cases.")
    ] = Path("evals/public.jsonl"),
    repeat: Annotated[int, typer.Option(min=1, help="Times each utterance is parsed.")] = 20,
    output: Annotated[Path, typer.Option(help="Where to write the JSON report.")] = Path(
        "reports/bench-rules.json"
    ),
) -> None:
    """Time the deterministic parser per turn (p50/p95/p99) beside a baseline."""
    from tongxue.bench.rules import bench_rules, format_rules_table
    from tongxue.dialogue.evaluation import load_cases

    texts = [turn for case in load_cases(cases_file) for turn in case.turns]
    report = bench_rules(texts, repeat=repeat)
    typer.echo(format_rules_table(report))
    _write_json(output, report.model_dump_json(indent=2))
