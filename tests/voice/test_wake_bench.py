"""`tongxue bench wake`: the corpus, the scoring of detections, and a tiny run of the real thing."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tongxue.cli.main import app
from tongxue.config import Settings
from tongxue.models.bundles import PIPER_EN
from tongxue.models.store import ModelStore
from tongxue.voice.models import VoiceModels
from tongxue.voice.synthetic import VARIANTS_EN, VARIANTS_ZH, SyntheticSpeaker
from tongxue.voice.wake import WakeDetection, create_wake_detector
from tongxue.voice.wake_bench import (
    DESIGNS,
    Span,
    Utterance,
    WakeBenchConfig,
    is_late,
    load_bench_data,
    other_utterances,
    run_wake_bench,
    score_stream,
    wake_utterances,
)

WAKE = Utterance("你好同学", VARIANTS_ZH[0], "wake", "你好同学")
WAKE_EN = Utterance(
    "hey tong shway, open the window", VARIANTS_EN[0], "wake+command", "hey Tongxue"
)
OTHER = Utterance("你好", VARIANTS_ZH[1], "near miss")


def test_detections_are_scored_as_hits_duplicates_and_false_accepts() -> None:
    spans = [
        Span(1.0, 2.0, WAKE),
        Span(3.0, 4.5, OTHER),
        Span(6.0, 8.0, WAKE_EN),
        Span(10.0, 11.0, WAKE),  # never detected: a miss
    ]
    found = [
        WakeDetection("你好同学", 2.9),  # within the second after the end: a hit
        WakeDetection("你好同学", 2.95),  # the same utterance again: a duplicate
        WakeDetection("你好同学", 4.0),  # during the near miss: a false accept
        WakeDetection("同学同学", 5.5),  # in the pause: a false accept
        WakeDetection("你好同学", 7.0),  # the wrong phrase, still a hit
        WakeDetection("hey Tongxue", 9.2),  # too late for the English utterance: false accept
    ]
    scored, missed = score_stream(found, spans)

    assert [item.outcome for item in scored] == [
        "hit",
        "duplicate",
        "false accept",
        "false accept",
        "hit",
        "false accept",
    ]
    assert scored[0].span is spans[0] and scored[4].span is spans[2]
    # A false accept is put down to the clip said last: the near miss, even in the pause after.
    assert scored[2].span is spans[1] and scored[3].span is spans[1]
    assert scored[5].span is spans[2]
    # ...and one soon after a wake utterance is flagged as probably a slow hit.
    assert [is_late(item) for item in scored] == [False, False, False, False, False, True]
    assert missed == [spans[3]]


def test_a_detection_before_an_utterance_starts_is_no_hit() -> None:
    scored, missed = score_stream([WakeDetection("你好同学", 0.9)], [Span(1.0, 2.0, WAKE)])
    assert [item.outcome for item in scored] == ["false accept"]
    assert scored[0].span is None
    assert missed == [Span(1.0, 2.0, WAKE)]


def test_the_wake_utterances_cover_each_phrase_voice_and_speed() -> None:
    data = load_bench_data()
    said = wake_utterances(data, data.full_wake_count)
    assert len(said) == data.full_wake_count >= 200
    assert {u.phrase for u in said} == {"你好同学", "同学同学", "hey Tongxue"}
    english = [u for u in said if u.phrase == "hey Tongxue"]
    assert {u.voice.name.rsplit("-x", 1)[0] for u in english} == {v.name for v in VARIANTS_EN}
    assert all(u.text.startswith("hey tong") for u in english)
    chinese_voices = {u.voice.name.rsplit("-x", 1)[0] for u in said if u.phrase != "hey Tongxue"}
    assert chinese_voices == {v.name for v in VARIANTS_ZH}
    assert len({u.voice.speed for u in said}) >= 3 * len(data.speeds)
    alone = [u for u in said if u.kind == "wake"]
    assert 0 < len(alone) < len(said)
    assert all(
        u.text in ("你好同学", "同学同学", "hey tong shway", "hey tong shweh") for u in alone
    )
    assert any(u.text.startswith("你好同学，") for u in said)


def test_other_speech_has_near_misses_and_never_a_wake_phrase() -> None:
    data = load_bench_data()
    said = list(itertools.islice(other_utterances(data, seed=3), 500))
    near = [u for u in said if u.kind == "near miss"]
    assert 0.15 <= len(near) / len(said) <= 0.25
    assert {u.voice.language for u in said} == {"zh", "en"}
    wake_forms = ("你好同学", "同学同学", "tongxue", "tong shway", "tong shweh")
    assert not any(form in u.text.lower() for u in said for form in wake_forms)
    assert all(u.phrase is None for u in said)


@pytest.fixture(scope="module")
def speaker() -> SyntheticSpeaker:
    settings = Settings()
    piper = ModelStore(settings).resolve_bundle(PIPER_EN)
    return SyntheticSpeaker(piper, cache_dir=settings.cache_dir / "bench-wake")


def test_a_tiny_bench_run_reports_every_design(
    voice_models: VoiceModels, speaker: SyntheticSpeaker
) -> None:
    data = load_bench_data()
    config = WakeBenchConfig(
        designs=list(DESIGNS), snrs_db=[20.0], other_minutes=0.3, wake_utterances=6
    )
    detectors = {d: create_wake_detector(d, data.phrases, voice_models) for d in DESIGNS}
    report = run_wake_bench(config, detectors, speaker, data)

    assert [row.design for row in report.rows] == list(DESIGNS)
    for row in report.rows:
        assert row.wake_utterances == 6
        assert row.hits + row.misses == 6
        # The other speech asked for (give or take a clip); more audio (pauses, wake clips).
        assert 0.3 <= row.other_speech_hours * 60 < 0.45
        assert row.audio_hours > row.other_speech_hours
        assert row.cpu_seconds > 0
        records = [d for d in report.detections if d.design == row.design]
        assert sum(d.outcome == "hit" for d in records) == row.hits
        assert sum(d.outcome == "false accept" for d in records) == row.false_accepts
        assert all(d.expected in data.phrases for d in records if d.outcome == "hit")
        assert len([m for m in report.misses if m.design == row.design]) == row.misses
    # At 20 dB the streams are clean enough for the best design to hear most of the phrases.
    assert max(row.hits for row in report.rows) >= 3, report.rows
    assert report.corpus.near_misses_per_snr["20"] >= 1
    assert set(report.summaries) == set(DESIGNS)
    table = report.format_table()
    assert all(design in table for design in DESIGNS) and "false accepts/h" in table
    assert json.loads(report.model_dump_json())["rows"][0]["design"] == "sphinx"


def test_the_command_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "wake.json"
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "wake",
            "--designs",
            "sphinx",
            "--snr",
            "20",
            "--minutes",
            "0.1",
            "--wake-utterances",
            "1",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "misses %" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [row["design"] for row in report["rows"]] == ["sphinx"]
    assert report["config"]["snrs_db"] == [20.0]


def test_the_command_rejects_an_unknown_design(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "wake", "--designs", "porcupine"])
    assert result.exit_code != 0
    assert "sphinx" in result.output
