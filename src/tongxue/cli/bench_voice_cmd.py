"""`tongxue bench voice`: end of speech to first reply audio, for a command and an LLM answer.

Registered by the CLI root as `bench_cmd.app.command("voice")(bench_voice_cmd.bench_voice)`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from tongxue.cli.options import get_settings


def bench_voice(
    ctx: typer.Context,
    repeats: Annotated[int, typer.Option(min=1, help="Turns per case; the median is shown.")] = 3,
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Only the rules-path cases (no model load).")
    ] = False,
    output: Annotated[Path, typer.Option(help="Where to write the JSON report.")] = Path(
        "reports/bench-voice.json"
    ),
) -> None:
    """VAD, recognition, understanding and first synthesized chunk, stage by stage."""
    from tongxue.dialogue.factory import create_agent
    from tongxue.voice.bench import DEFAULT_CASES, run_voice_bench
    from tongxue.voice.factory import create_voice_assistant
    from tongxue.voice.models import VoiceModels

    settings = get_settings(ctx)
    cases = [case for case in DEFAULT_CASES if not (no_llm and case.expect_route == "llm")]
    models = VoiceModels.load(settings)
    agent = create_agent(settings, use_llm=not no_llm)
    assistant = create_voice_assistant(settings, agent, models)
    report = asyncio.run(
        run_voice_bench(
            assistant, cases, repeats=repeats, progress=lambda msg: typer.echo(msg, err=True)
        )
    )
    report.threads = settings.voice_asr_threads
    typer.echo(report.format_table())
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    typer.echo(f"wrote {output}")
