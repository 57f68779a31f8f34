"""`tongxue bench wake`: miss rate, false accepts and CPU of every wake-word design.

Registered by the CLI root as `bench_cmd.app.command("wake")(bench_wake_cmd.bench_wake)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tongxue.cli.options import get_settings


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _snrs(text: str) -> list[float]:
    try:
        return [float(part) for part in _split(text)]
    except ValueError as error:
        raise typer.BadParameter(f"--snr takes numbers in dB, comma-separated: {error}") from None


def bench_wake(
    ctx: typer.Context,
    designs: Annotated[
        str, typer.Option(help="Detector designs side by side, comma-separated.")
    ] = "sphinx,embedding,two-stage",
    snr: Annotated[str, typer.Option(help="Car-noise SNRs in dB, comma-separated.")] = "0,10,20",
    minutes: Annotated[
        float,
        typer.Option(min=0.05, help="Minutes of other speech per SNR (3 x 20 = one hour)."),
    ] = 20.0,
    wake_utterances: Annotated[
        int | None,
        typer.Option(min=1, help="Wake utterances per SNR (default: the full set, 216)."),
    ] = None,
    stream_seconds: Annotated[
        float, typer.Option(min=5.0, help="Length of each stream the clips are laid into.")
    ] = 60.0,
    tolerance: Annotated[
        float,
        typer.Option(min=0.0, help="Seconds after a wake utterance's end a detection still hits."),
    ] = 0.5,
    seed: Annotated[int, typer.Option(help="Seed of the corpus, pauses and noise.")] = 0,
    out: Annotated[
        Path, typer.Option("--out", "--output", help="Where to write the JSON report.")
    ] = Path("reports/bench-wake.json"),
) -> None:
    """Wake-word designs on synthetic speech in car noise: misses, false accepts/h, CPU.

    Wake phrases and other speech (commands, questions, near misses) are synthesized by test
    voices no detector was templated on, laid into one-minute streams with car noise at each
    SNR and fed to every design in 80 ms chunks. Clips are cached under the cache folder.
    """
    from tongxue.models.bundles import PIPER_EN
    from tongxue.models.store import ModelStore
    from tongxue.voice.models import VoiceModels
    from tongxue.voice.synthetic import SyntheticSpeaker
    from tongxue.voice.wake import create_wake_detector
    from tongxue.voice.wake_bench import DESIGNS, WakeBenchConfig, load_bench_data, run_wake_bench

    chosen = _split(designs)
    unknown = [design for design in chosen if design not in DESIGNS]
    if unknown or not chosen:
        raise typer.BadParameter(f"--designs: choose from {', '.join(DESIGNS)}")
    snrs = _snrs(snr)
    if not snrs:
        raise typer.BadParameter("--snr: give at least one SNR")
    settings = get_settings(ctx)
    data = load_bench_data()
    config = WakeBenchConfig(
        designs=chosen,
        snrs_db=snrs,
        other_minutes=minutes,
        wake_utterances=wake_utterances or data.full_wake_count,
        stream_seconds=stream_seconds,
        seed=seed,
        tolerance_s=tolerance,
    )
    models = VoiceModels.load(settings)
    detectors = {design: create_wake_detector(design, data.phrases, models) for design in chosen}
    speaker = SyntheticSpeaker(
        ModelStore(settings).resolve_bundle(PIPER_EN), cache_dir=settings.cache_dir / "bench-wake"
    )
    report = run_wake_bench(config, detectors, speaker, data, show_progress=True)
    typer.echo(report.format_table())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    typer.echo(f"wrote {out}")
