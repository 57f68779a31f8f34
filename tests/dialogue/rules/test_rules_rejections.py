"""What the parser must hand on: chit-chat, questions, negations, half-understood commands."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tongxue.cabin.actions import (
    CabinAction,
    SetDisplayBrightness,
    SetFanSpeed,
    SetSunroof,
    SetSunshade,
    SetTemperature,
    SetTrunk,
    SetVolume,
    SetWindow,
)
from tongxue.dialogue.rules import RuleParser

Parse = Callable[..., tuple[CabinAction, ...] | None]


@pytest.mark.parametrize(
    "text",
    [
        "你好", "讲个笑话", "还有多少电", "今天天气怎么样", "胎压正常吗", "谢谢你",
        "hello there", "what's the weather", "tell me a joke", "who are you",
        "how much battery do I have left", "thanks, that's all",
    ],
)  # fmt: skip
def test_chit_chat_and_questions(parser: RuleParser, text: str) -> None:
    # Contract v2 answers questions about the car and says offline for the weather;
    # neither changes anything.
    parse = parser.parse(text)
    assert parse is None or not parse.actions


@pytest.mark.parametrize(
    "text",
    [
        # negations and questions about state
        "不要打开车窗", "别开窗", "空调开了吗", "为什么车窗打开了", "车窗开着吗", "车窗开了",
        "don't turn on the ac", "do not open the window", "is the window open",
        "why is it so cold", "how do I open the sunroof", "open the window?",
        # half understood
        "把温度调到那个二十多度", "车窗开十二点",
        "go to sleep", "去除雾", "去年夏天", "去哪里", "我要去睡觉了",
        "播放设置", "play mode",
        # ambiguous: which thing, which amount (v2 settles 打开大灯 / wipers on as low)
        "打开除雾", "打开车门", "亮度调到50", "自动", "关闭远光灯",
        "turn on the lights", "turn on the heating", "set temp to 72",
        # a number that counts things is not an amount
        "四个车窗都打开", "open 2 windows",
        # a bare feeling word is not yet a feeling; a complaint about nothing named
        "冷", "warm", "keep me warm", "太亮了",
        # far too long for a command
        "打开车窗" * 60,
    ],
)  # fmt: skip
def test_hands_on(parser: RuleParser, text: str) -> None:
    # Nothing acts: the turn goes to the model, or is a negation or question (contract v2, g).
    parse = parser.parse(text)
    assert parse is None or not parse.actions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("温度有点高", [SetTemperature(delta=-1)]),
        ("风有点大", [SetFanSpeed(delta=-1)]),
        ("屏幕太亮了，晃眼睛", [SetDisplayBrightness(delta=-10)]),
        ("声音太小了，听不清", [SetVolume(delta=10)]),
        ("the music's way too loud", [SetVolume(delta=-10)]),
        ("the screen is too dark, brighten it a bit", [SetDisplayBrightness(delta=10)]),
        ("风太大了，小一点", [SetFanSpeed(delta=-1)]),  # the complaint names the fan, once
    ],
)
def test_a_complaint_asks_for_one_step_the_other_way(
    actions_of: Parse, text: str, expected: list[CabinAction]
) -> None:
    assert actions_of(text) == tuple(expected)


def test_a_complaint_followed_by_a_request_about_something_else_does_both(
    actions_of: Parse,
) -> None:
    # Contract v2: a complaint is one step the fixing way; the other clause is its own part.
    assert actions_of("风太大了，打开车窗") == (SetFanSpeed(delta=-1), SetWindow(position=100))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("太晒了，把遮阳帘关上", [SetSunshade(position=0)]),
        ("开一下后备箱，我要拿东西", [SetTrunk(open=True)]),
        ("shut the sunroof, it's starting to rain", [SetSunroof(position=0)]),
        ("roll my window up, it's getting cold", [SetWindow(position=0)]),
        ("好冷，把车窗关上", [SetWindow(position=0)]),
    ],
)
def test_a_reason_beside_a_command_is_dropped(
    actions_of: Parse, text: str, expected: list[CabinAction]
) -> None:
    assert actions_of(text) == tuple(expected)


@pytest.mark.parametrize("text", ["下雨了", "我要拿东西", "it's starting to rain"])
def test_a_reason_alone_is_not_a_command(parser: RuleParser, text: str) -> None:
    assert parser.parse(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("天窗打开三成", [SetSunroof(position=30)]),
        ("车窗都打开", [SetWindow(target="all", position=100)]),
        ("前排车窗都打开", [SetWindow(target="front", position=100)]),
        ("open the windows", [SetWindow(target="all", position=100)]),
        ("close my windows", [SetWindow(position=0)]),
    ],
)
def test_how_many_windows(actions_of: Parse, text: str, expected: list[CabinAction]) -> None:
    assert actions_of(text) == tuple(expected)
