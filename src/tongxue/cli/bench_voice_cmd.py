"""`tongxue bench voice`: end of speech to first reply audio, for a command and an LLM answer.

With `--commands`, the spoken-command bench instead: the command corpus in car noise, plain
and grammar-guided recognition side by side (`tongxue.voice.command_bench`).

Registered by the CLI root as `bench_cmd.app.command("voice")(bench_voice_cmd.bench_voice)`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tongxue.cli.options import get_settings
from tongxue.config import Settings

if TYPE_CHECKING:
    from tqdm import tqdm

LATENCY_REPORT = Path("reports/bench-voice.json")
COMMANDS_REPORT = Path("reports/bench-voice-commands.json")


def bench_voice(
    ctx: typer.Context,
    repeats: Annotated[int, typer.Option(min=1, help="Turns per case; the median is shown.")] = 3,
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Only the rules-path cases (no model load).")
    ] = False,
    commands: Annotated[
        bool,
        typer.Option(
            "--commands",
            help="Spoken commands in car noise: plain vs grammar-guided recognition.",
        ),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help="With --commands: this many commands (a quick run)."),
    ] = None,
    snr: Annotated[
        str,
        typer.Option(
            help="With --commands: SNR levels in dB, comma-separated ('clean': no noise)."
        ),
    ] = "0,10,20",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "--out",
            help=f"Where to write the JSON report (default {LATENCY_REPORT}, or "
            f"{COMMANDS_REPORT} with --commands).",
        ),
    ] = None,
) -> None:
    """VAD, recognition, understanding and first synthesized chunk, stage by stage.

    With --commands: are spoken commands heard right in car noise, plain vs guided recognition.
    """
    settings = get_settings(ctx)
    if commands:
        _bench_commands(settings, limit, parse_snrs(snr), output or COMMANDS_REPORT)
        return
    _bench_latency(settings, repeats, no_llm, output or LATENCY_REPORT)


def parse_snrs(text: str) -> list[float | None]:
    levels: list[float | None] = []
    for item in (part.strip().lower() for part in text.split(",")):
        if not item:
            continue
        if item == "clean":
            levels.append(None)
            continue
        try:
            levels.append(float(item.removesuffix("db")))
        except ValueError:
            raise typer.BadParameter(f"not an SNR in dB: {item!r}", param_hint="--snr") from None
    if not levels:
        raise typer.BadParameter("give at least one SNR level", param_hint="--snr")
    return levels


def _bench_latency(settings: Settings, repeats: int, no_llm: bool, output: Path) -> None:
    from tongxue.dialogue.factory import create_agent
    from tongxue.voice.bench import DEFAULT_CASES, run_voice_bench
    from tongxue.voice.factory import create_voice_assistant
    from tongxue.voice.models import VoiceModels

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
    _write(output, report.model_dump_json(indent=2))


def _bench_commands(
    settings: Settings, limit: int | None, snrs: list[float | None], output: Path
) -> None:
    from tqdm import tqdm

    from tongxue.dialogue.factory import create_agent
    from tongxue.models.bundles import PIPER_EN
    from tongxue.models.store import ModelStore
    from tongxue.voice.command_bench import (
        bench_hotwords,
        guided_recognizer,
        plain_recognizer,
        run_command_bench,
        spread,
    )
    from tongxue.voice.command_corpus import load_commands
    from tongxue.voice.models import VoiceModels
    from tongxue.voice.synthetic import SyntheticSpeaker

    chosen = spread(load_commands(), limit)
    models = VoiceModels.load(settings)
    speaker = SyntheticSpeaker(
        ModelStore(settings).resolve_bundle(PIPER_EN), settings.cache_dir / "bench-voice"
    )
    hotwords = bench_hotwords(settings, create_agent(settings, use_llm=False))
    recognizers = [
        plain_recognizer(models.asr),
        guided_recognizer(models.asr, settings.voice_asr_beams, hotwords),
    ]
    with tqdm(total=len(chosen) * len(snrs), desc="commands", unit="case") as bar:
        report = run_command_bench(
            chosen,
            speaker,
            recognizers,
            snrs=snrs,
            beams=settings.voice_asr_beams,
            hotwords=hotwords,
            on_case=lambda _: _advance(bar),
        )
    typer.echo(report.format_table())
    typer.echo(report.format_failures("guided"))
    _write(output, report.model_dump_json(indent=2))


def _advance(bar: tqdm[Any]) -> None:
    bar.update()


def _write(output: Path, text: str) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n", encoding="utf-8")
    typer.echo(f"wrote {output}")
