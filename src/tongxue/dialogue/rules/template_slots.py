"""The built-in slots of the templates: what each one matches and the value it gives.

A converter gets the captured text and returns the value; it raises `NoValue` when the text
matches the pattern but is no value (the sentence then does not match), and
`SeatUnsupported` when a relative seat names no seat (nobody sits behind the third row).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal as TypingLiteral

from tongxue.cabin.actions import CabinAction
from tongxue.cabin.seats import Seat
from tongxue.dialogue.rules.numbers import zh_numeral_value
from tongxue.dialogue.rules.seat_words import EN_SEAT_WORDS, ZH_SEAT_WORDS
from tongxue.dialogue.rules.template_syntax import fold, literal_regex
from tongxue.dialogue.rules.types import Language, RuleContext

BUILTINS = frozenset({"number", "decimal", "digits", "text", "seat", "screen"})
SlotValue = str | int | float | bool | None


class NoValue(ValueError):
    """The captured text is not a value of the slot."""


class SeatUnsupported(ValueError):
    """A relative seat word that names no seat in this car (behind the third row)."""


# --- numbers ----------------------------------------------------------------------------

_ZH_NUMERALS = "零〇一二两三四五六七八九幺"
_ZH_DIGIT_VALUE = {char: str(i) for i, char in enumerate("零一二三四五六七八九")}
_ZH_DIGIT_VALUE.update({"〇": "0", "两": "2", "幺": "1"})
_EN_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_DIGIT_WORDS = {word: str(i) for i, word in enumerate(_EN_SMALL[:10])} | {"oh": "0"}

_ZH_NUMBER = rf"\d+|[{_ZH_NUMERALS}十百千]+"
_ZH_DECIMAL = rf"\d+(?:\.\d+)?|[{_ZH_NUMERALS}十百千]+(?:点[{_ZH_NUMERALS}]+)?"
_ZH_DIGITS = rf"[0-9{_ZH_NUMERALS}](?:[0-9{_ZH_NUMERALS} \-]*[0-9{_ZH_NUMERALS}])?"
_EN_WORD_NUMBER = (
    rf"(?:{'|'.join(_EN_TENS)})(?:[ -](?:{'|'.join(_EN_SMALL[1:10])}))?"
    rf"|(?:a |one )?hundred|{'|'.join(sorted(_EN_SMALL, key=len, reverse=True))}"
)
_EN_NUMBER = rf"\d+|{_EN_WORD_NUMBER}"
_EN_DECIMAL = rf"\d+(?:\.\d+)?|(?:{_EN_WORD_NUMBER})(?: point (?:{'|'.join(_EN_SMALL[:10])}))?"
_EN_DIGIT_TOKEN = rf"[0-9]|{'|'.join(_EN_DIGIT_WORDS)}"
_EN_DIGITS = rf"(?:{_EN_DIGIT_TOKEN})(?:[ -]?(?:{_EN_DIGIT_TOKEN}))*"


def _whole(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _zh_number(text: str) -> int | float:
    value = zh_numeral_value(text.replace("幺", "一").replace("〇", "零"))
    if value is None:
        raise NoValue(text)
    return _whole(value)


def _zh_digit_string(text: str) -> str:
    return "".join(_ZH_DIGIT_VALUE.get(char, char) for char in text if char not in " -")


def _zh_decimal(text: str) -> int | float:
    """一零一点七 → 101.7 (digit by digit), 九百零九 → 909 (a numeral), 22.5 as written."""
    whole, _, fraction = text.partition("点")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return _whole(float(text))
    # 九百零九 is a numeral; 一零一 is read digit by digit.
    numeral = re.search("[十百千]", whole) is not None
    integer = _zh_number(whole) if numeral else int(_zh_digit_string(whole))
    if not fraction:
        return integer
    return _whole(float(f"{integer}.{_zh_digit_string(fraction)}"))


def _en_word_number(text: str) -> int:
    words = text.replace("-", " ").split()
    if words[-1] == "hundred":
        return 100
    value = 0
    for word in words:
        value += _EN_TENS.index(word) * 10 + 20 if word in _EN_TENS else _EN_SMALL.index(word)
    return value


def _en_number(text: str) -> int | float:
    if text[0].isdigit():
        return _whole(float(text))
    return _en_word_number(text)


def _en_decimal(text: str) -> int | float:
    if text[0].isdigit():
        return _whole(float(text))
    whole, _, fraction = text.partition(" point ")
    integer = _en_word_number(whole)
    if not fraction:
        return integer
    return _whole(integer + _EN_SMALL.index(fraction) / 10)


def _en_digits(text: str) -> str:
    tokens = re.findall(rf"{_EN_DIGIT_TOKEN}", text)
    return "".join(_EN_DIGIT_WORDS.get(token, token) for token in tokens)


# --- seats ------------------------------------------------------------------------------

Relation = TypingLiteral["behind", "in_front", "beside", "mirror"]


@dataclass(frozen=True)
class SeatWord:
    """A seat word's meaning: a fixed target (None = the speaker's) or a relation."""

    target: str | None = None
    relation: Relation | None = None


_SAME_SIDE_ROWS: tuple[tuple[Seat, Seat, Seat], ...] = (
    ("driver", "rear_left", "third_left"),
    ("passenger", "rear_right", "third_right"),
)
_MIRROR: dict[str, Seat] = {
    "driver": "passenger",
    "passenger": "driver",
    "rear_left": "rear_right",
    "rear_right": "rear_left",
    "third_left": "third_right",
    "third_right": "third_left",
}


def _pair_group(seats: tuple[object, ...]) -> str | None:
    # 二排 is the only pair the v1 tables spell as two seats; v2 names it.
    if len(seats) == 2:
        return "second_row"
    target = seats[0]
    return None if target is None else str(target)


def _seat_table(language: Language) -> dict[str, SeatWord]:
    base = ZH_SEAT_WORDS if language == "zh" else EN_SEAT_WORDS
    table = {word: SeatWord(_pair_group(seats)) for word, seats in base.items()}
    extra = _ZH_SEAT_EXTRA if language == "zh" else _EN_SEAT_EXTRA
    table.update(extra)
    return table


def _words(
    target: str | None, *words: str, relation: Relation | None = None
) -> dict[str, SeatWord]:
    return {word: SeatWord(target, relation) for word in words}


_ZH_SEAT_EXTRA: dict[str, SeatWord] = {
    **_words("second_row", "二排", "第二排", "中排", "二排座椅", "第二排座椅", "中间一排"),
    **_words("third_row", "三排", "第三排", "最后一排", "三排座椅", "第三排座椅"),
    **_words("left_side", "左边", "左侧", "左边的", "左侧的", "左边一排", "左边座椅"),
    **_words("right_side", "右边", "右侧", "右边的", "右侧的", "右边一排", "右边座椅"),
    **_words("rear_left", "主驾后面", "主驾驶后面", "司机后面", "主驾后排", "主驾后边", "司机后边"),
    **_words("rear_right", "副驾后面", "副驾驶后面", "副驾后排", "副驾后边"),
    **_words(None, "我后面", "我后边", "我的后面", "我身后", relation="behind"),
    **_words(None, "我前面", "我前边", "我的前面", relation="in_front"),
    **_words(None, "旁边", "我旁边", "我的旁边", "旁边的", "我边上", "边上", relation="beside"),
    **_words(None, "另一边", "另一侧", "对面", "另外一边", "另一个", relation="mirror"),
}
_EN_SEAT_EXTRA: dict[str, SeatWord] = {
    **_words("second_row", "second row", "middle row", "the second row", "the middle row"),
    **_words("third_row", "third row", "last row", "the third row", "the last row"),
    **_words("left_side", "left side", "the left side", "left"),
    **_words("right_side", "right side", "the right side", "right"),
    **_words("rear_left", "behind the driver", "the seat behind the driver"),
    **_words("rear_right", "behind the passenger", "the seat behind the passenger"),
    **_words(None, "behind me", "the one behind me", relation="behind"),
    **_words(None, "in front of me", "the seat in front of me", relation="in_front"),
    **_words(
        None, "next to me", "beside me", "the seat next to me", "my neighbour's",
        relation="beside",
    ),
    **_words(None, "the other side", "other side", "the other one", relation="mirror"),
}  # fmt: skip
# People words do not change the seat: 我后面的孩子 = 我后面.
_ZH_PEOPLE = r"(?:的?(?:孩子|小孩|小朋友|宝宝|乘客|那位|人|座椅|座位|位置))"
_EN_PEOPLE = r"(?:(?:the )?(?:kid|child|passenger|person|seat)s? )"


def resolve_seat(word: SeatWord, context: RuleContext) -> str | None:
    """The target a seat word names for this speaker (None: the speaker's own seat)."""
    if word.relation is None:
        return word.target
    # Without a known speaker the driver is meant: the one seat every car has.
    speaker: Seat = context.speaker or "driver"
    if word.relation == "mirror":
        return _MIRROR[_previous_seat(context) or speaker]
    if word.relation == "beside":
        return _MIRROR[speaker]
    for side in _SAME_SIDE_ROWS:
        if speaker in side:
            row = side.index(speaker) + (1 if word.relation == "behind" else -1)
            if 0 <= row < len(side):
                return side[row]
    raise SeatUnsupported(f"no seat {word.relation.replace('_', ' ')} {speaker}")


def _previous_seat(context: RuleContext) -> str | None:
    """The single seat the previous part or turn addressed, if it named one."""
    for action in reversed(context.previous_actions):
        target = _target_of(action)
        if target in _MIRROR:
            return target
    return None


def _target_of(action: CabinAction) -> str | None:
    value = getattr(action, "target", None)
    return value if isinstance(value, str) else None


# --- screens ----------------------------------------------------------------------------

_ZH_SCREENS: dict[str, str | None] = {
    **dict.fromkeys(
        ("中控屏", "中控屏幕", "中控", "中控大屏", "大屏", "大屏幕", "一体屏", "屏幕", "显示屏",
         "主屏", "主屏幕", "中间的屏幕", "中间屏幕", "主驾屏", "车机屏幕", "车机"),
        "center",
    ),
    **dict.fromkeys(
        ("副驾屏", "副驾屏幕", "副驾驶屏", "副驾驶屏幕", "娱乐屏", "副驾娱乐屏", "副驾的屏幕",
         "副驾驶的屏幕", "副屏"),
        "passenger",
    ),
    **dict.fromkeys(
        ("后排屏", "后排屏幕", "后屏", "吸顶屏", "后排吸顶屏", "后排的屏幕", "后排娱乐屏",
         "二排屏幕", "后面的屏幕"),
        "rear",
    ),
    **dict.fromkeys(("我的屏幕", "我的屏", "我这块屏", "我这个屏幕", "我这边的屏幕"), None),
}  # fmt: skip
_EN_SCREENS: dict[str, str | None] = {
    **dict.fromkeys(
        ("center screen", "centre screen", "main screen", "screen", "display", "the screen",
         "center display", "centre display", "the display", "touchscreen", "infotainment screen"),
        "center",
    ),
    **dict.fromkeys(
        ("passenger screen", "passenger display", "entertainment screen", "passenger's screen",
         "front passenger screen", "co-driver screen"),
        "passenger",
    ),
    **dict.fromkeys(
        ("rear screen", "back screen", "ceiling screen", "rear display", "rear seat screen",
         "back seat screen", "roof screen"),
        "rear",
    ),
    **dict.fromkeys(("my screen", "my display", "this screen"), None),
}  # fmt: skip


# --- the slot table ---------------------------------------------------------------------

Converter = Callable[[str, RuleContext], SlotValue]


@dataclass(frozen=True)
class SlotType:
    regex: str
    convert: Converter
    # Numbers and free text match almost anything; a list word is as specific as literal
    # text. Only open slots lower a sentence's specificity.
    open: bool = False


def alternation(words: Mapping[str, object]) -> str:
    """Words as a regex alternation, longest first so the longest word wins."""
    ordered = sorted((fold(str(word)) for word in words), key=len, reverse=True)
    return "|".join(literal_regex(word) for word in ordered)


def _lookup(table: Mapping[str, SlotValue]) -> Converter:
    folded = {fold(word): value for word, value in table.items()}

    def convert(text: str, context: RuleContext) -> SlotValue:
        return folded[text]

    return convert


def _seat_type(language: Language) -> SlotType:
    table = {fold(word): meaning for word, meaning in _seat_table(language).items()}
    if language == "zh":
        regex = f"(?:{alternation(table)}){_ZH_PEOPLE}?"
        people = re.compile(f"{_ZH_PEOPLE}$")
    else:
        regex = f"{_EN_PEOPLE}?(?:{alternation(table)})"
        people = re.compile(f"^{_EN_PEOPLE}")

    def convert(text: str, context: RuleContext) -> SlotValue:
        word = text if text in table else people.sub("", text, count=1)
        if word not in table:
            raise NoValue(text)
        return resolve_seat(table[word], context)

    return SlotType(regex, convert)


def builtin_types(language: Language) -> dict[str, SlotType]:
    """The built-in slots for a language."""
    screens = _ZH_SCREENS if language == "zh" else _EN_SCREENS
    if language == "zh":
        numbers = {
            "number": SlotType(_ZH_NUMBER, lambda text, _: _zh_number(text), open=True),
            "decimal": SlotType(_ZH_DECIMAL, lambda text, _: _zh_decimal(text), open=True),
            "digits": SlotType(_ZH_DIGITS, lambda text, _: _zh_digit_string(text), open=True),
        }
    else:
        numbers = {
            "number": SlotType(_EN_NUMBER, lambda text, _: _en_number(text), open=True),
            "decimal": SlotType(_EN_DECIMAL, lambda text, _: _en_decimal(text), open=True),
            "digits": SlotType(_EN_DIGITS, lambda text, _: _en_digits(text), open=True),
        }
    return {
        **numbers,
        "text": SlotType(r".{1,40}?", lambda text, _: _text(text, language), open=True),
        "seat": _seat_type(language),
        "screen": SlotType(alternation(screens), _lookup(screens)),
    }


def _text(text: str, language: Language) -> str:
    stripped = text.strip(" ,，。.!！?？")
    if not stripped:
        raise NoValue(text)
    # A request verb inside the free words means two requests said in one breath
    # (打电话给张三打开空调): no value, so the compound splitter gets the clause.
    verbs = _ZH_REQUEST_VERBS if language == "zh" else _EN_REQUEST_VERBS
    if any(found.start() > 0 for found in verbs.finditer(stripped)):
        raise NoValue(text)
    # 看不清后面, 导航能不能绕开收费站, 充到80%要多久: a complaint or a question, not a title
    # or a place.
    if language == "zh" and _ZH_NOT_A_NAME.search(stripped):
        raise NoValue(text)
    return stripped


_ZH_NOT_A_NAME = re.compile(r"^不[清见到懂了]|能不能|可不可以|多长时间|要多久|有没有办法|不停")


_ZH_REQUEST_VERBS = re.compile(
    r"打开|关闭|关掉|关上|开启|调到|调成|调高|调低|调大|调小|设置|播放|导航|切换|切到|解锁|"
    r"锁上|静音|暂停|继续播放|换成|打电话|拨打|呼叫|升起|降下|升高|降低|退出|启动|停止"
)
_EN_REQUEST_VERBS = re.compile(
    r"\b(?:turn|switch|open|close|set|navigate|call|dial|mute|unmute|pause|play|raise|lower|"
    r"increase|decrease|roll|activate|enable|disable)\b"
)


def list_type(words: Mapping[str, SlotValue]) -> SlotType:
    """A slot list: its words, each with its value."""
    return SlotType(alternation(words), _lookup(words))


# --- transforms on values in `args` ("{number|neg|div5}") ---------------------------------


def _number(value: SlotValue) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NoValue(f"not a number: {value!r}")
    return float(value)


def _round_half_up(value: float) -> int:
    magnitude = int(abs(value) + 0.5)
    return magnitude if value >= 0 else -magnitude


TRANSFORMS: dict[str, Callable[[SlotValue], SlotValue]] = {
    "neg": lambda value: _whole(-_number(value)),
    "div5": lambda value: _round_half_up(_number(value) / 5),
    "half": lambda value: _whole(_number(value) / 2),
    "int": lambda value: _round_half_up(_number(value)),
    "x10": lambda value: _whole(_number(value) * 10),
    "str": lambda value: str(value),
}


# --- seat words the word-by-word parser does not know --------------------------------------

# The plain seat word each seat is rewritten to, for the parser of contract v1's lexicon.
_PLAIN_SEAT: dict[Language, dict[str, str]] = {
    "zh": {
        "driver": "主驾", "passenger": "副驾", "rear_left": "左后", "rear_right": "右后",
        "third_left": "三排左", "third_right": "三排右",
    },
    "en": {
        "driver": "driver", "passenger": "passenger", "rear_left": "rear left",
        "rear_right": "rear right", "third_left": "third row left",
        "third_right": "third row right",
    },
}  # fmt: skip


def plain_seat_words(text: str, language: Language, context: RuleContext) -> str:
    """`text` with relative seat words (我后面, 主驾后面, the other side) as plain seat words.

    Raises `SeatUnsupported` when one names no seat (behind the third row).
    """
    extra = _ZH_SEAT_EXTRA if language == "zh" else _EN_SEAT_EXTRA
    plain = _PLAIN_SEAT[language]
    words = sorted(
        (word for word, meaning in extra.items() if (meaning.target or meaning.relation)),
        key=len,
        reverse=True,
    )
    for word in words:
        if word not in text:
            continue
        if language == "en" and not re.search(rf"\b{re.escape(word)}\b", text):
            continue
        target = resolve_seat(extra[word], context)
        if target in plain:
            text = text.replace(word, plain[target])
    return text
