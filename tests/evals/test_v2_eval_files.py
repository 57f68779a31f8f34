"""Validates the contract-v2 evaluation files: shape, unique ids, known paths, values in range.

The path table below is transcribed from the contract (`cabin.md` state table plus the
`cabin-v2.md` one), not from the project's code, so the files are checked against what the
contract promises. A second check holds them against the project's `CarState`, once it has
the version 2 paths: every path a case names must exist there and accept the value.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

EVALS = Path(__file__).resolve().parents[2] / "evals"
V2_FILES = ("public-v2.jsonl", "holdout-v2.jsonl")
ALL_FILES = ("public.jsonl", "holdout.jsonl", *V2_FILES)
ID_PATTERNS = {
    "public-v2.jsonl": re.compile(r"^(?P<cat>[a-z0-9_]+)-(?P<lang>zh|en)-\d{3}$"),
    "holdout-v2.jsonl": re.compile(r"^holdout2-(?P<cat>[a-z0-9_]+)-(?P<lang>zh|en)-\d{3}$"),
}
MIN_CASES = {"public-v2.jsonl": 350, "holdout-v2.jsonl": 200}
CASE_KEYS = {
    "id",
    "seat",
    "state",
    "turns",
    "expect",
    "unchanged",
    "refused",
    "unsupported",
    "reply_contains",
}
SEATS = ("driver", "passenger", "rear_left", "rear_right", "third_left", "third_right")
FRONT_SEATS = ("driver", "passenger")
ZONES = ("driver", "passenger", "rear")
WINDOWS = ("driver", "passenger", "rear_left", "rear_right")
WHEELS = ("front_left", "front_right", "rear_left", "rear_right")
SCREENS = ("center", "passenger", "rear")
ADAS = (
    "lane_keep",
    "lane_departure_warning",
    "blind_spot",
    "forward_collision",
    "rear_cross_traffic",
    "speed_warning",
    "seatbelt_reminder",
    "auto_hold",
)
CJK = re.compile(r"[\u4e00-\u9fff]")

Check = Callable[[Any], bool]


def _int(low: int, high: int | None = None) -> Check:
    def check(value: Any) -> bool:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
        return ok and (high is None or value <= high)

    return check


def _number(low: float, high: float | None = None) -> Check:
    def check(value: Any) -> bool:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= low
        return ok and (high is None or value <= high)

    return check


def _one_of(*choices: object) -> Check:
    return lambda value: value in choices


def _nullable(inner: Check) -> Check:
    return lambda value: value is None or inner(value)


def _bool(value: Any) -> bool:
    return isinstance(value, bool)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _temperature(value: Any) -> bool:
    return _number(16, 32)(value) and float(value) * 2 == int(float(value) * 2)


def _frequency(value: Any) -> bool:
    if not _number(0)(value):
        return False
    number = float(value)
    if 87.5 <= number <= 108.0:
        return abs(number * 10 - round(number * 10)) < 1e-6
    return 531 <= number <= 1629 and (number - 531) % 9 == 0


def _presets(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 6 and all(_frequency(v) for v in value)


def _waypoints(value: Any) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


def _contacts(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(c, dict) and set(c) == {"name", "number"} and str(c["number"]).isdigit()
        for c in value
    )


def _digits(value: Any) -> bool:
    return isinstance(value, str) and value.isdigit()


def _contract_paths() -> dict[str, Check]:
    """Every leaf path of both state tables with the type and range the contract gives it."""
    percent = _int(0, 100)
    level = _int(0, 3)
    paths: dict[str, Check] = {
        "sunroof": percent,
        "sunshade": percent,
        "doors.locked": _bool,
        "doors.child_lock": _bool,
        "trunk.open": _bool,
        "climate.power": _bool,
        "climate.ac": _bool,
        "climate.fan_speed": _int(0, 7),
        "climate.mode": _one_of("auto", "face", "feet", "face_feet", "windshield"),
        "climate.recirculation": _bool,
        "climate.front_defrost": _bool,
        "climate.rear_defrost": _bool,
        "lights.headlights": _one_of("off", "auto", "low", "high"),
        "lights.ambient.on": _bool,
        "lights.ambient.color": _one_of(
            "red", "blue", "green", "purple", "white", "orange", "yellow", "pink", "cyan"
        ),
        "lights.ambient.brightness": percent,
        "lights.ambient.mode": _one_of("static", "breathing", "music", "drive_mode", "temperature"),
        "lights.position": _bool,
        "lights.fog_front": _bool,
        "lights.fog_rear": _bool,
        "wipers": _one_of("off", "auto", "low", "high"),
        "mirrors.folded": _bool,
        "mirrors.heating": _bool,
        "steering_wheel.heating": _bool,
        "charge_port.open": _bool,
        "fragrance.on": _bool,
        "fragrance.scent": _one_of("ocean", "forest", "floral", "citrus", "tea"),
        "fragrance.level": _int(1, 3),
        "console.position": percent,
        "audio.navigation_volume": percent,
        "audio.call_volume": percent,
        "audio.system_volume": percent,
        "audio.eq": _one_of("standard", "pop", "rock", "jazz", "classical", "vocal"),
        "audio.engine_sound": _one_of("off", "comfort", "sport", "wild"),
        "audio.pedestrian_alert": _bool,
        "media.playing": _bool,
        "media.volume": percent,
        "media.muted": _bool,
        "media.query": _nullable(_text),
        "media.source": _one_of("music", "bluetooth", "usb", "radio", "video"),
        "media.track": _int(1),
        "media.liked": _bool,
        "media.playlist": _nullable(_text),
        "media.play_mode": _one_of("sequence", "repeat_one", "repeat_all", "shuffle"),
        "media.video_screen": _nullable(_one_of(*SCREENS)),
        "radio.band": _one_of("FM", "AM"),
        "radio.frequency": _frequency,
        "radio.preset": _nullable(_int(1, 6)),
        "radio.presets": _presets,
        "phone.call_state": _one_of("idle", "ringing", "dialing", "in_call"),
        "phone.party": _nullable(_text),
        "phone.last_dialed": _nullable(_digits),
        "phone.contacts": _contacts,
        "screens.passenger.brightness": percent,
        "screens.rear.brightness": percent,
        "screens.passenger.position": percent,
        "navigation.destination": _nullable(_text),
        "navigation.waypoints": _waypoints,
        "navigation.avoid_highways": _bool,
        "navigation.avoid_tolls": _bool,
        "navigation.traffic_layer": _bool,
        "navigation.route_preference": _one_of("recommended", "fastest", "shortest", "highways"),
        "navigation.voice": _one_of("on", "brief", "off"),
        "navigation.home": _nullable(_text),
        "navigation.work": _nullable(_text),
        "navigation.remaining_km": _nullable(_number(0)),
        "navigation.eta_min": _nullable(_number(0)),
        "navigation.location": _text,
        "display.brightness": percent,
        "drive.speed_kmh": _number(0),
        "drive.gear": _one_of("P", "R", "N", "D"),
        "drive.mode": _one_of("comfort", "eco", "sport", "snow", "offroad"),
        "drive.power_mode": _one_of("hybrid", "ev", "hold"),
        "drive.regen": level,
        "drive.odometer_km": _number(0),
        "energy.battery_percent": _number(0, 100),
        "energy.fuel_percent": _number(0, 100),
        "energy.range_km": _number(0),
        "environment.outside_temperature": _number(-60, 70),
        "environment.inside_temperature": _number(-60, 90),
        "scene": _one_of("none", "rest"),
    }
    paths.update({f"windows.{w}": percent for w in WINDOWS})
    paths.update({f"climate.{z}.temperature": _temperature for z in ZONES})
    vents = _one_of("normal", "sweep", "natural", "avoid")
    paths.update({f"climate.{z}.vent": vents for z in ZONES})
    paths.update({f"tires.{w}.pressure_kpa": _number(0, 1000) for w in WHEELS})
    paths.update({f"adas.{f}": _bool for f in ADAS})
    paths.update({f"lights.reading.{s}": _bool for s in SEATS})
    paths.update({f"screens.{s}.on": _bool for s in SCREENS})
    pages = _one_of(
        "home", "navigation", "media", "phone", "climate", "seats", "lights", "settings"
    )
    paths.update({f"screens.{s}.page": pages for s in SCREENS})
    massage_modes = _one_of("full", "shoulder", "back", "lumbar")
    for seat in SEATS:
        paths.update(
            {
                f"seats.{seat}.heating": level,
                f"seats.{seat}.ventilation": level,
                f"seats.{seat}.massage": level,
                f"seats.{seat}.backrest": _int(0, 10),
                f"seats.{seat}.fore_aft": percent,
                f"seats.{seat}.massage_mode": massage_modes,
            }
        )
    for seat in FRONT_SEATS:
        paths[f"seats.{seat}.lumbar"] = level
        paths[f"seats.{seat}.memory"] = _nullable(_int(1, 3))
    return paths


CONTRACT_PATHS = _contract_paths()


def _load(name: str) -> list[dict[str, Any]]:
    with (EVALS / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _cases() -> Iterator[tuple[str, dict[str, Any]]]:
    for name in V2_FILES:
        for case in _load(name):
            yield name, case


def _named_paths(case: dict[str, Any]) -> Iterator[str]:
    yield from case.get("state", {})
    yield from case["expect"]
    yield from case.get("unchanged", [])


@pytest.mark.parametrize("name", V2_FILES)
def test_file_shape(name: str) -> None:
    cases = _load(name)
    assert len(cases) >= MIN_CASES[name]
    for case in cases:
        where = case.get("id", case)
        assert set(case) <= CASE_KEYS, where
        assert {"id", "turns", "expect"} <= set(case), where
        match = ID_PATTERNS[name].match(case["id"])
        assert match, where
        assert case.get("seat", "driver") in SEATS, where
        turns = case["turns"]
        assert isinstance(turns, list) and turns, where
        assert all(isinstance(t, str) and t.strip() for t in turns), where
        # The id's language is the language of what the speaker says.
        has_cjk = any(CJK.search(t) for t in turns)
        assert has_cjk == (match["lang"] == "zh"), where
        assert isinstance(case["expect"], dict), where
        assert isinstance(case.get("state", {}), dict), where
        unchanged = case.get("unchanged", [])
        assert isinstance(unchanged, list) and len(set(unchanged)) == len(unchanged), where
        for flag in ("refused", "unsupported"):
            assert isinstance(case.get(flag, False), bool), where
        assert not (case.get("refused") and case.get("unsupported")), where
        replies = case.get("reply_contains", [])
        assert isinstance(replies, list) and all(_text(r) for r in replies), where
        if case.get("refused") and len(turns) == 1:
            # A refused one-turn case names what was blocked (it keeps its starting value).
            assert unchanged, where


@pytest.mark.parametrize("name", V2_FILES)
def test_languages_are_balanced(name: str) -> None:
    langs = Counter(ID_PATTERNS[name].match(case["id"])["lang"] for case in _load(name))  # type: ignore[index]
    total = langs["zh"] + langs["en"]
    assert total > 0
    assert 0.4 <= langs["zh"] / total <= 0.6, langs


def test_ids_are_unique_across_all_eval_files() -> None:
    seen: Counter[str] = Counter()
    for name in ALL_FILES:
        seen.update(case["id"] for case in _load(name))
    assert [i for i, n in seen.items() if n > 1] == []


def test_paths_are_in_the_contract() -> None:
    unknown = {
        (case["id"], path)
        for _, case in _cases()
        for path in _named_paths(case)
        if path not in CONTRACT_PATHS
    }
    assert unknown == set()


def test_values_are_in_range() -> None:
    bad = []
    for _, case in _cases():
        for section in ("state", "expect"):
            for path, value in case.get(section, {}).items():
                check = CONTRACT_PATHS.get(path)
                if check is not None and not check(value):
                    bad.append((case["id"], section, path, value))
    assert bad == []


def test_expected_starting_values_match_refusals() -> None:
    """A refused case expects its blocked paths to keep their starting value."""
    from_state = []
    for _, case in _cases():
        if not case.get("refused"):
            continue
        state = case.get("state", {})
        for path in case.get("unchanged", []):
            if path in case["expect"] and path in state and case["expect"][path] != state[path]:
                from_state.append((case["id"], path))
    assert from_state == []


def _car_state_with_v2() -> Any:
    from tongxue.cabin.state import CarState

    state = CarState()
    if "scene" not in state.paths():
        pytest.skip("CarState has no version 2 paths yet")
    return state


def test_paths_exist_in_car_state() -> None:
    known = set(_car_state_with_v2().paths())
    missing = {
        (case["id"], path)
        for _, case in _cases()
        for path in _named_paths(case)
        if path not in known
    }
    assert missing == set()


def test_car_state_accepts_every_value() -> None:
    _car_state_with_v2()
    from tongxue.cabin.errors import InvalidValueError, UnknownPathError
    from tongxue.cabin.state import CarState

    rejected = []
    for _, case in _cases():
        for section in ("state", "expect"):
            for path, value in case.get(section, {}).items():
                car = CarState()
                try:
                    car.set_path(path, value)
                except (InvalidValueError, UnknownPathError) as error:
                    rejected.append((case["id"], section, path, value, str(error)[:80]))
    assert rejected == []
