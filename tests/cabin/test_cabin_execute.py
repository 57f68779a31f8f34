"""Each action on each path it writes, speaker-seat mapping, groups, clamping, support."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from support.cabin_writes import assert_writes_only
from tongxue.cabin import (
    SEATS,
    ActionContext,
    ActionResult,
    AddWaypoint,
    CabinAction,
    CancelNavigation,
    CarProfile,
    NavigateTo,
    PauseMedia,
    PlayMedia,
    Seat,
    SetAmbientLight,
    SetChildLock,
    SetClimate,
    SetClimateMode,
    SetDefrost,
    SetDisplayBrightness,
    SetDoorLock,
    SetFanSpeed,
    SetHeadlights,
    SetMirrors,
    SetMute,
    SetReadingLight,
    SetRecirculation,
    SetSeatHeating,
    SetSeatMassage,
    SetSeatVentilation,
    SetSunroof,
    SetSunshade,
    SetTemperature,
    SetTrunk,
    SetVolume,
    SetWindow,
    SetWipers,
    Vehicle,
)

Run = Callable[..., ActionResult]

# (setup paths, action, expected writes) from a driver in a parked default car.
PATH_CASES: list[tuple[dict[str, Any], CabinAction, dict[str, Any]]] = [
    *[
        ({}, SetWindow(target=w, position=100), {f"windows.{w}": 100})  # type: ignore[arg-type]
        for w in ("driver", "passenger", "rear_left", "rear_right")
    ],
    (
        {"windows.passenger": 80},
        SetWindow(target="passenger", position=0),
        {"windows.passenger": 0},
    ),
    ({}, SetWindow(target="rear_left", position=50), {"windows.rear_left": 50}),
    ({}, SetSunroof(position=100), {"sunroof": 100}),
    ({"sunroof": 40}, SetSunroof(delta=-20), {"sunroof": 20}),
    ({}, SetSunshade(position=50), {"sunshade": 50}),
    ({}, SetSunshade(delta=20), {"sunshade": 20}),
    ({}, SetDoorLock(locked=False), {"doors.locked": False}),
    ({"doors.locked": False}, SetDoorLock(locked=True), {"doors.locked": True}),
    ({}, SetChildLock(on=True), {"doors.child_lock": True}),
    ({"doors.child_lock": True}, SetChildLock(on=False), {"doors.child_lock": False}),
    ({}, SetTrunk(open=True), {"trunk.open": True}),
    ({"trunk.open": True}, SetTrunk(open=False), {"trunk.open": False}),
    ({}, SetClimate(power=True, ac=True), {"climate.power": True, "climate.ac": True}),
    (
        {"climate.power": True, "climate.ac": True},
        SetClimate(power=False, ac=False),
        {"climate.power": False, "climate.ac": False},
    ),
    ({}, SetClimate(ac=True), {"climate.power": True, "climate.ac": True}),
    ({}, SetClimate(power=True), {"climate.power": True}),
    (
        {"climate.power": True, "climate.ac": True},
        SetClimate(power=False),
        {"climate.power": False},
    ),
    *[
        (
            {},
            SetTemperature(target=zone, value=22),  # type: ignore[arg-type]
            {f"climate.{zone}.temperature": 22, "climate.power": True},
        )
        for zone in ("driver", "passenger")
    ],
    (
        {},
        SetTemperature(target="rear", value=26.5),
        {"climate.rear.temperature": 26.5, "climate.power": True},
    ),
    ({}, SetTemperature(delta=1), {"climate.driver.temperature": 25, "climate.power": True}),
    ({}, SetTemperature(value=22.3), {"climate.driver.temperature": 22.5, "climate.power": True}),
    # Contract v2 (e): a fan above 0 and an air mode turn the climate on.
    ({}, SetFanSpeed(value=3), {"climate.fan_speed": 3, "climate.power": True}),
    (
        {"climate.fan_speed": 3, "climate.power": True},
        SetFanSpeed(delta=-1),
        {"climate.fan_speed": 2},
    ),
    *[
        ({}, SetClimateMode(mode=m), {"climate.mode": m, "climate.power": True})
        for m in ("face", "feet", "face_feet", "windshield")
    ],
    (
        {"climate.mode": "face", "climate.power": True},
        SetClimateMode(mode="auto"),
        {"climate.mode": "auto"},
    ),
    ({}, SetRecirculation(on=True), {"climate.recirculation": True}),
    ({}, SetDefrost(window="front", on=True), {"climate.front_defrost": True}),
    ({}, SetDefrost(window="rear", on=True), {"climate.rear_defrost": True}),
    (
        {"climate.rear_defrost": True},
        SetDefrost(window="rear", on=False),
        {"climate.rear_defrost": False},
    ),
    *[
        ({}, cls(target=seat, level=3), {f"seats.{seat}.{leaf}": 3})
        for cls, leaf in (
            (SetSeatHeating, "heating"),
            (SetSeatVentilation, "ventilation"),
            (SetSeatMassage, "massage"),
        )
        for seat in SEATS
    ],
    ({"seats.driver.heating": 2}, SetSeatHeating(delta=1), {"seats.driver.heating": 3}),
    ({"seats.driver.massage": 2}, SetSeatMassage(level=0), {"seats.driver.massage": 0}),
    *[({}, SetHeadlights(mode=m), {"lights.headlights": m}) for m in ("off", "low", "high")],
    ({"lights.headlights": "off"}, SetHeadlights(mode="auto"), {"lights.headlights": "auto"}),
    ({}, SetAmbientLight(on=True), {"lights.ambient.on": True}),
    ({"lights.ambient.on": True}, SetAmbientLight(on=False), {"lights.ambient.on": False}),
    (
        {},
        SetAmbientLight(color="blue"),
        {"lights.ambient.color": "blue", "lights.ambient.on": True},
    ),
    (
        {},
        SetAmbientLight(brightness=80),
        {"lights.ambient.brightness": 80, "lights.ambient.on": True},
    ),
    (
        {},
        SetAmbientLight(brightness_delta=-10),
        {"lights.ambient.brightness": 40, "lights.ambient.on": True},
    ),
    *[
        ({}, SetReadingLight(target=seat, on=True), {f"lights.reading.{seat}": True})
        for seat in SEATS
    ],
    *[({}, SetWipers(mode=m), {"wipers": m}) for m in ("auto", "low", "high")],
    ({"wipers": "high"}, SetWipers(mode="off"), {"wipers": "off"}),
    ({}, SetMirrors(folded=True), {"mirrors.folded": True}),
    ({"mirrors.folded": True}, SetMirrors(folded=False), {"mirrors.folded": False}),
    ({}, PlayMedia(query="周杰伦"), {"media.playing": True, "media.query": "周杰伦"}),
    ({"media.query": "jazz"}, PlayMedia(), {"media.playing": True}),
    ({"media.playing": True}, PauseMedia(), {"media.playing": False}),
    ({}, SetVolume(value=50), {"media.volume": 50}),
    ({}, SetVolume(delta=10), {"media.volume": 40}),
    ({}, SetVolume(delta=-10), {"media.volume": 20}),
    ({}, SetMute(muted=True), {"media.muted": True}),
    ({"media.muted": True}, SetMute(muted=False), {"media.muted": False}),
    ({}, NavigateTo(destination="上海虹桥站"), {"navigation.destination": "上海虹桥站"}),
    (
        {"navigation.destination": "A", "navigation.waypoints": ["B"]},
        NavigateTo(destination="C"),
        {"navigation.destination": "C", "navigation.waypoints": []},
    ),
    (
        {"navigation.destination": "A", "navigation.waypoints": ["B"]},
        AddWaypoint(place="C"),
        {"navigation.waypoints": ["B", "C"]},
    ),
    (
        {"navigation.destination": "A", "navigation.waypoints": ["B"]},
        CancelNavigation(),
        {"navigation.destination": None, "navigation.waypoints": []},
    ),
    ({}, SetDisplayBrightness(value=90), {"display.brightness": 90}),
    ({}, SetDisplayBrightness(delta=10), {"display.brightness": 70}),
    ({}, SetDisplayBrightness(delta=-10), {"display.brightness": 50}),
]


@pytest.mark.parametrize(
    ("setup", "action", "expected"),
    PATH_CASES,
    ids=[f"{i}-{case[1].name}" for i, case in enumerate(PATH_CASES)],
)
def test_action_writes_its_paths_and_nothing_else(
    run: Run, car: Vehicle, setup: dict[str, Any], action: CabinAction, expected: dict[str, Any]
) -> None:
    assert_writes_only(run, car, setup, action, expected)


def test_every_action_is_covered_by_the_path_cases() -> None:
    from tongxue.cabin.actions import V1_ACTION_CLASSES

    # Contract v2's actions have their own cases in test_v2_effects.py.
    assert {action.name for _, action, _ in PATH_CASES} == {c.name for c in V1_ACTION_CLASSES}


# --- the speaker's seat ---------------------------------------------------------------

SPEAKER_ZONE = {
    "driver": "driver",
    "passenger": "passenger",
    "rear_left": "rear",
    "rear_right": "rear",
    "third_left": "rear",
    "third_right": "rear",
}
SPEAKER_WINDOW = {
    "driver": "driver",
    "passenger": "passenger",
    "rear_left": "rear_left",
    "rear_right": "rear_right",
    "third_left": "rear_left",
    "third_right": "rear_right",
}


@pytest.mark.parametrize("speaker", SEATS)
def test_speaker_temperature_goes_to_their_zone(run: Run, car: Vehicle, speaker: Seat) -> None:
    result = run(car, SetTemperature(value=22), speaker=speaker)
    assert [c.path for c in result.changes] == [
        f"climate.{SPEAKER_ZONE[speaker]}.temperature",
        "climate.power",
    ]


@pytest.mark.parametrize("speaker", SEATS)
def test_speaker_window_is_the_nearest_window(run: Run, car: Vehicle, speaker: Seat) -> None:
    result = run(car, SetWindow(position=100), speaker=speaker)
    assert [c.path for c in result.changes] == [f"windows.{SPEAKER_WINDOW[speaker]}"]


@pytest.mark.parametrize("speaker", SEATS)
@pytest.mark.parametrize(
    ("make", "leaf"),
    [
        (lambda: SetSeatHeating(level=2), "seats.{}.heating"),
        (lambda: SetSeatVentilation(level=2), "seats.{}.ventilation"),
        (lambda: SetSeatMassage(level=2), "seats.{}.massage"),
        (lambda: SetReadingLight(on=True), "lights.reading.{}"),
    ],
)
def test_speaker_seat_things_are_their_own(
    run: Run, car: Vehicle, speaker: Seat, make: Any, leaf: str
) -> None:
    result = run(car, make(), speaker=speaker)
    assert [c.path for c in result.changes] == [leaf.format(speaker)]


def test_contract_example_rear_left_sets_rear_zone(run: Run, car: Vehicle) -> None:
    run(car, SetTemperature(value=22), speaker="rear_left")
    assert car.get("climate.rear.temperature") == 22
    assert car.get("climate.driver.temperature") == 24
    assert car.get("climate.power") is True


def test_contract_example_cold_then_warmer(run: Run, car: Vehicle) -> None:
    # "有点冷" (+2) then "再高一点" (+1) from the passenger seat, at 60 km/h.
    car.set("drive.speed_kmh", 60)
    run(car, SetTemperature(delta=2), speaker="passenger", turn_id="1")
    run(car, SetTemperature(delta=1), speaker="passenger", turn_id="2")
    assert car.get("climate.passenger.temperature") == 27


# --- groups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "windows"),
    [
        ("front", ["driver", "passenger"]),
        ("rear", ["rear_left", "rear_right"]),
        ("all", ["driver", "passenger", "rear_left", "rear_right"]),
    ],
)
def test_window_groups(run: Run, car: Vehicle, target: Any, windows: list[str]) -> None:
    result = run(car, SetWindow(target=target, position=50), speaker="third_left")
    assert [c.path for c in result.changes] == [f"windows.{w}" for w in windows]


@pytest.mark.parametrize(
    ("target", "zones"),
    [
        ("front", ["driver", "passenger"]),
        ("rear", ["rear"]),
        ("third_row", ["rear"]),
        ("third_right", ["rear"]),
        ("all", ["driver", "passenger", "rear"]),
    ],
)
def test_temperature_groups(run: Run, car: Vehicle, target: Any, zones: list[str]) -> None:
    result = run(car, SetTemperature(target=target, value=20))
    assert [c.path for c in result.changes] == [
        *(f"climate.{z}.temperature" for z in zones),
        "climate.power",
    ]


@pytest.mark.parametrize(
    ("target", "seats"),
    [
        ("front", ["driver", "passenger"]),
        ("rear", ["rear_left", "rear_right", "third_left", "third_right"]),
        ("third_row", ["third_left", "third_right"]),
        ("all", list(SEATS)),
    ],
)
def test_seat_groups(run: Run, car: Vehicle, target: Any, seats: list[str]) -> None:
    heating = run(car, SetSeatHeating(target=target, level=1))
    assert [c.path for c in heating.changes] == [f"seats.{s}.heating" for s in seats]
    lights = run(car, SetReadingLight(target=target, on=True))
    assert [c.path for c in lights.changes] == [f"lights.reading.{s}" for s in seats]


def test_group_keeps_only_seats_that_have_the_thing(run: Run) -> None:
    profile = CarProfile.model_validate(
        {"id": "p", "name": "P", "equipment": {"seat_massage": ["driver", "rear_right"]}}
    )
    car = Vehicle(profile)
    result = run(car, SetSeatMassage(target="all", level=2))
    assert [c.path for c in result.changes] == ["seats.driver.massage", "seats.rear_right.massage"]
    result = run(car, SetSeatMassage(target="rear", level=2))
    assert result.status == "unchanged"
    single = run(car, SetSeatMassage(target="passenger", level=2))
    assert (single.status, single.reason_code) == ("unsupported", "not_equipped")
    own = run(car, SetSeatMassage(level=2), speaker="third_left")
    assert (own.status, own.reason_code) == ("unsupported", "not_equipped")


# --- clamping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "action", "path", "requested", "applied"),
    [
        ({}, SetWindow(position=130), "windows.driver", 130, 100),
        ({"windows.driver": 30}, SetWindow(position=-5), "windows.driver", -5, 0),
        ({"windows.driver": 90}, SetWindow(delta=20), "windows.driver", 110, 100),
        ({"sunroof": 10}, SetSunroof(delta=-20), "sunroof", -10, 0),
        ({}, SetSunshade(position=101), "sunshade", 101, 100),
        ({}, SetTemperature(value=35), "climate.driver.temperature", 35, 32),
        ({}, SetTemperature(value=10), "climate.driver.temperature", 10, 16),
        (
            {"climate.driver.temperature": 31.5},
            SetTemperature(delta=2),
            "climate.driver.temperature",
            33.5,
            32,
        ),
        ({}, SetFanSpeed(value=9), "climate.fan_speed", 9, 7),
        ({"climate.fan_speed": 1}, SetFanSpeed(delta=-2), "climate.fan_speed", -1, 0),
        ({}, SetSeatHeating(level=5), "seats.driver.heating", 5, 3),
        (
            {"seats.driver.ventilation": 2},
            SetSeatVentilation(delta=2),
            "seats.driver.ventilation",
            4,
            3,
        ),
        ({"seats.driver.massage": 2}, SetSeatMassage(level=-1), "seats.driver.massage", -1, 0),
        ({}, SetVolume(value=120), "media.volume", 120, 100),
        ({"media.volume": 5}, SetVolume(delta=-10), "media.volume", -5, 0),
        ({}, SetAmbientLight(brightness=150), "lights.ambient.brightness", 150, 100),
        ({}, SetDisplayBrightness(delta=50), "display.brightness", 110, 100),
    ],
)
def test_clamping_is_reported(
    run: Run,
    car: Vehicle,
    setup: dict[str, Any],
    action: CabinAction,
    path: str,
    requested: float,
    applied: float,
) -> None:
    car.set_many(setup)
    result = run(car, action)
    assert result.status == "clamped"
    assert [(c.path, c.requested, c.applied) for c in result.clamped] == [
        (path, requested, applied)
    ]
    assert car.get(path) == applied
    assert any(c.path == path and c.new == applied for c in result.changes)


def test_clamped_even_when_already_at_the_limit(run: Run, car: Vehicle) -> None:
    car.set("climate.driver.temperature", 32)
    car.set("climate.power", True)
    result = run(car, SetTemperature(value=35))
    assert result.status == "clamped"
    assert result.changes == []


def test_in_range_values_are_not_clamped(run: Run, car: Vehicle) -> None:
    result = run(car, SetTemperature(value=32))
    assert result.status == "done"
    assert result.clamped == []


def test_group_clamps_each_zone_from_its_own_value(run: Run, car: Vehicle) -> None:
    car.set("climate.rear.temperature", 20)
    result = run(car, SetTemperature(target="all", delta=10))
    assert [c.path for c in result.clamped] == [
        "climate.driver.temperature",
        "climate.passenger.temperature",
    ]
    assert car.get("climate.rear.temperature") == 30


# --- unchanged, unsupported, several actions ------------------------------------------


@pytest.mark.parametrize(
    "action",
    [SetWindow(position=0), SetDoorLock(locked=True), PauseMedia(), SetWipers(mode="off")],
    ids=lambda a: a.name,
)
def test_asking_for_the_current_state_is_unchanged(
    run: Run, car: Vehicle, action: CabinAction
) -> None:
    result = run(car, action)
    assert result.status == "unchanged"
    assert result.changes == []


def test_waypoint_already_on_the_route_is_not_added_twice(run: Run, car: Vehicle) -> None:
    car.set_many({"navigation.destination": "A", "navigation.waypoints": ["B"]})
    assert run(car, AddWaypoint(place="B")).status == "unchanged"


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (SetSeatHeating(target="third_row", level=2), "no_such_seat"),
        (SetSeatHeating(target="third_left", level=2), "no_such_seat"),
        (SetTemperature(target="third_row", value=22), "no_such_seat"),
        (SetReadingLight(target="third_right", on=True), "no_such_seat"),
        (SetSeatMassage(level=2), "not_equipped"),
        (SetSeatVentilation(target="rear_left", level=2), "not_equipped"),
        (SetSunshade(position=100), "not_equipped"),
    ],
    ids=lambda v: v.name if isinstance(v, CabinAction) else v,
)
def test_sedan_reports_unsupported_instead_of_crashing(
    run: Run, sedan: Vehicle, action: CabinAction, code: str
) -> None:
    before = sedan.snapshot()
    result = run(sedan, action)
    assert (result.status, result.reason_code) == ("unsupported", code)
    assert result.reason
    assert result.changes == []
    assert sedan.snapshot() == before


def test_sedan_groups_use_the_seats_it_has(run: Run, sedan: Vehicle) -> None:
    result = run(sedan, SetSeatHeating(target="rear", level=1))
    assert [c.path for c in result.changes] == [
        "seats.rear_left.heating",
        "seats.rear_right.heating",
    ]
    result = run(sedan, SetSeatVentilation(target="all", level=1))
    assert [c.path for c in result.changes] == [
        "seats.driver.ventilation",
        "seats.passenger.ventilation",
    ]


def test_sedan_maps_a_third_row_speaker_to_the_rear(run: Run, sedan: Vehicle) -> None:
    result = run(sedan, SetSeatHeating(level=2), speaker="third_right")
    assert [c.path for c in result.changes] == ["seats.rear_right.heating"]


@pytest.mark.parametrize("target", ["third_left", "third_row"])
def test_third_row_has_no_windows(run: Run, car: Vehicle, target: Any) -> None:
    result = run(car, SetWindow(target=target, position=100))
    assert (result.status, result.reason_code) == ("unsupported", "no_window")


def test_actions_of_a_turn_run_in_order(car: Vehicle) -> None:
    results = car.execute(
        [
            SetVolume(value=50),
            SetVolume(delta=10),
            SetSunshade(position=100),
            SetSunroof(position=100),
        ],
        ActionContext(speaker="driver"),
        "t1",
    )
    assert [r.status for r in results] == ["done"] * 4
    assert results[1].changes[0].old == 50
    assert car.get("media.volume") == 60
    assert (car.get("sunshade"), car.get("sunroof")) == (100, 100)


def test_result_arguments_are_what_was_asked(run: Run, car: Vehicle) -> None:
    result = run(car, SetWindow(target="rear", delta=20))
    assert result.arguments == {"target": "rear", "delta": 20}
    assert result.model_dump(mode="json")["changes"][0] == {
        "path": "windows.rear_left",
        "old": 0,
        "new": 20,
    }
