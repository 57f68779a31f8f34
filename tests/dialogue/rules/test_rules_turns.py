"""Compound commands, follow-ups leaning on the previous turn, and undo."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tongxue.cabin.actions import (
    CabinAction,
    NavigateTo,
    NavigateToSaved,
    PlayMedia,
    SetAmbientLight,
    SetClimate,
    SetDisplayBrightness,
    SetFanSpeed,
    SetHeadlights,
    SetRecirculation,
    SetSeatHeating,
    SetSeatMassage,
    SetSeatPosition,
    SetSeatVentilation,
    SetSteeringWheelHeating,
    SetSunroof,
    SetSunshade,
    SetTemperature,
    SetVolume,
    SetWindow,
)
from tongxue.dialogue.rules import RuleContext, RuleParser
from tongxue.dialogue.rules.types import ActionPart, ProviderPart, QuestionPart, UnknownPart

Parse = Callable[..., tuple[CabinAction, ...] | None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("关窗，开内循环", [SetWindow(position=0), SetRecirculation(on=True)]),
        (
            "导航去首都机场，顺便放点爵士乐",
            [NavigateTo(destination="首都机场"), PlayMedia(query="爵士乐")],
        ),
        ("打开座椅加热和座椅按摩", [SetSeatHeating(level=2), SetSeatMassage(level=2)]),
        ("打开车窗和天窗", [SetWindow(position=100), SetSunroof(position=100)]),
        ("把音量调到40，再把屏幕调亮一点", [SetVolume(value=40), SetDisplayBrightness(delta=10)]),
        (
            "turn on the AC and set the temperature to 22",
            [SetClimate(power=True, ac=True), SetTemperature(value=22)],
        ),
        (
            "turn on the ac and seat heating",
            [SetClimate(power=True, ac=True), SetSeatHeating(level=2)],
        ),
        (
            "turn the volume up and make the ambient lights blue",
            [SetVolume(delta=10), SetAmbientLight(color="blue")],
        ),
        # a clause that leans on the one before it
        (
            "主驾座椅加热打开，副驾也是",
            [SetSeatHeating(target="driver", level=2), SetSeatHeating(target="passenger", level=2)],
        ),
    ],
)
def test_compound(actions_of: Parse, text: str, expected: list[CabinAction]) -> None:
    assert actions_of(text) == tuple(expected)


@pytest.mark.parametrize(
    "text",
    [
        "open the window and tell me a joke",
        "play simon and garfunkel",  # handed on rather than cut in two
    ],
)
def test_a_compound_with_a_part_not_understood_hands_on(actions_of: Parse, text: str) -> None:
    assert actions_of(text) is None


def test_a_compound_keeps_the_parts_understood_and_hands_on_the_rest(parser: RuleParser) -> None:
    # Contract v2: the parts the rules understood act; the rest goes to the model alone.
    parse = parser.parse("打开车窗然后讲个笑话")
    assert parse is not None
    assert parse is not None
    first, second = parse.parts
    assert isinstance(first, ActionPart)
    assert first.actions == (SetWindow(position=100),)
    assert second == UnknownPart("讲个笑话")


AC_ON = SetClimate(power=True, ac=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("导航到公司打开空调", (NavigateToSaved(place="work", fallback="公司"), AC_ON)),
        ("打开空调打开外循环", (SetClimate(power=True, ac=True), SetRecirculation(on=False))),
        ("关闭天窗关闭遮阳帘", (SetSunroof(position=0), SetSunshade(position=0))),
        ("把空调调到二十三度打开座椅通风", (SetTemperature(value=23), SetSeatVentilation(level=2))),
        ("关闭天窗打开空调", (SetSunroof(position=0), SetClimate(power=True, ac=True))),
        ("打开座椅按摩座椅通风", (SetSeatMassage(level=2), SetSeatVentilation(level=2))),
    ],
)  # fmt: skip
def test_a_run_on_compound_does_every_part(
    actions_of: Parse, text: str, expected: tuple[CabinAction, ...]
) -> None:
    assert actions_of(text) == expected


@pytest.mark.parametrize(
    ("previous", "text", "expected"),
    [
        (
            SetTemperature(target="passenger", value=22),
            "再高一点",
            SetTemperature(target="passenger", delta=1),
        ),
        (SetTemperature(delta=2), "higher", SetTemperature(delta=1)),
        (SetTemperature(value=20), "a bit lower", SetTemperature(delta=-1)),
        (SetWindow(target="driver", position=100), "关上", SetWindow(target="driver", position=0)),
        (
            SetWindow(target="rear_right", delta=20),
            "a bit more",
            SetWindow(target="rear_right", delta=20),
        ),
        (SetWindow(position=20), "再开一点", SetWindow(delta=20)),
        (SetSunroof(position=100), "close it", SetSunroof(position=0)),
        (SetSunroof(position=100), "开一半就行", SetSunroof(position=50)),
        (SetVolume(value=40), "再大一点", SetVolume(delta=10)),
        (SetVolume(value=40), "turn it down", SetVolume(delta=-10)),
        (SetFanSpeed(value=3), "stronger", SetFanSpeed(delta=1)),
        (SetSeatHeating(level=2), "调到3档", SetSeatHeating(level=3)),
        (SetSeatHeating(level=2), "make it level 3", SetSeatHeating(level=3)),
        (SetAmbientLight(color="red"), "再亮一点", SetAmbientLight(brightness_delta=10)),
        (SetAmbientLight(on=True), "make them green", SetAmbientLight(color="green")),
        (SetDisplayBrightness(value=40), "brighter", SetDisplayBrightness(delta=10)),
    ],
)
def test_follow_up(
    actions_of: Parse, previous: CabinAction, text: str, expected: CabinAction
) -> None:
    assert actions_of(text, previous) == (expected,)


@pytest.mark.parametrize(
    ("previous", "text", "expected"),
    [
        (
            SetWindow(target="driver", position=100),
            "副驾也打开",
            SetWindow(target="passenger", position=100),
        ),
        (
            SetWindow(position=100),
            "also the passenger side",
            SetWindow(target="passenger", position=100),
        ),
        (
            SetWindow(position=100),
            "the rear right one as well",
            SetWindow(target="rear_right", position=100),
        ),
        (SetSeatHeating(level=2), "副驾也是", SetSeatHeating(target="passenger", level=2)),
        (
            SetTemperature(target="passenger", value=22),
            "and the rear to 20",
            SetTemperature(target="rear", value=20),
        ),
    ],
)
def test_also_for_other_seats(
    actions_of: Parse, previous: CabinAction, text: str, expected: CabinAction
) -> None:
    assert actions_of(text, previous) == (expected,)


def test_a_follow_up_picks_the_one_previous_device_that_fits(actions_of: Parse) -> None:
    previous = (SetClimate(power=True, ac=True), SetTemperature(value=22))
    assert actions_of("再高一点", *previous) == (SetTemperature(delta=1),)
    assert actions_of("关掉", *previous) == (SetClimate(power=False, ac=False),)


@pytest.mark.parametrize(
    ("previous", "text"),
    [
        ((), "再高一点"),
        ((), "关上"),
        ((), "亮一点"),  # ambient or display? nothing says
        ((), "副驾也是"),
        ((SetTemperature(value=22), SetFanSpeed(value=3)), "高一点"),  # both fit: unclear
        ((SetVolume(value=40),), "a bit more"),  # no earlier direction to continue
        ((SetHeadlights(mode="high"),), "关掉"),  # dip, or off?
        ((PlayMedia(query="jazz"),), "再大一点"),
    ],
)
def test_follow_ups_without_a_clear_referent_hand_on(
    actions_of: Parse, previous: tuple[CabinAction, ...], text: str
) -> None:
    assert actions_of(text, *previous) is None


@pytest.mark.parametrize(
    "text",
    [
        "撤销",
        "撤销刚才的操作",
        "取消刚才的操作",
        "算了，撤销吧",
        "恢复原样",
        "undo",
        "undo that",
        "revert it",
    ],
)
def test_undo(parser: RuleParser, text: str) -> None:
    result = parser.parse(text, RuleContext(previous_actions=(SetTemperature(delta=2),)))
    assert result is not None
    assert (result.kind, result.actions) == ("undo", ())


@pytest.mark.parametrize("text", ["取消", "恢复", "cancel"])
def test_bare_cancel_is_not_undo(parser: RuleParser, text: str) -> None:
    assert parser.parse(text) is None


def test_language_is_reported(parser: RuleParser) -> None:
    zh = parser.parse("打开车窗")
    en = parser.parse("open the window")
    assert zh is not None and zh.language == "zh"
    assert en is not None and en.language == "en"


@pytest.mark.parametrize(
    ("text", "destination"),
    [("导航去附近的加油站", "附近的加油站"), ("去公司附近的加油站", "公司附近的加油站")],
)
def test_navigating_to_a_place_search_is_navigation(
    actions_of: Parse, text: str, destination: str
) -> None:
    # Contract v2: 导航到/去/带我去 X is navigation, even to 最近的加油站.
    assert actions_of(text) == (NavigateTo(destination=destination),)


def test_a_weather_question_does_not_swallow_the_command_before_it(parser: RuleParser) -> None:
    parse = parser.parse("关闭车窗明天下雪吗")
    assert parse is not None
    first, second = parse.parts
    assert isinstance(first, ActionPart)
    assert first.actions == (SetWindow(position=0),)
    assert isinstance(second, ProviderPart)
    assert second.kind == "weather"


def test_two_changes_of_one_seat_are_both_kept(actions_of: Parse) -> None:
    assert actions_of("座椅往后一点靠背放倒一点") == (
        SetSeatPosition(fore_aft_delta=20),
        SetSeatPosition(backrest_delta=1),
    )


def test_hesitations_and_a_trailing_too_do_not_break_a_compound(actions_of: Parse) -> None:
    assert actions_of("turn on the seat heating and, um, the steering wheel heating too") == (
        SetSeatHeating(level=2),
        SetSteeringWheelHeating(on=True),
    )


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("外面现在多少度，冷不冷", "outside_temperature"),
        ("我现在开多快了，没超速吧", "speed"),
        ("the car feels a bit wobbly, is one of the tyres going flat?", "tyres"),
    ],
)
def test_a_tag_question_across_clauses_asks_one_question(
    parser: RuleParser, text: str, topic: str
) -> None:
    parse = parser.parse(text, RuleContext())
    assert parse is not None
    [part] = parse.parts
    assert isinstance(part, QuestionPart) and part.question.topic == topic
    assert parse.actions == ()


def test_a_command_beside_a_question_is_never_swallowed(parser: RuleParser) -> None:
    parse = parser.parse("打开车窗，外面多少度", RuleContext())
    assert parse is not None
    kinds = [type(part).__name__ for part in parse.parts]
    assert kinds == ["ActionPart", "QuestionPart"]
