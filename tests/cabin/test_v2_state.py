"""Contract v2's state paths: defaults, ranges, fitted-only seat paths, read-only, lists."""

from __future__ import annotations

from typing import Any

import pytest

from tongxue.cabin import (
    CarState,
    InvalidValueError,
    UnknownPathError,
    Vehicle,
    is_read_only,
    load_builtin_profile,
)

ALL_SEATS = ("driver", "passenger", "rear_left", "rear_right", "third_left", "third_right")
ADAS_ON = (
    "lane_keep",
    "lane_departure_warning",
    "blind_spot",
    "forward_collision",
    "rear_cross_traffic",
    "speed_warning",
    "seatbelt_reminder",
)
CONTACTS = [
    {"name": "张三", "number": "13800138001"},
    {"name": "李四", "number": "13800138002"},
    {"name": "王芳", "number": "13800138003"},
    {"name": "Alice", "number": "13800138004"},
    {"name": "Bob", "number": "13800138005"},
]

# The v2 state table, transcribed: (path, default).
V2_DEFAULTS: list[tuple[str, Any]] = [
    *[
        (f"seats.{seat}.{leaf}", default)
        for seat in ALL_SEATS
        for leaf, default in (("backrest", 3), ("fore_aft", 50), ("massage_mode", "full"))
    ],
    *[(f"seats.{seat}.lumbar", 0) for seat in ("driver", "passenger")],
    *[(f"seats.{seat}.memory", None) for seat in ("driver", "passenger")],
    ("steering_wheel.heating", False),
    ("mirrors.heating", False),
    ("charge_port.open", False),
    ("fragrance.on", False),
    ("fragrance.scent", "forest"),
    ("fragrance.level", 2),
    ("lights.position", False),
    ("lights.fog_front", False),
    ("lights.fog_rear", False),
    ("lights.ambient.mode", "static"),
    *[(f"climate.{zone}.vent", "normal") for zone in ("driver", "passenger", "rear")],
    ("console.position", 0),
    ("audio.navigation_volume", 50),
    ("audio.call_volume", 60),
    ("audio.system_volume", 40),
    ("audio.eq", "standard"),
    ("audio.engine_sound", "off"),
    ("audio.pedestrian_alert", True),
    ("media.source", "music"),
    ("media.track", 1),
    ("media.liked", False),
    ("media.playlist", None),
    ("media.play_mode", "sequence"),
    ("media.video_screen", None),
    ("radio.band", "FM"),
    ("radio.frequency", 97.7),
    ("radio.preset", None),
    ("radio.presets", [88.1, 93.4, 97.7, 101.7, 105.7, 990]),
    ("phone.call_state", "idle"),
    ("phone.party", None),
    ("phone.last_dialed", None),
    ("phone.contacts", CONTACTS),
    ("screens.center.on", True),
    ("screens.passenger.on", False),
    ("screens.rear.on", False),
    ("screens.passenger.brightness", 60),
    ("screens.rear.brightness", 60),
    ("screens.passenger.position", 0),
    *[(f"screens.{screen}.page", "home") for screen in ("center", "passenger", "rear")],
    ("drive.mode", "comfort"),
    ("drive.power_mode", "hybrid"),
    ("drive.regen", 2),
    ("drive.odometer_km", 12000),
    *[(f"adas.{function}", True) for function in ADAS_ON],
    ("adas.auto_hold", False),
    ("navigation.avoid_highways", False),
    ("navigation.avoid_tolls", False),
    ("navigation.traffic_layer", False),
    ("navigation.route_preference", "recommended"),
    ("navigation.voice", "on"),
    ("navigation.home", None),
    ("navigation.work", None),
    ("navigation.remaining_km", None),
    ("navigation.eta_min", None),
    ("navigation.location", "上海市浦东新区张江路"),
    ("environment.outside_temperature", 20),
    ("environment.inside_temperature", 26),
    ("scene", "none"),
]


@pytest.mark.parametrize(("path", "default"), V2_DEFAULTS, ids=[p for p, _ in V2_DEFAULTS])
def test_v2_default_matches_contract(path: str, default: Any) -> None:
    value = CarState().get_path(path)
    assert value == default
    assert isinstance(value, bool) == isinstance(default, bool)


# Rows of v1's table (test_cabin_state.CONTRACT_DEFAULTS, checked path by path there).
V1_PATH_COUNT = 65


def test_every_path_is_in_the_v1_or_the_v2_table() -> None:
    paths = CarState().paths()
    assert len(set(paths)) == len(paths)
    assert {path for path, _ in V2_DEFAULTS} <= set(paths)
    assert len(paths) == V1_PATH_COUNT + len(V2_DEFAULTS)


@pytest.mark.parametrize(
    "path", [f"seats.{seat}.{leaf}" for seat in ALL_SEATS[2:] for leaf in ("lumbar", "memory")]
)
def test_lumbar_and_memory_exist_only_where_fitted(path: str) -> None:
    with pytest.raises(UnknownPathError):
        CarState().get_path(path)
    with pytest.raises(UnknownPathError):
        CarState().set_path(path, 1)


@pytest.mark.parametrize(
    ("path", "good", "bad"),
    [
        ("seats.driver.backrest", 10, 11),
        ("seats.third_left.backrest", 0, -1),
        ("seats.rear_left.fore_aft", 100, 101),
        ("seats.passenger.lumbar", 3, 4),
        ("seats.driver.memory", 3, 4),
        ("seats.driver.memory", 1, 0),
        ("seats.rear_right.massage_mode", "shoulder", "neck"),
        ("fragrance.level", 3, 4),
        ("fragrance.level", 1, 0),
        ("fragrance.scent", "tea", "rose"),
        ("lights.ambient.mode", "music", "disco"),
        ("climate.rear.vent", "avoid", "storm"),
        ("console.position", 100, 101),
        ("audio.system_volume", 0, -1),
        ("audio.eq", "vocal", "bass"),
        ("audio.engine_sound", "wild", "loud"),
        ("media.source", "video", "tape"),
        ("media.track", 1, 0),
        ("media.play_mode", "shuffle", "random"),
        ("media.video_screen", "rear", "cluster"),
        ("radio.band", "AM", "LW"),
        ("radio.frequency", 1629, 2000),
        ("radio.frequency", 87.5, 50),
        ("radio.preset", 6, 7),
        ("phone.call_state", "ringing", "busy"),
        ("phone.last_dialed", "10086", "10-086"),
        ("screens.passenger.position", 50, 101),
        ("screens.rear.page", "settings", "games"),
        ("drive.mode", "offroad", "race"),
        ("drive.power_mode", "ev", "petrol"),
        ("drive.regen", 3, 4),
        ("adas.auto_hold", True, 1),
        ("navigation.route_preference", "highways", "scenic"),
        ("navigation.voice", "brief", "loud"),
        ("scene", "rest", "party"),
    ],
)
def test_v2_paths_validate_type_and_range(path: str, good: Any, bad: Any) -> None:
    state = CarState()
    state.set_path(path, good)
    assert state.get_path(path) == good
    with pytest.raises(InvalidValueError):
        state.set_path(path, bad)
    assert state.get_path(path) == good


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("phone.contacts", [{"name": "张三", "number": "13800138001"}]),
        ("radio.presets", [87.5, 90.1, 95.5, 100.0, 107.9, 1008]),
        ("navigation.waypoints", ["A", "B"]),
    ],
)
def test_a_list_is_set_whole(path: str, value: list[Any]) -> None:
    state = CarState()
    state.set_path(path, value)
    assert state.get_path(path) == value
    # A copy, not a view: changing what was read changes nothing.
    state.get_path(path).clear()
    assert state.get_path(path) == value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("phone.contacts", [{"name": "张三"}]),
        ("phone.contacts", [{"name": "张三", "number": "138-0013"}]),
        ("radio.presets", [88.1, 93.4]),
    ],
)
def test_a_bad_list_is_refused_whole(path: str, value: list[Any]) -> None:
    state = CarState()
    before = state.get_path(path)
    with pytest.raises(InvalidValueError):
        state.set_path(path, value)
    assert state.get_path(path) == before


@pytest.mark.parametrize(
    ("path", "read_only"),
    [
        ("drive.odometer_km", True),
        ("navigation.remaining_km", True),
        ("navigation.eta_min", True),
        ("navigation.location", True),
        ("environment.outside_temperature", True),
        ("environment.inside_temperature", True),
        ("drive.speed_kmh", True),
        ("drive.mode", False),
        ("drive.power_mode", False),
        ("drive.regen", False),
        ("navigation.home", False),
        ("navigation.destination", False),
    ],
)
def test_v2_read_only_paths(path: str, read_only: bool) -> None:
    assert is_read_only(path) is read_only


def test_read_only_paths_can_still_be_set_up() -> None:
    state = CarState()
    state.set_path("navigation.remaining_km", 12.5)
    state.set_path("environment.outside_temperature", -5)
    assert state.get_path("navigation.remaining_km") == 12.5
    assert state.get_path("environment.outside_temperature") == -5


def test_am_frequencies_stay_whole_numbers() -> None:
    state = CarState()
    state.set_path("radio.frequency", 909)
    assert state.to_dict()["radio"]["frequency"] == 909
    assert isinstance(state.to_dict()["radio"]["frequency"], int)


def test_sedan_keeps_its_seats_and_front_extras() -> None:
    sedan = Vehicle(load_builtin_profile("sedan5"))
    seats = sedan.snapshot()["seats"]
    assert list(seats) == ["driver", "passenger", "rear_left", "rear_right"]
    assert seats["driver"]["lumbar"] == 0
    assert seats["passenger"]["memory"] is None
    assert "lumbar" not in seats["rear_left"]
    assert seats["rear_right"]["backrest"] == 3
    with pytest.raises(UnknownPathError):
        sedan.get("seats.third_left.backrest")


def test_with_seats_can_fit_extras_elsewhere() -> None:
    state = CarState.with_seats(
        ["driver", "passenger", "rear_left"], lumbar=["rear_left"], memory=["driver"]
    )
    assert state.get_path("seats.rear_left.lumbar") == 0
    assert state.get_path("seats.driver.memory") is None
    with pytest.raises(UnknownPathError):
        state.get_path("seats.driver.lumbar")
    with pytest.raises(UnknownPathError):
        state.get_path("seats.rear_left.memory")
    state.set_path("seats.rear_left.lumbar", 3)
    assert state.to_dict()["seats"]["rear_left"]["lumbar"] == 3


def test_vehicle_set_many_takes_v2_paths_and_lists() -> None:
    car = Vehicle()
    car.set_many({"phone.contacts": [], "radio.frequency": 101.7, "scene": "rest"})
    assert car.get("phone.contacts") == []
    assert car.snapshot()["radio"]["frequency"] == 101.7
    car.reset()
    assert car.get("phone.contacts") == CONTACTS
