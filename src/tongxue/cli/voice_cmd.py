"""`tongxue voice`: talk to the assistant, live through the microphone or from a WAV file.

`tongxue voice enroll PHRASE` makes a wake word of your own from 3 to 5 recordings of it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tongxue.cabin.seats import SEATS, Seat
from tongxue.cli.options import get_settings
from tongxue.config import Settings


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _agent(settings: Settings, use_llm: bool) -> Any:
    from tongxue.dialogue.factory import create_agent
    from tongxue.engine.errors import EngineError
    from tongxue.models.errors import ModelError

    try:
        return create_agent(settings, use_llm=use_llm)
    except (EngineError, ModelError) as error:
        raise _fail(str(error)) from error


def _models(settings: Settings) -> Any:
    from tongxue.models.errors import ModelError
    from tongxue.voice.models import VoiceModels
    from tongxue.voice.tts import SynthesisError

    try:
        return VoiceModels.load(settings)
    except (ModelError, SynthesisError) as error:
        raise _fail(str(error)) from error


app = typer.Typer(no_args_is_help=False)


@app.callback(invoke_without_command=True)
def voice(
    ctx: typer.Context,
    wav: Annotated[
        Path | None,
        typer.Option(
            "--wav", exists=True, dir_okay=False, help="Answer this recording instead of a mic."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", dir_okay=False, help="Write the spoken reply here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print transcript, seat, reply, actions, timings.")
    ] = False,
    seat_channels: Annotated[
        bool,
        typer.Option(
            "--seat-channels",
            help="The channels are seat microphones (see --voice-seat-channels); the loudest "
            "speaker's seat is the turn's seat.",
        ),
    ] = False,
    seat: Annotated[
        str, typer.Option("--seat", help=f"Seat of a mono recording: {', '.join(SEATS)}.")
    ] = "driver",
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Deterministic rules only.")] = False,
    push_to_talk: Annotated[
        bool, typer.Option("--push-to-talk", help="Live: press Enter to talk (no wake word).")
    ] = False,
    channels: Annotated[
        int, typer.Option("--channels", min=1, help="Live: microphone channels to record.")
    ] = 1,
) -> None:
    """Speak to the assistant: live (wake word, then talk), or one turn from --wav."""
    if ctx.invoked_subcommand is not None:
        return
    settings = get_settings(ctx)
    if seat not in SEATS:
        raise typer.BadParameter(f"unknown seat {seat!r}; choose one of {', '.join(SEATS)}")
    if push_to_talk:
        settings = settings.model_copy(update={"voice_activation": "push-to-talk"})
    if wav is None:
        _live(settings, not no_llm, channels, seat_channels, seat)
        return
    _one_file(settings, wav, out, as_json, seat_channels, seat, not no_llm)


def _one_file(
    settings: Settings,
    wav: Path,
    out: Path | None,
    as_json: bool,
    seat_channels: bool,
    seat: Seat,
    use_llm: bool,
) -> None:
    from tongxue.voice.audio import AudioFormatError, decode_audio, write_wav
    from tongxue.voice.factory import channel_seats, create_voice_assistant
    from tongxue.voice.seats import SeatChannelsError

    try:
        audio = decode_audio(wav.read_bytes())
    except AudioFormatError as error:
        raise _fail(f"{wav}: {error}") from error
    agent = _agent(settings, use_llm)
    assistant = create_voice_assistant(settings, agent, _models(settings))
    try:
        seats = channel_seats(settings, agent) if seat_channels else None
        result = asyncio.run(assistant.process_clip(audio, seat=seat, channel_seats=seats))
    except SeatChannelsError as error:
        raise _fail(str(error)) from error
    if out is not None:
        write_wav(out, result.reply_audio)
    turn = result.turn
    if as_json:
        payload = turn.model_dump(mode="json")
        payload["state"] = agent.vehicle.snapshot()
        if out is not None:
            payload["reply_audio"] = str(out)
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    typer.echo(f"[{turn.seat}] {turn.transcript}  ({turn.language})")
    typer.echo(f"同学> {turn.reply}")
    for change in turn.changes:
        typer.echo(f"     {change.path}: {change.old!r} → {change.new!r}")
    t = turn.timings
    typer.echo(
        f"   ({turn.route}; recognition {t.recognition_ms:.0f} ms, understanding "
        f"{t.understanding_ms:.0f} ms, first audio {t.synthesis_ms:.0f} ms)"
    )


def _live(
    settings: Settings, use_llm: bool, channels: int, seat_channels: bool, seat: Seat
) -> None:
    from tongxue.voice.devices import input_device_available

    if not input_device_available():
        raise _fail(
            "no microphone here (PortAudio found no input device); "
            "answer a recording with `tongxue voice --wav IN.wav`"
        )
    agent = _agent(settings, use_llm)
    models = _models(settings)
    try:
        asyncio.run(_converse(settings, agent, models, channels, seat_channels, seat))
    except KeyboardInterrupt:
        typer.echo("bye")


async def _converse(
    settings: Settings, agent: Any, models: Any, channels: int, seat_channels: bool, seat: Seat
) -> None:
    from tongxue.voice.conversation import Conversation, LoopEvent
    from tongxue.voice.devices import microphone_frames
    from tongxue.voice.factory import channel_seats, conversation_config, create_voice_assistant
    from tongxue.voice.sinks import SpeakerSink

    assistant = create_voice_assistant(settings, agent, models)
    seats = channel_seats(settings, agent) if seat_channels and channels > 1 else None
    wake = models.wake_detector(settings) if settings.voice_activation == "wake-word" else None
    sink = SpeakerSink(models.tts.rate)

    def show(event: LoopEvent) -> None:
        if event.turn is not None:
            turn = event.turn
            typer.echo(f"[{turn.seat}] {turn.transcript}\n同学> {turn.reply}")
        else:
            typer.echo(f"· {event.kind}", err=True)

    conversation = Conversation(
        assistant,
        models.new_vad(),
        sink,
        wake,
        conversation_config(settings, seats, seat),
        on_event=show,
    )
    if wake is None:
        typer.echo("Press Enter, then speak. Ctrl-C quits.", err=True)

        def pressed() -> None:
            sys.stdin.readline()
            conversation.press()

        asyncio.get_running_loop().add_reader(sys.stdin.fileno(), pressed)
    else:
        said = " or ".join(repr(p) for p in wake.phrases)
        typer.echo(f"Say {said}, then speak. Ctrl-C quits.", err=True)
    try:
        await conversation.run(microphone_frames(channels=channels))
    finally:
        sink.close()


@app.command("enroll")
def enroll(
    ctx: typer.Context,
    phrase: Annotated[str | None, typer.Argument(help="The wake phrase, e.g. 小理小理.")] = None,
    wavs: Annotated[
        list[Path] | None,
        typer.Option(
            "--wav", exists=True, dir_okay=False, help="A recording of the phrase (3 to 5)."
        ),
    ] = None,
    samples: Annotated[
        int, typer.Option("--samples", min=3, max=5, help="Microphone: how many to record.")
    ] = 3,
    list_them: Annotated[bool, typer.Option("--list", help="List the enrolled phrases.")] = False,
    remove: Annotated[
        str | None, typer.Option("--remove", help="Forget this enrolled phrase.")
    ] = None,
) -> None:
    """Your own wake word: say it 3 to 5 times (or give recordings with --wav)."""
    from tongxue.voice.wake import EnrollmentError, WakeEnrollment

    settings = get_settings(ctx)
    folder = settings.data_dir / "wake"
    if list_them:
        listed = WakeEnrollment(folder).phrases()
        for item in listed:
            typer.echo(f"{item.phrase}\t{item.samples} samples\t{item.directory}")
        if not listed:
            typer.echo("no wake phrase enrolled", err=True)
        return
    if remove is not None:
        if not WakeEnrollment(folder).remove(remove):
            raise _fail(f"{remove!r} is not enrolled")
        typer.echo(f"removed {remove!r}")
        return
    if phrase is None or not phrase.strip():
        raise _fail("give the phrase to enroll (or --list, --remove PHRASE)")
    from tongxue.models.bundles import SILERO_VAD
    from tongxue.models.errors import ModelError
    from tongxue.models.store import ModelStore

    try:
        vad_path = ModelStore(settings).resolve_bundle(SILERO_VAD) / "silero_vad.onnx"
    except ModelError as error:
        raise _fail(str(error)) from error
    clips = _recordings(wavs) if wavs else _record(phrase, samples, vad_path)
    try:
        enrolled = WakeEnrollment(folder, vad_path).enroll(phrase, clips)
    except EnrollmentError as error:
        raise _fail(str(error)) from error
    typer.echo(f"enrolled {enrolled.phrase!r} ({enrolled.samples} samples) in {enrolled.directory}")


def _recordings(wavs: list[Path]) -> list[Any]:
    from tongxue.voice.audio import AudioFormatError, decode_audio

    clips = []
    for wav in wavs:
        try:
            clips.append(decode_audio(wav.read_bytes(), max_seconds=30.0))
        except AudioFormatError as error:
            raise _fail(f"{wav}: {error}") from error
    return clips


def _record(phrase: str, count: int, vad_path: Path) -> list[Any]:
    from tongxue.voice.devices import input_device_available
    from tongxue.voice.wake.recording import record_phrase

    if not input_device_available():
        raise _fail("no microphone here; enroll from recordings with --wav a.wav --wav b.wav …")
    clips = []
    for index in range(1, count + 1):
        typer.echo(f"say it now ({index}/{count}): {phrase}", err=True)
        clips.append(record_phrase(vad_path))
    return clips
