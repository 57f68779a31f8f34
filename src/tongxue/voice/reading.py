"""What each voice reads: a reply cut into runs by script, and Chinese runs with numbers in words.

espeak-ng's Mandarin reads digits badly: "22.5" loses its 点, "50%" comes out in English,
"-5" loses its sign and a year is read as a quantity. So a Chinese run is rewritten the way a
Mandarin speaker says it ("22.5度" → "二十二点五度", "50%" → "百分之五十", "2026年" →
"二零二六年") before espeak-ng sees it. English runs go to Piper untouched: it reads English
numbers itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import cn2an

from tongxue.dialogue.language import Language

# Unit symbols a Chinese reply writes after a number → how they are said.
UNIT_WORDS: dict[str, str] = {
    "°C": "摄氏度",
    "℃": "摄氏度",
    "°F": "华氏度",
    "℉": "华氏度",
    "°": "度",
    "km/h": "公里每小时",
    "km": "公里",
    "m": "米",
    "cm": "厘米",
    "mm": "毫米",
    "kPa": "千帕",
    "bar": "巴",
    "kWh": "千瓦时",
    "kW": "千瓦",
    "V": "伏",
    "kg": "公斤",
    "L": "升",
    "ml": "毫升",
    "mL": "毫升",
    "h": "小时",
    "min": "分钟",
    "s": "秒",
    "ms": "毫秒",
    "dB": "分贝",
    "Hz": "赫兹",
    "kHz": "千赫",
    "MHz": "兆赫",
}
# Words after which a lone 2 is said 两, not 二 ("2个" → "两个", but "2度", "2档", "第2排").
MEASURE_WORDS = (
    *"个位种次件首条张台辆人天年周只本家处项段份杯瓶块元岁遍圈层间座双对把盏秒米升点",
    *("小时", "分钟", "公里", "千米", "公斤", "千瓦", "千帕"),
)
# Words that make a long digit string a quantity ("12000000元"), not a number to spell out.
_QUANTITIES = "|".join([*MEASURE_WORDS, *UNIT_WORDS.values(), "度", "档", "万", "亿"])

DIGITS = "零幺二三四五六七八九"  # 幺 for 1, as phone numbers are read
YEAR_DIGITS = "零一二三四五六七八九"
LONG_DIGITS = 7  # a digit string this long is a phone or code number, read digit by digit

_NUMBER = r"\d+(?:\.\d+)?"
# Longest first, so "km/h" is read whole rather than as "km" and a stray "/h".
_UNITS = "|".join(re.escape(u) for u in sorted(UNIT_WORDS, key=len, reverse=True))
# A unit only where no Latin letter follows: "5 min" is minutes, "5 minutes" is English.
_UNIT_AFTER_NUMBER = re.compile(rf"({_NUMBER}) ?({_UNITS})(?![A-Za-z])")
# A minus sign, not a dash: no Latin letter or digit right before it. (Not \w, which takes in
# Chinese characters too, and "温度-5度" has a minus.)
_NO_SIGN_AFTER = r"(?<![0-9A-Za-z.])"
# What may stand between a number below zero and its 度: the top of a range ("-3到5度").
_UP_TO = rf"(?:到[-−－]?{_NUMBER})?"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _spelled(digits: str, names: str = DIGITS) -> str:
    return "".join(names[int(d)] for d in digits if d.isdigit())


def cardinal(number: str) -> str:
    """A number written in digits as Mandarin says it: "22.5" → "二十二点五", "2000" → "两千"."""
    words: str = cn2an.an2cn(number)
    # Mandarin says 两 before 千, 万 and 亿 at the head of a number: 两千, 两万, not 二千.
    if len(words) > 1 and words[0] == "二" and words[1] in "千万亿":
        words = "两" + words[1:]
    return words


def _date(match: re.Match[str]) -> str:
    year, month, day = match.groups()
    return (
        f"{_spelled(year, YEAR_DIGITS)}年{cardinal(str(int(month)))}月{cardinal(str(int(day)))}日"
    )


def _time(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), int(match.group(2))
    if minute == 0:
        return f"{cardinal(str(hour))}点整"
    return f"{cardinal(str(hour))}点{'零' if minute < 10 else ''}{cardinal(str(minute))}分"


def _signed(match: re.Match[str]) -> str:
    # Below zero is 零下 for a temperature, 负 for anything else; "零下-5度" says it once.
    said, number, temperature = match.group(1), match.group(2), match.group(3)
    return f"{'零下' if said or temperature else '负'}{cardinal(number)}"


def _unit(match: re.Match[str]) -> str:
    return match.group(1) + UNIT_WORDS[match.group(2)]


def _phone(match: re.Match[str]) -> str:
    digits = match.group(0)
    # Fewer digits than a phone number: a range such as 1000-2000, left to the rules below.
    return _spelled(digits) if sum(c.isdigit() for c in digits) >= LONG_DIGITS else digits


def _fraction(match: re.Match[str]) -> str:
    return f"{cardinal(match.group(2))}分之{cardinal(match.group(1))}"


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

# In order: each rule turns the digits it recognises into words, so later rules never see them.
_RULES: tuple[_Rule, ...] = (
    # 12,000 → 12000
    (re.compile(r"(?<!\d)\d{1,3}(?:,\d{3})+(?![\d,])"), lambda m: m.group(0).replace(",", "")),
    (_UNIT_AFTER_NUMBER, _unit),
    # 2026-12-01, 2026/12/01, 2026年: a year is read digit by digit.
    (re.compile(r"(?<!\d)(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?!\d)"), _date),
    (re.compile(r"(?<!\d)(\d{4})(?=年)"), lambda m: _spelled(m.group(1), YEAR_DIGITS)),
    # 14:30 → 十四点三十分
    (re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])"), _time),
    # Phone numbers: 138-0013-8000, 010-12345678, 13800138000; not 12000000元.
    (re.compile(r"(?<![\d.])\d{3,4}(?:-\d{3,8})+(?![\d.])"), _phone),
    (re.compile(rf"(?<![\d.])\d{{{LONG_DIGITS},}}(?![\d.])(?! ?(?:{_QUANTITIES}))"), _phone),
    # 50% → 百分之五十
    (re.compile(rf"({_NUMBER}) ?[%％]"), lambda m: "百分之" + cardinal(m.group(1))),
    # 18-22度 → 18到22度, -8~-2度 → -8到-2度: a dash after a number is a range, not a minus.
    (re.compile(r"(?<=\d) ?(?:[–—~～] ?(?=[-−－]?\d)|-(?=\d))"), lambda m: "到"),
    # -5度 → 零下五度, -3到5度 → 零下三到五度, -5 → 负五
    (
        re.compile(rf"(零下)?{_NO_SIGN_AFTER}[-−－]({_NUMBER})(?:(?={_UP_TO}(度|摄氏度|华氏度)))?"),
        _signed,
    ),
    # 1/2 → 二分之一
    (re.compile(r"(?<![\d./])(\d+)/(\d+)(?![\d./])"), _fraction),
    # 2个 → 两个, but 第2个 → 第二个
    (re.compile(rf"(?<![\d.第])2(?![\d.])(?=(?:{'|'.join(MEASURE_WORDS)}))"), lambda m: "两"),
    (re.compile(_NUMBER), lambda m: cardinal(m.group(0))),
)


def read_chinese(text: str) -> str:
    """`text` with every number, unit, time, date and phone number in Chinese words."""
    text = text.translate(_FULLWIDTH_DIGITS)
    for pattern, words in _RULES:
        text = pattern.sub(words, text)
    return text


@dataclass(frozen=True)
class ScriptRun:
    """A stretch of a reply that one voice reads: Chinese characters or Latin words."""

    language: Language
    text: str

    def spoken(self) -> str:
        """The run as its voice is given it: Chinese with numbers in words, English as is."""
        return read_chinese(self.text) if self.language == "zh" else read_english(self.text)


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = r"A-Za-z\u00c0-\u024f"
_TOKEN = re.compile(
    rf"(?P<zh>[{_HAN}]+)"
    # A number with the unit it is written with: it belongs to the words it is glued to.
    rf"|(?P<number>{_NO_SIGN_AFTER}[-−－]?\d+(?:[.,:/]\d+)*(?: ?(?:{_UNITS}|[%％])(?![{_LATIN}]))?)"
    rf"|(?P<en>[{_LATIN}]+(?:['’.\-][{_LATIN}]+)*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)


def _language_of_number(tokens: list[tuple[str, str]], index: int) -> Language | None:
    """The script a number is written against, without a space: 22度 is Chinese, iPhone15 not."""
    before = tokens[index - 1][0] if index > 0 else None
    after = tokens[index + 1][0] if index + 1 < len(tokens) else None
    for kind in (before, after):
        if kind == "zh":
            return "zh"
        if kind == "en":
            return "en"
    return None


def script_runs(text: str) -> list[ScriptRun]:
    """`text` cut where the script changes: Chinese runs for the Chinese voice, Latin runs for
    the English one. Digits, units, spaces and punctuation go with the run they belong to; a
    text with no letters at all is one English run, as Piper reads digits."""
    tokens = [(m.lastgroup or "other", m.group(0)) for m in _TOKEN.finditer(text)]
    languages: list[Language | None] = []
    for index, (kind, _) in enumerate(tokens):
        if kind in ("zh", "en"):
            languages.append("zh" if kind == "zh" else "en")
        elif kind == "number":
            languages.append(_language_of_number(tokens, index))
        else:
            languages.append(None)
    # What is neither script joins the run before it (or, at the start, the one after).
    known = [language for language in languages if language is not None]
    current: Language = known[0] if known else "en"
    runs: list[list[str]] = []
    run_languages: list[Language] = []
    for (_, piece), language in zip(tokens, languages, strict=True):
        current = language or current
        if run_languages and run_languages[-1] == current:
            runs[-1].append(piece)
        else:
            runs.append([piece])
            run_languages.append(current)
    found = [
        ScriptRun(language, "".join(pieces).strip())
        for language, pieces in zip(run_languages, runs, strict=True)
    ]
    # A run of punctuation alone ("。" after an English name) says nothing.
    return [run for run in found if any(char.isalnum() for char in run.text)]


# Chinese punctuation an English run may end with → what Piper knows as a pause.
_ASCII_PUNCTUATION = str.maketrans(
    {"，": ", ", "、": ", ", "。": ". ", "！": "! ", "？": "? ", "：": ": ", "；": "; "}
    | {"（": " (", "）": ") ", "“": '"', "”": '"', "‘": "'", "’": "'", "　": " "}
)


def read_english(text: str) -> str:
    """An English run as Piper reads it: Chinese punctuation made ASCII, numbers left alone."""
    return text.translate(_ASCII_PUNCTUATION).strip()
