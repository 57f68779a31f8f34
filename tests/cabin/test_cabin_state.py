from __future__ import annotations

from typing import Any

import pytest

from tongxue.cabin import CarState, InvalidValueError, UnknownPathError, is_read_only

# The contract's state table, transcribed: (path, default).
CONTRACT_DEFAULTS: list[tuple[str, Any]] = [
    *[(f"windows.{w}", 0) for w in ("driver", "passenger", "rear_left", "rear_right")],
    ("sunroof", 0),
    ("sunshade", 0),
    ("doors.locked", True),
    ("doors.child_lock", False),
    ("trunk.open", False),
    ("climate.power", False),
    ("climate.ac", False),
    *[(f"climate.{z}.temperature", 24) for z in ("driver", "passenger", "rear")],
    ("climate.fan_speed", 0),
    ("climate.mode", "auto"),
    ("climate.recirculation", False),
    ("climate.front_defrost", False),
    ("climate.rear_defrost", False),
    *[
        (f"seats.{s}.{f}", 0)
        for s in ("driver", "passenger", "rear_left", "rear_right", "third_left", "third_right")
        for f in ("heating", "ventilation", "massage")
    ],
    ("lights.headlights", "auto"),
    ("lights.ambient.on", False),
    ("lights.ambient.color", "white"),
    ("lights.ambient.brightness", 50),
    *[
        (f"lights.reading.{s}", False)
        for s in ("driver", "passenger", "rear_left", "rear_right", "third_left", "third_right")
    ],
    ("wipers", "off"),
    ("mirrors.folded", False),
    ("media.playing", False),
    ("media.volume", 30),
    ("media.muted", False),
    ("media.query", None),
    ("navigation.destination", None),
    ("navigation.waypoints", []),
    ("display.brightness", 60),
    ("drive.speed_kmh", 0),
    ("drive.gear", "P"),
    ("energy.battery_percent", 80),
    ("energy.fuel_percent", 60),
    ("energy.range_km", 900),
    *[
        (f"tires.{w}.pressure_kpa", 250)
        for w in ("front_left", "front_right", "rear_left", "rear_right")
    ],
]


@pytest.mark.parametrize(("path", "default"), CONTRACT_DEFAULTS)
def test_default_matches_contract(path: str, default: Any) -> None:
    value = CarState().get_path(path)
    assert value == default
    # 0 must not be False and True must not be 1: compare kinds, not only values.
    assert isinstance(value, bool) == isinstance(default, bool)


def test_paths_are_exactly_the_contract_table() -> None:
    # Contract v2 adds paths (test_v2_state.py holds the whole table); v1's keep their order.
    v1 = [path for path, _ in CONTRACT_DEFAULTS]
    assert [path for path in CarState().paths() if path in v1] == v1


def test_to_dict_is_nested_json() -> None:
    data = CarState().to_dict()
    assert data["climate"]["rear"]["temperature"] == 24.0
    assert data["lights"]["ambient"]["color"] == "white"
    seat = data["seats"]["third_right"]
    assert {key: seat[key] for key in ("heating", "ventilation", "massage")} == {
        "heating": 0,
        "ventilation": 0,
        "massage": 0,
    }
    assert data["tires"]["front_left"]["pressure_kpa"] == 250


def test_get_path_of_a_subtree_and_copies() -> None:
    state = CarState()
    assert state.get_path("windows") == {
        "driver": 0,
        "passenger": 0,
        "rear_left": 0,
        "rear_right": 0,
    }
    state.get_path("navigation.waypoints").append("x")
    state.get_path("seats")["driver"]["heating"] = 3
    assert state.get_path("navigation.waypoints") == []
    assert state.get_path("seats.driver.heating") == 0


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("windows.driver", 55),
        ("sunroof", 100),
        ("doors.locked", False),
        ("climate.passenger.temperature", 30.5),
        ("climate.mode", "windshield"),
        ("seats.third_left.massage", 3),
        ("lights.reading.rear_right", True),
        ("lights.ambient.color", "cyan"),
        ("media.query", "jazz"),
        ("navigation.waypoints", ["A", "B"]),
        ("drive.speed_kmh", 60),
        ("drive.gear", "D"),
        ("tires.rear_left.pressure_kpa", 210.5),
    ],
)
def test_set_path_round_trips(path: str, value: Any) -> None:
    state = CarState()
    state.set_path(path, value)
    assert state.get_path(path) == value


def test_set_path_changes_only_that_path() -> None:
    state = CarState()
    state.set_path("lights.reading.rear_right", True)
    before = CarState().to_dict()
    before["lights"]["reading"]["rear_right"] = True
    assert state.to_dict() == before


def test_temperature_snaps_to_half_degrees() -> None:
    state = CarState()
    state.set_path("climate.driver.temperature", 22.3)
    assert state.get_path("climate.driver.temperature") == 22.5
    state.set_path("climate.driver.temperature", 22.2)
    assert state.get_path("climate.driver.temperature") == 22.0
    state.set_path("climate.driver.temperature", 22.25)
    assert state.get_path("climate.driver.temperature") == 22.5


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("windows.driver", 101),
        ("windows.driver", -1),
        ("windows.driver", True),
        ("windows.driver", "50"),
        ("climate.driver.temperature", 15.5),
        ("climate.driver.temperature", 32.5),
        ("climate.fan_speed", 8),
        ("climate.mode", "hurricane"),
        ("seats.driver.heating", 4),
        ("doors.locked", "yes"),
        ("doors.locked", 1),
        ("lights.ambient.color", "Blue"),
        ("lights.reading.driver", "on"),
        ("navigation.waypoints", "A"),
        ("drive.speed_kmh", -5),
        ("drive.gear", "S"),
        ("energy.battery_percent", 101),
    ],
)
def test_set_path_rejects_bad_values(path: str, value: Any) -> None:
    state = CarState()
    before = state.to_dict()
    with pytest.raises(InvalidValueError, match=path.replace(".", r"\.")):
        state.set_path(path, value)
    assert state.to_dict() == before


@pytest.mark.parametrize(
    "path",
    [
        "",
        "nope",
        "windows.third_left",
        "windows..driver",
        "climate.back.temperature",
        "sunroof.position",
        "seats.driver.heat",
        "lights.reading.trunk",
    ],
)
def test_unknown_paths_raise_on_get_and_set(path: str) -> None:
    state = CarState()
    with pytest.raises(UnknownPathError):
        state.get_path(path)
    with pytest.raises(UnknownPathError):
        state.set_path(path, 1)


def test_unknown_path_error_names_the_alternatives() -> None:
    with pytest.raises(UnknownPathError) as raised:
        CarState().get_path("windows.third_left")
    message = str(raised.value)
    assert "third_left" in message
    assert "rear_left" in message


@pytest.mark.parametrize("path", ["windows", "climate.driver", "seats.driver", "lights.reading"])
def test_set_path_refuses_a_subtree(path: str) -> None:
    with pytest.raises(UnknownPathError, match="not a leaf"):
        CarState().set_path(path, {})


def test_with_seats_has_paths_only_for_those_seats() -> None:
    state = CarState.with_seats(["rear_right", "driver", "passenger", "rear_left"])
    assert list(state.to_dict()["seats"]) == ["driver", "passenger", "rear_left", "rear_right"]
    assert list(state.to_dict()["lights"]["reading"]) == list(state.to_dict()["seats"])
    with pytest.raises(UnknownPathError):
        state.get_path("seats.third_left.heating")
    with pytest.raises(UnknownPathError):
        state.set_path("lights.reading.third_right", True)


@pytest.mark.parametrize(
    ("path", "read_only"),
    [
        ("drive.speed_kmh", True),
        ("drive.gear", True),
        ("energy.range_km", True),
        ("tires.front_left.pressure_kpa", True),
        ("windows.driver", False),
        ("display.brightness", False),
    ],
)
def test_read_only_paths(path: str, read_only: bool) -> None:
    assert is_read_only(path) is read_only
