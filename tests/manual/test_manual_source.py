"""The owner's manual as data: its format, its coverage, and facts that agree with the car."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tongxue.cabin.profile import resolve_profile
from tongxue.cabin.state import (
    BACKREST_RANGE,
    FAN_RANGE,
    LEVEL_RANGE,
    MEMORY_SLOTS,
    TEMPERATURE_RANGE,
    CarState,
)
from tongxue.cabin.status import TYRE_NORMAL_KPA
from tongxue.manual import ManualFormatError, load_manual
from tongxue.manual.source import Manual, parse_chapter

MANUAL = load_manual("suv6")


def _range(low: float, high: float) -> re.Pattern[str]:
    def number(value: float) -> str:
        return re.escape(f"{value:g}")

    return re.compile(rf"{number(low)}\s*(?:–|-|~|到|至|to)\s*{number(high)}")


def _text(manual: Manual, section_id: str, language: str) -> str:
    section = manual.section(section_id, "zh" if language == "zh" else "en")
    assert section is not None, f"the manual has no section {section_id!r} in {language}"
    return section.text


def test_the_manual_has_every_section_in_both_languages() -> None:
    ids = MANUAL.ids
    assert len(ids) >= 80
    assert [s.id for s in MANUAL.in_language("en")] == list(ids)
    assert all(s.keywords for s in MANUAL.sections)


def test_the_manual_covers_what_the_issue_asks_for() -> None:
    ids = set(MANUAL.ids)
    assert len([i for i in ids if i.startswith("warning-")]) >= 20
    for wanted in (
        "child-lock", "windows", "sunroof", "seat-heating", "seat-massage", "temperature-zones",
        "headlights", "ambient-light", "music-playback", "making-calls", "set-destination",
        "passenger-screen", "drive-modes", "lane-keeping", "charge-port", "rest-scene",
        "tyre-pressure", "ac-charging", "dc-fast-charging", "range", "range-extender",
        "breakdown", "crash", "airbags", "towing", "maintenance-schedule", "wake-word",
        "privacy", "what-the-assistant-can-do",
    ):  # fmt: skip
        assert wanted in ids, wanted


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_manuals_numbers_agree_with_the_car(language: str) -> None:
    """The assistant reads the state's ranges and the manual alike: they must not differ."""
    assert _range(*TYRE_NORMAL_KPA).search(_text(MANUAL, "tyre-pressure", language))
    assert _range(*TEMPERATURE_RANGE).search(_text(MANUAL, "temperature-zones", language))
    assert _range(*FAN_RANGE).search(_text(MANUAL, "fan-speed", language))
    assert _range(*BACKREST_RANGE).search(_text(MANUAL, "seat-backrest", language))
    assert str(MEMORY_SLOTS[1]) in _text(MANUAL, "seat-memory", language)
    assert str(LEVEL_RANGE[1]) in _text(MANUAL, "seat-heating", language)
    state = CarState()
    default_set = f"{state.climate.driver.temperature:g}"
    assert default_set in _text(MANUAL, "temperature-zones", language)
    seats = len(resolve_profile("suv6").seats)
    overview = _text(MANUAL, "car-overview", language)
    assert str(seats) in overview or ("六座" in overview and seats == 6)


def test_a_broken_heading_names_its_file_and_line() -> None:
    text = "# 座椅\n\n## 座椅加热 {#Seat Heating}\n关键词：加热\n\n正文。\n"
    with pytest.raises(ManualFormatError, match=r"zh/03-seats.md:3"):
        parse_chapter(text, "zh", "zh/03-seats.md")


def test_a_section_without_text_is_refused() -> None:
    with pytest.raises(ManualFormatError, match="has no text"):
        parse_chapter("# A\n\n## B {#b}\nKeywords: b, c\n\n## C {#c}\n\nText.\n", "en", "en/x.md")


def test_languages_must_hold_the_same_sections(tmp_path: Path) -> None:
    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "zh" / "01-a.md").write_text("# 甲\n\n## 一 {#one}\n\n正文。\n", encoding="utf-8")
    (tmp_path / "en" / "01-a.md").write_text("# A\n\n## Two {#two}\n\nText.\n", encoding="utf-8")
    with pytest.raises(ManualFormatError, match=r"missing \['one'\], extra \['two'\]"):
        load_manual("test", tmp_path)


def test_the_digest_changes_with_the_text(tmp_path: Path) -> None:
    chapters = {"zh": "# 甲\n\n## 一 {#one}\n\n正文。\n", "en": "# A\n\n## One {#one}\n\nText.\n"}
    for language, text in chapters.items():
        (tmp_path / language).mkdir()
        (tmp_path / language / "01-a.md").write_text(text, encoding="utf-8")
    before = load_manual("test", tmp_path).digest
    (tmp_path / "en" / "01-a.md").write_text("# A\n\n## One {#one}\n\nOther.\n", encoding="utf-8")
    assert load_manual("test", tmp_path).digest != before
