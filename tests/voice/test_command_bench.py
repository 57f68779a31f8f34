"""The spoken-command bench: its corpus, its error rates, its report, a tiny run on Whisper."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongxue.cli.bench_voice_cmd import parse_snrs
from tongxue.config import Settings
from tongxue.dialogue.factory import create_agent
from tongxue.models.bundles import PIPER_EN
from tongxue.models.store import ModelStore
from tongxue.voice.command_bench import (
    bench_hotwords,
    guided_recognizer,
    plain_recognizer,
    run_command_bench,
    spoken_text,
    spread,
)
from tongxue.voice.command_corpus import (
    SpokenCommand,
    car_after,
    default_car,
    load_commands,
    same_outcome,
)
from tongxue.voice.command_report import CommandBenchReport, CommandCaseResult, Heard, summarize
from tongxue.voice.error_rate import Edits, edits, error_rate, pooled_rate, scoring_tokens
from tongxue.voice.models import VoiceModels
from tongxue.voice.synthetic import SyntheticSpeaker
from tongxue.voice.vocabulary import cabin_hotwords

ROOT = Path(__file__).resolve().parents[2]


# --- the corpus ------------------------------------------------------------------------


def test_corpus_is_large_and_chinese_first() -> None:
    commands = load_commands()
    languages = [c.language for c in commands]
    assert len(commands) >= 300
    assert languages.count("zh") >= 150
    assert languages.count("en") >= 100
    assert len({c.said for c in commands}) == len(commands)


def test_every_command_is_understood_and_changes_the_car() -> None:
    default = default_car()
    missed = [c.said for c in load_commands() if car_after(c.said) in (None, default)]
    assert missed == []


def test_every_command_names_a_source_in_the_project() -> None:
    missing = {c.source for c in load_commands() if not (ROOT / c.source.split("#")[0]).is_file()}
    assert missing == set()


def test_the_corpus_covers_the_cabin() -> None:
    topics = {c.topic for c in load_commands()}
    for topic in (
        "set_window",
        "set_temperature",
        "set_fan_speed",
        "set_seat_heating",
        "set_headlights",
        "set_sunroof",
        "set_trunk",
        "set_volume",
    ):
        assert topic in topics


def test_the_said_text_scores_perfectly_against_itself() -> None:
    for command in load_commands():
        assert edits(command.said, command.said, command.language).errors == 0
        assert same_outcome(command.said, command.said)


# --- error rates and outcomes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "heard", "rate"),
    [
        ("温度调到二十二度", "温度调到22度。", 0.0),  # numerals and punctuation are spelling
        ("打开车窗", "打开窗", 0.25),  # one character of four deleted
        ("打开车窗", "打开天窗", 0.25),  # one substituted
        ("打开车窗", "阿凯车窗", 0.5),
        ("车窗开到百分之三十", "车窗开到30%", 0.0),
        ("打开空调", "", 1.0),
    ],
)
def test_chinese_character_error_rate(said: str, heard: str, rate: float) -> None:
    assert error_rate(said, heard, "zh") == pytest.approx(rate)


@pytest.mark.parametrize(
    ("said", "heard", "rate"),
    [
        ("Set the temperature to twenty two degrees", "set the temperature to 22 degrees.", 0.0),
        ("open the window to thirty percent", "Open the window to 30%.", 0.0),
        ("open the window", "open the windows", 1 / 3),
        ("turn on the AC", "turn on AC", 0.25),
        ("turn on the seat heating", "turn off the seat heating please", 0.4),
    ],
)
def test_english_word_error_rate(said: str, heard: str, rate: float) -> None:
    assert error_rate(said, heard, "en") == pytest.approx(rate)


def test_chinese_is_counted_in_characters_and_english_in_words() -> None:
    assert scoring_tokens("打开 车窗！", "zh") == ["打", "开", "车", "窗"]
    # A number, or Latin words Whisper slipped into, count whole in Chinese too.
    assert scoring_tokens("温度调到二十二度", "zh") == ["温", "度", "调", "到", "22", "度"]
    assert error_rate("雾灯打开", "Turn on the air conditioning.", "zh") == pytest.approx(5 / 4)
    assert scoring_tokens("Fan to twenty-one, please.", "en") == ["fan", "to", "21", "please"]


def test_pooled_rate_weighs_by_length() -> None:
    assert pooled_rate([Edits(1, 2), Edits(0, 8)]) == pytest.approx(0.1)
    assert pooled_rate([]) == 0.0


def test_outcome_is_the_car_not_the_spelling() -> None:
    assert same_outcome("温度调到二十二度", "温度调到22度。")
    assert same_outcome("open the window to thirty percent", "Open the window to 30%.")
    assert not same_outcome("打开车窗", "打开天窗")
    assert not same_outcome("温度调到二十二度", "温度调到二十三度")
    # Not understood: it would go to the model, which the bench does not call.
    assert not same_outcome("打开车窗", "阿凯车窗")
    assert not same_outcome("打开车窗", "")


# --- choosing and reporting --------------------------------------------------------------


def test_spread_keeps_each_language_share_and_varies_the_topics() -> None:
    commands = load_commands()
    chosen = spread(commands, 10)
    assert len(chosen) == 10
    assert 5 <= sum(c.language == "zh" for c in chosen) <= 7
    assert len({c.topic for c in chosen}) >= 6
    assert spread(commands, None) == commands


def test_chinese_digits_are_read_as_words() -> None:
    command = SpokenCommand(said="温度调到22度", language="zh", topic="t", source="s")
    assert spoken_text(command) == "温度调到二十二度"


def test_snr_levels_parse() -> None:
    assert parse_snrs("0, 10dB,clean") == [0.0, 10.0, None]


def test_guided_recognition_gets_the_assistants_hotwords(settings: Settings) -> None:
    agent = create_agent(settings, use_llm=False)
    hotwords = bench_hotwords(settings, agent)
    # What the live pipeline passes for the driver: at least the seat words.
    assert hotwords and hotwords == cabin_hotwords(agent, "driver")
    assert bench_hotwords(settings.model_copy(update={"voice_hotwords": False}), agent) == []


def _case(language: str, snr: float, plain: bool, guided: bool, ms: float) -> CommandCaseResult:
    def heard(right: bool, took: float) -> Heard:
        return Heard(text="x", errors=0 if right else 2, units=4, right=right, ms=took)

    return CommandCaseResult(
        said="打开车窗",
        language=language,
        topic="set_window",
        source="s",
        variant="v",
        snr_db=snr,
        heard={"plain": heard(plain, ms), "guided": heard(guided, ms * 1.1)},
    )


def _report(cases: list[CommandCaseResult]) -> CommandBenchReport:
    names = ["plain", "guided"]
    return CommandBenchReport(
        recognizers=names, beams=4, hotwords=[], cells=summarize(cases, names), cases=cases
    )


def test_summary_and_target_mark() -> None:
    met = _report([_case("zh", 10.0, False, True, 100.0), _case("zh", 10.0, True, True, 200.0)])
    plain = met.cell("zh", 10.0, "plain")
    guided = met.cell("zh", 10.0, "guided")
    assert plain is not None and guided is not None
    assert (plain.accuracy, guided.accuracy) == (0.5, 1.0)
    assert plain.error_rate == pytest.approx(0.25)
    assert plain.p50_ms == pytest.approx(150.0)
    assert "ok" in met.format_table().splitlines()[2]

    missed = _report([_case("zh", 10.0, True, True, 100.0)])
    assert "MISSED" in missed.format_table()
    assert missed.format_failures("guided") == "guided: no command missed."


def test_failures_are_counted_per_command() -> None:
    report = _report([_case("zh", snr, True, False, 100.0) for snr in (0.0, 10.0, 20.0)])
    assert report.common_failures("guided") == [("打开车窗", 3, ["x"])]
    assert "3× 打开车窗" in report.format_failures("guided")


# --- a tiny run through the real models ----------------------------------------------------


def test_tiny_run_on_whisper(voice_models: VoiceModels, tmp_path: Path) -> None:
    settings = Settings()
    speaker = SyntheticSpeaker(ModelStore(settings).resolve_bundle(PIPER_EN), tmp_path)
    commands = spread(load_commands(), 2)
    recognizers = [
        plain_recognizer(voice_models.asr),
        guided_recognizer(voice_models.asr, beams=settings.voice_asr_beams),
    ]
    report = run_command_bench(commands, speaker, recognizers, snrs=[None])

    assert len(report.cases) == 2
    assert {(c.language, c.snr_db, c.recognizer) for c in report.cells} == {
        (language, None, name) for language in ("zh", "en") for name in ("plain", "guided")
    }
    for case in report.cases:
        assert set(case.heard) == {"plain", "guided"}
        for heard in case.heard.values():
            assert heard.units > 0 and heard.ms > 0
    # Clean English from Piper is easy: most of its words are heard.
    clean_en = report.cell("en", None, "guided")
    assert clean_en is not None and clean_en.error_rate < 0.5
    assert CommandBenchReport.model_validate_json(report.model_dump_json()) == report
    assert "plain err" in report.format_table()
    # Each command is synthesized once and kept for the next run.
    assert len(list(tmp_path.glob("*.wav"))) == 2
