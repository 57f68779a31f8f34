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


@app.command("decoding")
def bench_decoding(
    ctx: typer.Context,
    streams: Annotated[
        list[int] | None,
        typer.Option(min=1, max=64, help="Stream counts to compare, repeatable (default 1 2 4 8)."),
    ] = None,
    tokens: Annotated[int, typer.Option(min=2, help="Tokens each stream decodes (part 1).")] = 64,
    pred_tokens: Annotated[
        list[int] | None,
        typer.Option(min=1, help="Prompt-lookup num_pred_tokens to try, repeatable (default 2 5)."),
    ] = None,
    lookup_tokens: Annotated[
        int, typer.Option(min=2, help="Most tokens a prompt-lookup request generates (part 2).")
    ] = 64,
    prompts_per_kind: Annotated[
        int, typer.Option(min=1, max=4, help="Tool-call and chat prompts in part 2, each.")
    ] = 4,
    output: Annotated[Path, typer.Option(help="Where to write the JSON report.")] = Path(
        "reports/bench-decoding.json"
    ),
) -> None:
    """Raw llama.cpp: N streams batched vs one after another; prompt lookup vs plain decoding."""
    from tongxue.bench.decoding import (
        DEFAULT_PRED_TOKENS,
        DEFAULT_STREAMS,
        DecodingBenchSettings,
        format_tables,
        run_decoding_bench,
    )
    from tongxue.models.store import ModelStore

    settings = get_settings(ctx)
    resolved = ModelStore(settings).resolve(settings.model)
    if resolved.format != "gguf":
        raise typer.BadParameter("the decoding benchmark needs a GGUF model (llama.cpp)")
    report = run_decoding_bench(
        resolved.path,
        model_name=resolved.name,
        settings=DecodingBenchSettings(
            streams=tuple(sorted(set(streams or DEFAULT_STREAMS))),
            tokens=tokens,
            pred_tokens=tuple(pred_tokens or DEFAULT_PRED_TOKENS),
            lookup_max_tokens=lookup_tokens,
            prompts_per_kind=prompts_per_kind,
        ),
        n_threads=settings.n_threads,
        n_gpu_layers=settings.n_gpu_layers,
        progress=lambda msg: typer.echo(msg, err=True),
    )
    typer.echo(format_tables(report))
    _write_json(output, report.model_dump_json(indent=2))


@app.command("assistant")
def bench_assistant_command(
    ctx: typer.Context,
    baseline: Annotated[
        bool, typer.Option(help="Also run with the prefix cache off (TONGXUE_PREFIX_CACHE=0).")
    ] = True,
    compare_model: Annotated[
        str | None,
        typer.Option(help="Then repeat the cache-on run with this model (registry name or path)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the first N turns of the set (smoke runs).")
    ] = None,
    timeout_s: Annotated[
        float, typer.Option("--timeout-s", min=1, help="Seconds one turn may take.")
    ] = 120.0,
    output: Annotated[Path, typer.Option(help="Where to write the JSON report.")] = Path(
        "reports/bench-assistant.json"
    ),
) -> None:
    """Assistant latency per route through the real server, prefix cache on and off.

    Streams the committed turn set (chat, colloquial commands for the model, rule commands)
    to POST /v1/assistant/turns of a `tongxue serve` subprocess, one session per turn, and
    reports p50/p95 of the time to the first reply text and to the finished turn per route
    group, in ms and in token-times of raw llama-cpp-python decode on the same model.
    """
    from tongxue.bench.assistant import bench_assistant, load_turns, server_settings_env
    from tongxue.models.store import ModelStore

    settings = get_settings(ctx)
    store = ModelStore(settings)
    resolved = store.resolve(settings.model)
    compare = store.resolve(compare_model) if compare_model else None
    if resolved.format != "gguf" or (compare is not None and compare.format != "gguf"):
        raise typer.BadParameter("the assistant benchmark needs GGUF models (llama-cpp backend)")
    turns = load_turns()[:limit]
    report = bench_assistant(
        resolved.path,
        resolved.name,
        turns=turns,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        n_batch=settings.n_batch,
        n_gpu_layers=settings.n_gpu_layers,
        baseline=baseline,
        compare=(compare.name, compare.path) if compare is not None else None,
        extra_env=server_settings_env(settings),
        timeout_s=timeout_s,
        progress=lambda message: typer.echo(message, err=True),
    )
    typer.echo(report.format_table())
    _write_json(output, report.model_dump_json(indent=2))
