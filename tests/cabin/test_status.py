"""Questions the state answers: the facts of each topic, and the sentence in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from tongxue.cabin.profile import DEFAULT_PROFILE, CarProfile, load_builtin_profile
from tongxue.cabin.seats import Seat
from tongxue.cabin.state import CarState
from tongxue.cabin.status import (
    STATUS_TOPICS,
    StatusAnswer,
    StatusFact,
    StatusQuestion,
    StatusTopic,
    answer,
)
from tongxue.dialogue.language import Language
from tongxue.dialogue.replies import format_number, status_reply


def _ask(
    topic: StatusTopic,
    subject: str | None = None,
    state: dict[str, Any] | None = None,
    speaker: Seat = "driver",
    profile: CarProfile = DEFAULT_PROFILE,
) -> StatusAnswer:
    car = profile.initial_state()
    for path, value in (state or {}).items():
        car.set_path(path, value)
    return answer(StatusQuestion(topic=topic, subject=subject), car, profile, speaker)


def _reply(
    language: Language,
    topic: StatusTopic,
    subject: str | None = None,
    state: dict[str, Any] | None = None,
    speaker: Seat = "driver",
) -> str:
    return status_reply(_ask(topic, subject, state, speaker), language)


def _facts(reply: StatusAnswer) -> dict[str, Any]:
    return {fact.name: fact.value for fact in reply.facts}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (22.5, "22.5"),
        (420, "420"),
        (420.0, "420"),
        (12000.0, "12000"),
        (13800138001, "13800138001"),
        (22.25, "22.2"),
        (0.04, "0"),
        (-3.0, "-3"),
        (99.96, "100"),
    ],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_every_topic_is_answered_and_worded_in_both_languages() -> None:
    for topic in STATUS_TOPICS:
        for language in ("zh", "en"):
            text = _reply(language, topic)
            assert text
            assert text.endswith("。" if language == "zh" else ".")
            assert "None" not in text


# --- readings ----------------------------------------------------------------------------

READINGS: list[tuple[StatusTopic, str, Any, str, str]] = [
    ("range", "energy.range_km", 420.0, "续航还有420公里。", "Range is 420 km."),
    ("battery", "energy.battery_percent", 75.5, "电量还有75.5%。", "Battery is at 75.5%."),
    ("fuel", "energy.fuel_percent", 60.0, "油量还有60%。", "Fuel is at 60%."),
    ("speed", "drive.speed_kmh", 62.0, "当前车速62公里每小时。", "Speed is 62 km/h."),
    ("odometer", "drive.odometer_km", 12000.0, "总里程12000公里。", "The odometer reads 12000 km."),
    (
        "outside_temperature",
        "environment.outside_temperature",
        -3.5,
        "车外温度-3.5度。",
        "It's -3.5 °C outside.",
    ),
    (
        "inside_temperature",
        "environment.inside_temperature",
        26.0,
        "车内温度26度。",
        "It's 26 °C inside.",
    ),
]


@pytest.mark.parametrize(("topic", "path", "value", "zh", "en"), READINGS)
def test_readings(topic: StatusTopic, path: str, value: Any, zh: str, en: str) -> None:
    asked = _ask(topic, state={path: value})
    assert [f.value for f in asked.facts] == [value]
    assert asked.facts[0].unit is not None
    assert _reply("zh", topic, state={path: value}) == zh
    assert _reply("en", topic, state={path: value}) == en


def test_defaults_read_as_the_contract_says() -> None:
    assert _reply("zh", "range") == "续航还有900公里。"
    assert _reply("en", "odometer") == "The odometer reads 12000 km."


# --- tyres -------------------------------------------------------------------------------


def _tyres(fl: float, fr: float, rl: float, rr: float) -> dict[str, Any]:
    return {
        "tires.front_left.pressure_kpa": fl,
        "tires.front_right.pressure_kpa": fr,
        "tires.rear_left.pressure_kpa": rl,
        "tires.rear_right.pressure_kpa": rr,
    }


def test_tyres_all_equal_is_one_value() -> None:
    asked = _ask("tyres")
    assert _facts(asked) == dict.fromkeys(
        ["front_left", "front_right", "rear_left", "rear_right"], 250.0
    )
    assert all(f.normal and f.unit == "kPa" for f in asked.facts)
    assert _reply("zh", "tyres") == "四个轮胎都是250kPa，正常。"
    assert _reply("en", "tyres") == "All four tyres are at 250 kPa, normal."


def test_tyres_all_equal_and_low() -> None:
    state = _tyres(200, 200, 200, 200)
    assert _reply("zh", "tyres", state=state) == "四个轮胎都是200kPa，胎压偏低。"
    assert _reply("en", "tyres", state=state) == "All four tyres are at 200 kPa, low."


@pytest.mark.parametrize(
    ("kpa", "normal"), [(219.9, False), (220, True), (300, True), (301, False)]
)
def test_the_normal_band_is_220_to_300(kpa: float, normal: bool) -> None:
    asked = _ask("tyres", state=_tyres(250, 250, 250, kpa))
    assert [f.normal for f in asked.facts] == [True, True, True, normal]


def test_tyres_differing_are_each_given_and_the_odd_ones_named() -> None:
    state = _tyres(250, 250, 180, 310.5)
    assert _reply("zh", "tyres", state=state) == (
        "胎压：左前250kPa，右前250kPa，左后180kPa，右后310.5kPa；左后胎压偏低，右后胎压偏高。"
    )
    assert _reply("en", "tyres", state=state) == (
        "Tyre pressure: front left 250 kPa, front right 250 kPa, rear left 180 kPa, "
        "rear right 310.5 kPa; rear left is low, rear right is high."
    )


def test_tyres_differing_but_normal() -> None:
    state = _tyres(240, 250, 250, 250)
    assert _reply("zh", "tyres", state=state).endswith("，都正常。")
    assert _reply("en", "tyres", state=state).endswith(", all normal.")


# --- set temperature ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "zone"),
    [
        ("driver", "driver"),
        ("passenger", "passenger"),
        ("rear_left", "rear"),
        ("third_right", "rear"),
    ],
)
def test_set_temperature_is_the_speakers_zone(speaker: Seat, zone: str) -> None:
    state = {f"climate.{zone}.temperature": 22.5, "climate.power": True}
    asked = _ask("set_temperature", state=state, speaker=speaker)
    assert _facts(asked) == {zone: 22.5, "climate.power": True}


@pytest.mark.parametrize(
    ("subject", "zones"),
    [
        ("passenger", ["passenger"]),
        ("rear", ["rear"]),
        ("rear_right", ["rear"]),
        ("front", ["driver", "passenger"]),
        ("all", ["driver", "passenger", "rear"]),
        ("left_side", ["driver", "rear"]),
        ("nonsense", ["driver"]),
    ],
)
def test_set_temperature_of_a_named_zone(subject: str, zones: list[str]) -> None:
    asked = _ask("set_temperature", subject=subject)
    assert [f.name for f in asked.facts] == [*zones, "climate.power"]


def test_set_temperature_replies() -> None:
    state = {"climate.passenger.temperature": 22.5, "climate.power": True}
    assert _reply("zh", "set_temperature", "passenger", state) == "副驾温度设定为22.5度。"
    assert _reply("en", "set_temperature", "passenger", state) == (
        "The passenger temperature is set to 22.5 °C."
    )
    assert _reply("zh", "set_temperature") == "主驾温度设定为24度，空调目前关着。"
    assert _reply("en", "set_temperature") == (
        "The driver temperature is set to 24 °C; the climate is off."
    )
    both = {"climate.passenger.temperature": 22.0, "climate.power": True}
    assert _reply("zh", "set_temperature", "front", both) == "温度设定：主驾24度，副驾22度。"
    assert _reply("en", "set_temperature", "front", both) == (
        "Temperature set: driver 24 °C, passenger 22 °C."
    )


def test_set_temperature_on_a_sedan_rear_group() -> None:
    sedan = load_builtin_profile("sedan5")
    asked = _ask("set_temperature", "third_row", speaker="passenger", profile=sedan)
    # The sedan has no third row: the question falls back to the speaker's zone.
    assert [f.name for f in asked.facts] == ["passenger", "climate.power"]


# --- trip --------------------------------------------------------------------------------

TRIP = {
    "navigation.destination": "虹桥站",
    "navigation.remaining_km": 12.4,
    "navigation.eta_min": 25,
}


def test_trip_left() -> None:
    assert _facts(_ask("distance_left", state=TRIP)) == {
        "destination": "虹桥站",
        "remaining_km": 12.4,
    }
    assert _facts(_ask("time_left", state=TRIP)) == {"destination": "虹桥站", "eta_min": 25}
    assert _reply("zh", "distance_left", state=TRIP) == "距离目的地还有12.4公里。"
    assert _reply("en", "distance_left", state=TRIP) == "12.4 km to go."
    assert _reply("zh", "time_left", state=TRIP) == "预计还要25分钟到达。"
    assert _reply("en", "time_left", state=TRIP) == "About 25 minutes to go."


@pytest.mark.parametrize("topic", ["distance_left", "time_left"])
def test_a_route_not_calculated_yet(topic: StatusTopic) -> None:
    state = {"navigation.destination": "虹桥站"}
    asked = _ask(topic, state=state)
    assert asked.facts[1].value is None
    assert _reply("zh", topic, state=state) == "路线还没有算好。"
    assert _reply("en", topic, state=state) == "The route is not calculated yet."


@pytest.mark.parametrize("topic", ["distance_left", "time_left"])
def test_no_navigation_active(topic: StatusTopic) -> None:
    asked = _ask(topic, state={"navigation.remaining_km": 5.0})
    assert _facts(asked) == {"destination": None}
    assert _reply("zh", topic) == "当前没有导航。"
    assert _reply("en", topic) == "No navigation is active."


# --- places ------------------------------------------------------------------------------


def test_location() -> None:
    assert _facts(_ask("location")) == {"location": "上海市浦东新区张江路"}
    assert _reply("zh", "location") == "当前位置：上海市浦东新区张江路。"
    assert _reply("en", "location") == "We are at 上海市浦东新区张江路."


@pytest.mark.parametrize(
    ("topic", "path", "zh", "en", "zh_none", "en_none"),
    [
        (
            "home_address",
            "navigation.home",
            "家的地址是{}。",
            "Home is {}.",
            "还没有设置家的地址。",
            "No home address set.",
        ),
        (
            "work_address",
            "navigation.work",
            "公司的地址是{}。",
            "Work is {}.",
            "还没有设置公司的地址。",
            "No work address set.",
        ),
    ],
)
def test_saved_addresses(
    topic: StatusTopic, path: str, zh: str, en: str, zh_none: str, en_none: str
) -> None:
    assert _reply("zh", topic) == zh_none
    assert _reply("en", topic) == en_none
    state = {path: "世纪大道100号"}
    assert list(_facts(_ask(topic, state=state)).values()) == ["世纪大道100号"]
    assert _reply("zh", topic, state=state) == zh.format("世纪大道100号")
    assert _reply("en", topic, state=state) == en.format("世纪大道100号")


# --- contacts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "name", "number"),
    [
        ("张三", "张三", "13800138001"),
        ("  alice ", "Alice", "13800138004"),
        ("BOB", "Bob", "13800138005"),
    ],
)
def test_contact_number(asked: str, name: str, number: str) -> None:
    assert _facts(_ask("contact_number", asked)) == {name: number}
    assert _reply("zh", "contact_number", asked) == f"{name}的电话是{number}。"
    assert _reply("en", "contact_number", asked) == f"{name}'s number is {number}."


@pytest.mark.parametrize("asked", ["招商银行", "张", "Alic", None])
def test_contact_not_found(asked: str | None) -> None:
    assert [f.value for f in _ask("contact_number", asked).facts] == [None]
    assert "没有找到" in _reply("zh", "contact_number", asked)
    assert "not found" in _reply("en", "contact_number", asked)


def test_contacts_come_from_the_state() -> None:
    contacts = [{"name": "老王", "number": "10086"}]
    assert _facts(_ask("contact_number", "老王", {"phone.contacts": contacts})) == {"老王": "10086"}
    assert _facts(_ask("contact_number", "张三", {"phone.contacts": contacts})) == {"张三": None}


# --- open check --------------------------------------------------------------------------


def test_windows_all_closed() -> None:
    asked = _ask("open_check", "windows")
    assert [f.name for f in asked.facts] == [
        "windows.driver",
        "windows.passenger",
        "windows.rear_left",
        "windows.rear_right",
    ]
    assert all(f.normal for f in asked.facts)
    assert _reply("zh", "open_check", "windows") == "车窗都关好了。"
    assert _reply("en", "open_check", "windows") == "All windows are closed."


def test_an_open_window_is_named() -> None:
    state = {"windows.rear_left": 30}
    asked = _ask("open_check", "windows", state)
    assert [f.name for f in asked.facts if not f.normal] == ["windows.rear_left"]
    assert _reply("zh", "open_check", "windows", state) == "左后车窗开着。"
    assert _reply("en", "open_check", "window", state) == "Rear left window open."


@pytest.mark.parametrize(
    ("subject", "state", "zh", "en"),
    [
        ("sunroof", {}, "天窗关着。", "Sunroof closed."),
        ("sunroof", {"sunroof": 100}, "天窗开着。", "Sunroof open."),
        ("trunk", {"trunk.open": True}, "后备箱开着。", "Trunk open."),
        ("charge_port", {}, "充电口关着。", "Charge port closed."),
        ("doors", {}, "车门已锁好。", "Doors locked."),
        ("locks", {"doors.locked": False}, "车门没锁。", "Doors unlocked."),
        ("climate", {"climate.power": True}, "空调开着。", "Climate on."),
        ("climate", {}, "空调关着。", "Climate off."),
        ("ac", {"climate.ac": True}, "空调制冷开着。", "A/C on."),
        ("fog_lights", {"lights.fog_rear": True}, "后雾灯开着。", "Rear fog lights on."),
    ],
)
def test_open_check_of_one_thing(subject: str, state: dict[str, Any], zh: str, en: str) -> None:
    assert _reply("zh", "open_check", subject, state) == zh
    assert _reply("en", "open_check", subject, state) == en


def test_lights_list_what_is_on() -> None:
    state = {"lights.headlights": "low", "lights.reading.rear_right": True}
    asked = _ask("open_check", "lights", state)
    assert [f.name for f in asked.facts if not f.normal] == [
        "lights.headlights",
        "lights.reading.rear_right",
    ]
    assert _reply("zh", "open_check", "lights", state) == "大灯开着，右后阅读灯开着。"
    assert _reply("en", "open_check", "lights") == "All lights are off."
    assert _reply("zh", "open_check", "lights") == "车灯都关着。"


def test_everything_closed_checks_the_closables() -> None:
    asked = _ask("open_check")
    names = [f.name for f in asked.facts]
    assert {"sunroof", "sunshade", "doors.locked", "trunk.open", "charge_port.open"} <= set(names)
    assert "climate.power" not in names
    assert _reply("zh", "open_check") == "都关好了。"
    assert _reply("en", "open_check", "everything") == "Everything is closed."
    state = {"windows.driver": 100, "trunk.open": True}
    assert _reply("zh", "open_check", None, state) == "主驾车窗开着，后备箱开着。"


def test_several_things_and_paths_may_be_named() -> None:
    asked = _ask("open_check", "windows, sunroof", {"sunroof": 20})
    assert [f.name for f in asked.facts if not f.normal] == ["sunroof"]
    assert len(asked.facts) == 5
    path = _ask("open_check", "climate.front_defrost", {"climate.front_defrost": True})
    assert [(f.name, f.normal) for f in path.facts] == [("climate.front_defrost", False)]


def test_an_unknown_subject_answers_nothing_and_says_so() -> None:
    assert _ask("open_check", "dragons").facts == []
    assert _reply("zh", "open_check", "dragons") == "这个我查不到。"
    assert _reply("en", "open_check", "dragons") == "I can't check that."


def test_per_seat_things_follow_the_car() -> None:
    sedan = load_builtin_profile("sedan5")
    asked = _ask("open_check", "seat_heating", profile=sedan)
    assert not any("third" in f.name for f in asked.facts)
    assert len(asked.facts) == len(sedan.seats)


def test_a_missing_reading_is_said_not_invented() -> None:
    # An answer built from a state that lacks a path (an older adapter) says so.
    blank = StatusAnswer(
        question=StatusQuestion(topic="range"), facts=[StatusFact(name="range_km", value=None)]
    )
    assert status_reply(blank, "zh") == "暂时读不到这项信息。"
    assert status_reply(blank, "en") == "I can't read that right now."


def test_answering_changes_nothing() -> None:
    car = DEFAULT_PROFILE.initial_state()
    before = car.to_dict()
    for topic in STATUS_TOPICS:
        answer(StatusQuestion(topic=topic, subject="windows"), car, DEFAULT_PROFILE, "driver")
    assert car.to_dict() == before
    assert isinstance(car, CarState)
