"""Negations (contract v2, g): never act, except a wish with 了 / anymore, and 别这么X."""

from __future__ import annotations

import pytest

from tongxue.cabin.actions import (
    CabinAction,
    PauseMedia,
    SetEngineSound,
    SetSeatHeating,
    SetVentPattern,
    SetVolume,
)
from tongxue.dialogue.rules import RuleParser
from tongxue.dialogue.rules.types import NegationPart


@pytest.mark.parametrize(
    "text",
    [
        "不用开空调",
        "别开天窗",
        "不要打开座椅加热",
        "don't open the sunroof",
        "no need to turn on the ac",
        "no need for the ac",
        "you don't need to open the sunroof",
    ],
)
def test_a_negation_is_acknowledged_and_changes_nothing(parser: RuleParser, text: str) -> None:
    parse = parser.parse(text)
    assert parse is not None
    assert parse.actions == ()
    assert [type(part) for part in parse.parts] == [NegationPart]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不想听歌了", PauseMedia()),
        ("座椅不用加热了", SetSeatHeating(level=0)),
        ("不要自然风了", SetVentPattern(pattern="normal")),
        ("不想要声浪了", SetEngineSound(style="off")),
        ("i don't want music anymore", PauseMedia()),
        ("I don't want natural wind anymore", SetVentPattern(pattern="normal")),
        ("别这么大声", SetVolume(delta=-10)),
        ("not so loud", SetVolume(delta=-10)),
    ],
)
def test_a_wish_that_is_over_turns_the_thing_off(
    parser: RuleParser, text: str, expected: CabinAction
) -> None:
    parse = parser.parse(text)
    assert parse is not None
    assert parse.actions == (expected,)


@pytest.mark.parametrize(
    "text",
    ["记住打开车窗", "remember to open the window", "如果下雨就关窗", "how do I open the sunroof"],
)
def test_reminders_conditions_and_how_to_questions_never_act(parser: RuleParser, text: str) -> None:
    parse = parser.parse(text)
    assert parse is None or parse.actions == ()
