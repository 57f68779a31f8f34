"""`tongxue voice --wav` and `tongxue bench voice` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tongxue.cabin.seats import SEATS
from tongxue.cli.main import app
from tongxue.config import Settings
from tongxue.voice.audio import read_wav, write_wav
from tongxue.voice.bench import VoiceBenchCase, run_voice_bench
from tongxue.voice.pipeline import VoiceAssistant
from voice.voice_kit import Say, cabin_recording, padded


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_a_chinese_command_from_the_rear_right_seat_file(
    runner: CliRunner, tmp_path: Path, say: Say
) -> None:
    recording = tmp_path / "in.wav"
    write_wav(recording, cabin_recording(padded(say("打开车窗")), SEATS.index("rear_right")))
    reply = tmp_path / "reply.wav"
    result = runner.invoke(
        app,
        [
            "--data-dir",
            str(tmp_path / "data"),
            "voice",
            "--wav",
            str(recording),
            "--seat-channels",
            "--out",
            str(reply),
            "--json",
            "--no-llm",
        ],
    )
    assert result.exit_code == 0, result.output
    turn = json.loads(result.stdout[result.stdout.index("{") :])
    assert turn["seat"] == "rear_right" and turn["language"] == "zh"
    assert turn["transcript"].rstrip("。") == "打开车窗"
    assert turn["actions"][0]["name"] == "set_window"
    assert turn["state"]["windows"]["rear_right"] == 100
    assert set(turn["timings"]) >= {"vad_ms", "recognition_ms", "understanding_ms", "synthesis_ms"}
    audio = read_wav(reply)
    assert audio.rate == 22050 and audio.duration > 1.0


def test_an_english_command_from_a_mono_file_and_a_named_seat(
    runner: CliRunner, tmp_path: Path, say: Say
) -> None:
    recording = tmp_path / "in.wav"
    write_wav(recording, padded(say("Set the temperature to 22 degrees")))
    result = runner.invoke(
        app,
        [
            "--data-dir",
            str(tmp_path / "data"),
            "voice",
            "--wav",
            str(recording),
            "--seat",
            "passenger",
            "--no-llm",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "[passenger] Set the temperature to 22 degrees" in result.stdout
    assert "climate.passenger.temperature" in result.stdout


def test_bad_input_is_refused_before_any_model_loads(runner: CliRunner, tmp_path: Path) -> None:
    not_audio = tmp_path / "x.wav"
    not_audio.write_bytes(b"hello")
    bad_seat = runner.invoke(app, ["voice", "--wav", str(not_audio), "--seat", "roof"])
    assert bad_seat.exit_code == 2 and "unknown seat" in bad_seat.output
    garbage = runner.invoke(app, ["voice", "--wav", str(not_audio)])
    assert garbage.exit_code == 2 and "cannot decode" in garbage.output


def test_enroll_a_wake_phrase_from_recordings_then_list_and_remove_it(
    runner: CliRunner, tmp_path: Path, say: Say
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    wavs = []
    for index, pause in enumerate((0.3, 0.6, 0.9)):
        wav = tmp_path / f"sample-{index}.wav"
        write_wav(wav, padded(say("小理小理"), before=pause))
        wavs += ["--wav", str(wav)]
    too_few = runner.invoke(app, [*data, "voice", "enroll", "小理小理", *wavs[:4]])
    assert too_few.exit_code == 2 and "3 to 5 samples" in too_few.output
    result = runner.invoke(app, [*data, "voice", "enroll", "小理小理", *wavs])
    assert result.exit_code == 0, result.output
    assert "enrolled '小理小理' (3 samples)" in result.output
    assert (tmp_path / "data" / "wake" / "xiao-li-xiao-li" / "sample-3.wav").is_file()
    listed = runner.invoke(app, [*data, "voice", "enroll", "--list"])
    assert listed.exit_code == 0 and listed.stdout.startswith("小理小理\t3 samples")
    removed = runner.invoke(app, [*data, "voice", "enroll", "--remove", "小理小理"])
    assert removed.exit_code == 0 and "removed" in removed.output
    again = runner.invoke(app, [*data, "voice", "enroll", "--remove", "小理小理"])
    assert again.exit_code == 2 and "not enrolled" in again.output


def test_live_mode_says_so_when_there_is_no_microphone(runner: CliRunner) -> None:
    from tongxue.voice.devices import input_device_available

    if input_device_available():
        pytest.skip("this machine has a microphone")
    result = runner.invoke(app, ["voice", "--no-llm"])
    assert result.exit_code == 2 and "no microphone" in result.output


async def test_the_bench_times_every_stage_of_a_rules_command(
    assistant: VoiceAssistant,
) -> None:
    cases = [VoiceBenchCase(name="rules (en)", text="Open the window", expect_route="rules")]
    report = await run_voice_bench(assistant, cases, repeats=2)
    (row,) = report.rows
    assert row.route == "rules" and row.transcript.rstrip(".") == "Open the window"
    assert row.end_silence_ms == pytest.approx(assistant.vad_config.end_silence_ms, abs=40)
    assert row.recognition_ms > 0 and row.synthesis_ms > 0
    # Speculation hides part of recognition in the silence wait, never more than all of it.
    assert 0 <= row.recognition_overlap_ms <= row.recognition_ms
    assert (
        row.first_audio_ms
        >= row.end_silence_ms + row.recognition_ms - row.recognition_overlap_ms - 1
    )
    assert row.baseline_first_audio_ms >= row.end_silence_ms + row.baseline_recognition_ms - 1
    table = report.format_table()
    assert "rules (en)" in table and "target" in table


def test_the_bench_command_writes_its_report(runner: CliRunner, tmp_path: Path) -> None:
    from tongxue.cli.bench_voice_cmd import bench_voice

    root = typer.Typer()

    @root.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = Settings(data_dir=tmp_path / "data")

    root.command("voice")(bench_voice)
    output = tmp_path / "bench-voice.json"
    result = runner.invoke(root, ["voice", "--no-llm", "--repeats", "1", "--output", str(output)])
    assert result.exit_code == 0, result.output
    report = json.loads(output.read_text())
    assert [row["route"] for row in report["rows"]] == ["rules", "rules"]
