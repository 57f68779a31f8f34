"""Numbers as people say them: Arabic digits, Chinese numerals (via cn2an), English words."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import cn2an

from tongxue.dialogue.rules.tokens import QuantityTok, Unit

logger = logging.getLogger(__name__)

_ZH_DIGITS = "零一二两三四五六七八九"
# A number at the start of the text: optional 百分之, the numeral, an optional unit.
_ZH_NUMBER = re.compile(
    r"(?P<percent>百分之)?"
    rf"(?P<num>\d+(?:\.\d+)?|[{_ZH_DIGITS}十百]+(?:点[{_ZH_DIGITS}]+)?)"
    r"(?P<unit>%|摄氏度|度|℃|°c|°|档|挡|级|成)?"
    r"(?P<half>(?<=度)半)?"
)
_ZH_UNITS: dict[str, Unit] = {
    "%": "percent",
    "摄氏度": "degree",
    "度": "degree",
    "℃": "degree",
    "°c": "degree",
    "°": "degree",
    "档": "level",
    "挡": "level",
    "级": "level",
    "成": "percent",  # 三成 is 30%
}


def zh_numeral_value(text: str) -> float | None:
    """The value of a number written in digits or Chinese numerals; None if it is not one."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        logger.debug("not a Chinese numeral: %r", text)
        return None
    return float(value)


def match_zh_number(text: str, start: int) -> tuple[int, QuantityTok] | None:
    """A number token at `start` and its length, or None."""
    found = _ZH_NUMBER.match(text, start)
    if found is None:
        return None
    value = zh_numeral_value(found["num"])
    if value is None:
        return None
    unit = _ZH_UNITS[found["unit"]] if found["unit"] else None
    if found["unit"] == "成":
        value *= 10
    if found["half"]:
        value += 0.5  # 二十六度半
    if found["percent"]:
        if unit is not None:
            return None
        unit = "percent"
    return found.end() - start, QuantityTok("number", value, unit)


_EN_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_DIGIT = re.compile(r"\d+(?:\.\d+)?")


def _en_integer(words: Sequence[str], start: int) -> tuple[int, int] | None:
    """An integer spelled in words (up to 'one hundred'): (value, words used)."""
    if start >= len(words):
        return None
    word = words[start]
    if word in ("hundred",) or (
        word in ("a", "one") and start + 1 < len(words) and words[start + 1] == "hundred"
    ):
        used = 1 if word == "hundred" else 2
        return 100, used
    if word in _EN_TENS:
        value = _EN_TENS[word]
        nxt = words[start + 1] if start + 1 < len(words) else ""
        if nxt in _EN_UNITS and 0 < _EN_UNITS[nxt] < 10:
            return value + _EN_UNITS[nxt], 2
        return value, 1
    if word in _EN_UNITS:
        return _EN_UNITS[word], 1
    return None


def match_en_number(words: Sequence[str], start: int) -> tuple[int, QuantityTok] | None:
    """A number at word `start` (digits or words, with 'point five'): (words used, token)."""
    word = words[start]
    if _EN_DIGIT.fullmatch(word):
        return 1, QuantityTok("number", float(word))
    integer = _en_integer(words, start)
    if integer is None:
        return None
    value, used = integer
    after = start + used
    if after + 1 < len(words) and words[after] == "point" and words[after + 1] in _EN_UNITS:
        digit = _EN_UNITS[words[after + 1]]
        if digit < 10:
            return used + 2, QuantityTok("number", value + digit / 10)
    return used, QuantityTok("number", float(value))
