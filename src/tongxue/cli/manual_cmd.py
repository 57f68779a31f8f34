"""`tongxue manual build|search` and `tongxue bench manual`: the owner's manual on the CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tongxue.cli.options import get_settings
from tongxue.config import Settings

if TYPE_CHECKING:
    from tongxue.manual import ManualSearch

app = typer.Typer(help="The car's owner's manual: build its index, search it.")


def _profile(settings: Settings) -> str:
    from tongxue.cabin.profile import resolve_profile
    from tongxue.manual import has_manual

    profile = resolve_profile(settings.car_profile).id
    if not has_manual(profile):
        typer.echo(f"error: the car profile {profile!r} has no owner's manual", err=True)
        raise typer.Exit(2)
    return profile


def open_manual_search(settings: Settings, *, progress: bool = True) -> ManualSearch:
    from tongxue.engine.embeddings import E5Embedder
    from tongxue.manual import ManualFormatError, ManualIndexError, open_search

    profile = _profile(settings)
    try:
        return open_search(profile, E5Embedder(), settings.cache_dir, progress=progress)
    except (ManualFormatError, ManualIndexError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command("build")
def build(
    ctx: typer.Context,
    if_stale: Annotated[
        bool, typer.Option("--if-stale", help="Only when the manual or the embedder changed.")
    ] = False,
) -> None:
    """Build the manual's search index again (it is also built on first use, and rebuilt
    whenever the manual or the embedding model changes)."""
    from tongxue.engine.embeddings import E5Embedder
    from tongxue.manual import (
        ManualFormatError,
        ManualIndex,
        ManualIndexError,
        index_path,
        load_manual,
    )
    from tongxue.manual.index import build_index

    settings = get_settings(ctx)
    profile = _profile(settings)
    path = index_path(settings.cache_dir, profile)
    started = time.perf_counter()
    try:
        manual = load_manual(profile)
        if if_stale:
            ManualIndex.open(manual, E5Embedder(), path).close()
            typer.echo(f"the manual index is up to date: {path}")
            return
        build_index(manual, E5Embedder(), path)
    except (ManualFormatError, ManualIndexError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    sections = len(manual.ids)
    typer.echo(
        f"indexed {sections} sections × {len(manual.sections) // max(sections, 1)} languages "
        f"in {time.perf_counter() - started:.1f} s: {path}"
    )


@app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A question, in Chinese or English.")],
    k: Annotated[int, typer.Option("-k", min=1, max=20, help="How many passages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The ranked passages for a question, with each side's scores and the fused one."""
    from tongxue.dialogue.language import detect_language

    manual_search = open_manual_search(get_settings(ctx))
    language = detect_language(query)
    started = time.perf_counter()
    result = manual_search.search(query, language, k=k)
    elapsed_ms = (time.perf_counter() - started) * 1000
    rows = [
        {
            "rank": hit.rank,
            "section_id": hit.section.id,
            "title": hit.section.title,
            "rrf": round(hit.score, 5),
            "bm25": round(result.bm25.get(hit.section.id, 0.0), 3),
            "similarity": round(result.similarity.get(hit.section.id, 0.0), 4),
            "coverage": round(manual_search.coverage(result, hit.section), 3),
            "passage": hit.section.text,
        }
        for hit in result.fused
    ]
    if as_json:
        payload = {"query": query, "language": language, "ms": elapsed_ms, "passages": rows}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{query!r} ({language}, terms {list(result.terms)}, {elapsed_ms:.1f} ms)")
    for row in rows:
        typer.echo(
            f"{row['rank']:>2}. {row['section_id']:28} rrf {row['rrf']:.4f}  "
            f"bm25 {row['bm25']:6.2f}  cos {row['similarity']:.3f}  "
            f"cover {row['coverage']:.2f}  {row['title']}"
        )
        passage = str(row["passage"]).replace("\n", " ")
        typer.echo(f"    {passage[:110]}{'…' if len(passage) > 110 else ''}")


def bench_manual(
    ctx: typer.Context,
    cases_file: Annotated[
        Path, typer.Option("--cases", exists=True, dir_okay=False, help="Questions (JSONL).")
    ] = Path("evals/manual.jsonl"),
    answers: Annotated[
        int, typer.Option(min=0, help="Questions answered end to end (0: retrieval only).")
    ] = 8,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Answers without the model.")] = False,
    output: Annotated[Path, typer.Option(help="Where to write the JSON report.")] = Path(
        "reports/bench-manual.json"
    ),
) -> None:
    """Manual retrieval latency (fused, and each side alone) and time to the first answer
    text (the passage's own words against the model's), p50/p95 in milliseconds."""
    import asyncio

    from tongxue.bench.manual import ManualBench, format_table
    from tongxue.dialogue.evaluation import EvalFileError, load_cases

    settings = get_settings(ctx)
    try:
        questions = [c.turns[-1] for c in load_cases(cases_file) if c.sections is not None]
    except EvalFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    engine = None
    if answers and not no_llm:
        from tongxue.cli.assistant_cmd import engine_or_exit

        engine = engine_or_exit(settings)
    bench = ManualBench(open_manual_search(settings), engine)
    report = asyncio.run(bench.run(questions, answers=answers))
    typer.echo(format_table(report))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report.model_dump_json(indent=1) + "\n", encoding="utf-8")
    typer.echo(f"wrote {output}")
