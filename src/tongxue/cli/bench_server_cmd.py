"""`tongxue bench server`: the server under a bounded loopback load, beside llama_cpp.server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tongxue.cli.options import get_settings


def bench_server(
    ctx: typer.Context,
    clients: Annotated[int, typer.Option(min=1, max=256, help="Concurrent clients.")] = 16,
    requests: Annotated[
        int, typer.Option(min=1, max=10_000, help="Streamed requests in all.")
    ] = 64,
    max_tokens: Annotated[int, typer.Option(min=1, help="Tokens generated per request.")] = 32,
    baseline: Annotated[
        bool, typer.Option(help="Also measure `python -m llama_cpp.server` on the same model.")
    ] = True,
    timeout: Annotated[
        float, typer.Option(min=1, help="Seconds each server's load may take at most.")
    ] = 900.0,
    output: Annotated[Path, typer.Option(help="Where to write the JSON report.")] = Path(
        "reports/bench-server.json"
    ),
) -> None:
    """Throughput, time to first token and errors under concurrent streamed requests."""
    from tongxue.bench.server import bench_servers
    from tongxue.models.store import ModelStore

    settings = get_settings(ctx)
    resolved = ModelStore(settings).resolve(settings.model)
    if resolved.format != "gguf":
        raise typer.BadParameter("the server benchmark needs a GGUF model (llama-cpp backend)")
    report = bench_servers(
        resolved.path,
        resolved.name,
        clients=clients,
        requests=requests,
        max_tokens=max_tokens,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        baseline=baseline,
        timeout_s=timeout,
        progress=lambda message: typer.echo(message, err=True),
    )
    typer.echo(report.format_table())
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report.model_dump(), indent=2) + "\n", encoding="utf-8")
    typer.echo(f"wrote {output}")
