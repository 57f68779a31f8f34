"""Normalisation, politeness stripping, language detection, clause splitting."""

from __future__ import annotations

import pytest

from tongxue.dialogue.rules.normalize import detect_language, normalize, strip_politeness
from tongxue.dialogue.rules.split import strong_split, weak_split


def test_full_width_and_case_fold() -> None:
    assert normalize("  ＯＰＥＮ　the Window！ ") == "open the window"
    assert normalize("温度调到２２度。") == "温度调到22度"


def test_spaces_inside_chinese_are_dropped() -> None:
    assert normalize("打开 车窗 ") == "打开车窗"


@pytest.mark.parametrize(("text", "language"), [("打开AC", "zh"), ("open it", "en")])
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("clause", "stripped"),
    [
        ("理想同学帮我把车窗打开一下吧", "把车窗打开"),
        ("麻烦你打开空调好吗", "打开空调"),
        ("能不能打开车窗吗", "打开车窗"),
        ("我想听周杰伦", "我想听周杰伦"),  # 我想听 is how a play request starts
        ("谢谢", "谢谢"),  # nothing left to command: not stripped away to nothing
    ],
)
def test_strip_politeness_zh(clause: str, stripped: str) -> None:
    assert strip_politeness(clause, "zh") == stripped


def test_a_question_mark_stays_unless_asked_as_a_request() -> None:
    assert strip_politeness("could you open the window please?", "en") == "open the window"
    assert strip_politeness("open the window?", "en") == "open the window?"
    assert strip_politeness("车窗可以打开吗", "zh") == "车窗可以打开吗"


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("打开车窗，然后把空调调到22度", ["打开车窗", "把空调调到22度"]),
        ("打开空调并把温度调到22度", ["打开空调", "把温度调到22度"]),
        ("打开空调再调到22度", ["打开空调", "调到22度"]),
        ("再高一点", ["再高一点"]),  # a follow-up, not a split
        ("温度再调高一点", ["温度再调高一点"]),
    ],
)
def test_strong_split_zh(text: str, clauses: list[str]) -> None:
    assert strong_split(text, "zh") == clauses


def test_strong_split_en() -> None:
    assert strong_split("turn on the ac, then set it to 22 and then open the window", "en") == [
        "turn on the ac",
        "set it to 22",
        "open the window",
    ]


def test_weak_split_only_cuts_at_and() -> None:
    assert weak_split("打开车窗和天窗", "zh") == ["打开车窗", "天窗"]
    assert weak_split("turn on the ac and seat heating", "en") == ["turn on the ac", "seat heating"]
