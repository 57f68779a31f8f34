"""Memory requests: recognised here, stored by the memory layer."""

from __future__ import annotations

import pytest

from tongxue.cabin.actions import (
    CabinAction,
    SetAmbientLight,
    SetSeatHeating,
    SetTemperature,
    SetVolume,
)
from tongxue.dialogue.rules import RuleParser


@pytest.mark.parametrize(
    ("text", "actions", "said"),
    [
        ("记住我喜欢22度", [SetTemperature(value=22)], "我喜欢22度"),
        ("记住我喜欢音量40", [SetVolume(value=40)], "我喜欢音量40"),
        ("记住，我喜欢把温度设成21度", [SetTemperature(value=21)], "我喜欢把温度设成21度"),
        ("记住我喜欢的温度是22度", [SetTemperature(value=22)], "我喜欢的温度是22度"),
        ("帮我记一下，我喜欢音量开到25", [SetVolume(value=25)], "我喜欢音量开到25"),
        ("记住我喜欢紫色的氛围灯", [SetAmbientLight(color="purple")], "我喜欢紫色的氛围灯"),
        ("remember I like 22 degrees", [SetTemperature(value=22)], "I like 22 degrees"),
        ("remember I like the volume at 40", [SetVolume(value=40)], "I like the volume at 40"),
        (
            "remember I like my seat heating on level 1",
            [SetSeatHeating(level=1)],
            "I like my seat heating on level 1",
        ),
        (
            "please remember my favourite ambient colour is green",
            [SetAmbientLight(color="green")],
            "my favourite ambient colour is green",
        ),
    ],
)
def test_memory_save(parser: RuleParser, text: str, actions: list[CabinAction], said: str) -> None:
    result = parser.parse(text)
    assert result is not None
    assert (result.kind, result.actions, result.memory_text) == (
        "memory_save",
        tuple(actions),
        said,
    )


@pytest.mark.parametrize(
    "text",
    [
        "记住明天去机场",
        "记住我喜欢周杰伦的为什么",
        "记住打开车窗",  # an errand, not a preference
        "remember to call mom",
        "remember to open the window",
    ],
)
def test_remembering_something_that_is_no_setting_hands_on(parser: RuleParser, text: str) -> None:
    assert parser.parse(text) is None


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("按我的习惯", None),
        ("按我的习惯来", None),
        ("还是老样子", None),
        ("the usual", None),
        ("my usual settings", None),
        ("set it the way I like it", None),
        ("音量按我的习惯来", "音量"),
        ("my usual seat heating, please", "seat heating"),
        ("switch the ambient light back to my favourite", "the ambient light"),
    ],
)
def test_memory_apply(parser: RuleParser, text: str, scope: str | None) -> None:
    result = parser.parse(text)
    assert result is not None
    assert (result.kind, result.actions, result.memory_text) == ("memory_apply", (), scope)


def test_a_scope_must_name_something_in_the_car(parser: RuleParser) -> None:
    parse = parser.parse("天气按我的习惯来")
    assert parse is None or (parse.kind == "actions" and not parse.actions)


@pytest.mark.parametrize(
    "text",
    [
        "你记得我什么",
        "你都记住了我哪些习惯",
        "what do you remember about me",
        "list my preferences",
    ],
)
def test_memory_list(parser: RuleParser, text: str) -> None:
    result = parser.parse(text)
    assert result is not None and result.kind == "memory_list"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("忘掉我喜欢的温度", "我喜欢的温度"),
        ("忘掉我的习惯", "我的习惯"),
        ("forget my temperature preference", "my temperature preference"),
        ("forget everything about me", "everything about me"),
    ],
)
def test_memory_forget(parser: RuleParser, text: str, said: str) -> None:
    result = parser.parse(text)
    assert result is not None
    assert (result.kind, result.memory_text) == ("memory_forget", said)


@pytest.mark.parametrize("text", ["忘记导航", "删除周杰伦的歌", "forget it", "forget about it"])
def test_forgetting_something_else_is_not_memory(parser: RuleParser, text: str) -> None:
    assert parser.parse(text) is None
