"""Numbers as said: digits, Chinese numerals, English words."""

from __future__ import annotations

import pytest

from tongxue.dialogue.rules.numbers import match_en_number, match_zh_number, zh_numeral_value
from tongxue.dialogue.rules.tokens import QuantityTok


@pytest.mark.parametrize(
    ("text", "length", "value", "unit"),
    [
        ("22度", 3, 22, "degree"),
        ("二十二度", 4, 22, "degree"),
        ("二十二点五度", 6, 22.5, "degree"),
        ("二十六度半", 5, 26.5, "degree"),
        ("三档", 2, 3, "level"),
        ("两档", 2, 2, "level"),
        ("百分之三十", 5, 30, "percent"),
        ("30%", 3, 30, "percent"),
        ("一百", 2, 100, None),
        ("十五", 2, 15, None),
        ("22.5", 4, 22.5, None),
    ],
)
def test_chinese_numbers_with_units(text: str, length: int, value: float, unit: str | None) -> None:
    assert match_zh_number(text, 0) == (length, QuantityTok("number", value, unit))  # type: ignore[arg-type]


def test_a_chinese_number_stops_before_a_point_without_digits() -> None:
    # "十二点" is twelve and a dangling 点, not 12.something
    assert match_zh_number("十二点", 0) == (2, QuantityTok("number", 12, None))


@pytest.mark.parametrize("text", ["点五", "十十", "车窗"])
def test_not_a_chinese_number(text: str) -> None:
    assert match_zh_number(text, 0) is None
    assert zh_numeral_value(text) is None


def test_percent_with_two_units_is_refused() -> None:
    assert match_zh_number("百分之30%", 0) is None


@pytest.mark.parametrize(
    ("words", "used", "value"),
    [
        ("22", 1, 22),
        ("twenty two", 2, 22),
        ("twenty", 1, 20),
        ("seventy five", 2, 75),
        ("twenty two point five degrees", 4, 22.5),
        ("three", 1, 3),
        ("a hundred", 2, 100),
        ("one hundred", 2, 100),
    ],
)
def test_english_numbers(words: str, used: int, value: float) -> None:
    assert match_en_number(words.split(), 0) == (used, QuantityTok("number", value))


@pytest.mark.parametrize("words", ["window", "a bit", "point five"])
def test_not_an_english_number(words: str) -> None:
    assert match_en_number(words.split(), 0) is None
