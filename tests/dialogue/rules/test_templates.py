"""The template engine itself: syntax, built-in slots, specificity, and loud load errors."""

from __future__ import annotations

import pytest

from tongxue.dialogue.rules.template_data import Sentence, TemplateError, compile_files
from tongxue.dialogue.rules.template_slots import builtin_types
from tongxue.dialogue.rules.templates import _Index, match_template, matching_intents
from tongxue.dialogue.rules.types import ActionPart, Language, RuleContext, UnsupportedPart


def _compile(body: str, language: Language = "zh") -> list[Sentence]:
    return compile_files([("test.yaml", f"language: {language}\n{body}")], language)


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("一零一点七", 101.7),
        ("九百零九", 909),
        ("22.5", 22.5),
        ("二十二点五", 22.5),
        ("八十八", 88),
    ],
)
def test_zh_decimal(said: str, value: float) -> None:
    slot = builtin_types("zh")["decimal"]
    assert slot.convert(said, RuleContext()) == value


@pytest.mark.parametrize(("said", "value"), [("两", 2), ("十五", 15), ("15", 15), ("幺", 1)])
def test_zh_number(said: str, value: int) -> None:
    assert builtin_types("zh")["number"].convert(said, RuleContext()) == value


def test_digits_as_said() -> None:
    zh = builtin_types("zh")["digits"]
    en = builtin_types("en")["digits"]
    assert zh.convert("幺三八零零一三八零零一", RuleContext()) == "13800138001"
    assert en.convert("one three eight oh 0", RuleContext()) == "13800"


def test_en_numbers() -> None:
    number = builtin_types("en")["number"]
    decimal = builtin_types("en")["decimal"]
    assert number.convert("twenty five", RuleContext()) == 25
    assert decimal.convert("ninety seven point seven", RuleContext()) == 97.7


def test_relative_seats_follow_the_speaker() -> None:
    seat = builtin_types("zh")["seat"]
    assert seat.convert("我后面", RuleContext(speaker="passenger")) == "rear_right"
    assert seat.convert("我后面的孩子", RuleContext(speaker="driver")) == "rear_left"
    assert seat.convert("旁边", RuleContext(speaker="rear_left")) == "rear_right"
    assert seat.convert("我前面", RuleContext(speaker="third_right")) == "rear_right"
    assert seat.convert("二排", RuleContext()) == "second_row"
    assert seat.convert("我", RuleContext()) is None


def test_nobody_behind_the_third_row() -> None:
    part = match_template("我后面的座椅往前", "zh", RuleContext(speaker="third_left"))
    assert isinstance(part, UnsupportedPart)


def test_optional_words_and_transforms() -> None:
    part = match_template("副驾靠背往前调十度", "zh", RuleContext(speaker="driver"))
    assert isinstance(part, ActionPart)
    assert part.actions[0].arguments() == {"target": "passenger", "backrest_delta": -2}


def test_english_optional_word_between_spaces() -> None:
    part = match_template("turn on fog lights", "en", RuleContext())
    assert isinstance(part, ActionPart)
    assert part.actions[0].arguments() == {"fog_front": True, "fog_rear": True}


def test_the_clause_must_match_whole() -> None:
    assert match_template("打开香氛然后开窗", "zh", RuleContext()) is None
    assert match_template("xyz", "en", RuleContext()) is None


def test_more_literal_text_wins() -> None:
    sentences = _compile(
        """intents:
  - id: vague
    sentences: ["打开{text}"]
    unsupported: something
  - id: exact
    sentences: ["打开香氛"]
    action: set_fragrance
    args: {on: true}
"""
    )
    index = _Index(sentences)
    assert [c[2].intent.id for c in index.candidates("打开香氛")] == ["exact", "vague"]


def test_value_the_action_rejects_is_no_match() -> None:
    # Memory slots are 1..3: "座椅记忆9" is not a recall.
    part = match_template("座椅记忆9", "zh", RuleContext())
    assert not isinstance(part, ActionPart)


def test_slot_in_alternatives() -> None:
    sentences = _compile(
        """intents:
  - id: preset
    sentences: ["(第{n:number}个|{n:number}号)电台"]
    unsupported: "x"
"""
    )
    assert _Index(sentences).candidates("第三个电台")
    assert _Index(sentences).candidates("3号电台")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("intents:\n  - id: a\n    sentences: ['x']\n    action: no_such\n", "intent 'a'"),
        ("intents:\n  - id: b\n    sentences: ['<nope>']\n    negation: true\n", "<nope>"),
        ("intents:\n  - id: c\n    sentences: ['(x']\n    negation: true\n", "intent 'c'"),
        ("intents:\n  - id: d\n    sentences: ['{nolist}']\n    negation: true\n", "nolist"),
        (
            "intents:\n  - id: e\n    sentences: ['x']\n    action: set_fragrance\n"
            "    args: {scent: mango}\n",
            "intent 'e'",
        ),
        (
            "intents:\n  - id: f\n    sentences: ['x']\n    action: set_fragrance\n"
            "    args: {level: '{number}'}\n",
            "no sentence fills",
        ),
        (
            "intents:\n  - id: g\n    sentences: ['{number}{number}']\n    negation: true\n",
            "twice",
        ),
        ("intents:\n  - id: h\n    sentences: ['x']\n", "exactly one of"),
        (
            "intents:\n  - id: i\n    sentences: ['x']\n    negation: true\n"
            "  - id: i\n    sentences: ['y']\n    negation: true\n",
            "already used",
        ),
    ],
)
def test_bad_files_fail_loudly(body: str, message: str) -> None:
    with pytest.raises(TemplateError) as raised:
        _compile(body)
    assert "test.yaml" in str(raised.value)
    assert message in str(raised.value)


def test_language_must_match_the_folder() -> None:
    with pytest.raises(TemplateError, match="language"):
        compile_files([("x.yaml", "language: en\nintents: []\n")], "zh")


def test_on_is_a_key_not_a_bool() -> None:
    # YAML 1.1 reads `on:` as True; the templates use YAML 1.2 booleans.
    sentences = _compile(
        "intents:\n  - id: w\n    sentences: ['x']\n    action: set_mirror_heating\n"
        "    args: {on: true}\n"
    )
    assert sentences[0].intent.outcome.actions[0].args == {"on": True}


def test_ids_for_debugging() -> None:
    assert matching_intents("打开香氛", "zh")[0] == "fragrance.on"
