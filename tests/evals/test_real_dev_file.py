"""The shape of evals/real-dev.jsonl and its out-of-contract list (MAC-SLU, development half).

The two files together hold every line of the dataset's odd-numbered half exactly once. Every
path a case sets, expects or keeps unchanged is a path of the cabin contract (v1 + v2, transcribed
below from shared/spec/cabin.md and cabin-v2.md) and every value is one the path can take.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tongxue.cabin.state import CarState

EVALS = Path(__file__).resolve().parents[2] / "evals"
CASES_FILE = EVALS / "real-dev.jsonl"
OUT_FILE = EVALS / "real-dev-out-of-contract.jsonl"
# The dataset itself lives outside the repository; when it is there the query texts are compared.
DATASET = Path("/work/shared/data/macslu-dev.jsonl")
# The development half is the odd-numbered one: ids 1, 3, ..., 1151.
DATASET_IDS = set(range(1, 1152, 2))

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
    "source",
}
OUT_KEYS = {"id", "query", "category", "reason", "source"}
OUT_CATEGORIES = {
    "ambiguous",
    "undefined-value",
    "unclear-function",
    "not-a-request",
    "missing-context",
}
ID_PATTERN = re.compile(r"^real-zh-(\d{4})$")
SOURCE_PATTERN = re.compile(r"^macslu-dev:(\d+)$")

Check = Callable[[Any], bool]


# ---- the contract's state table ------------------------------------------------------------


def _bool(v: Any) -> bool:
    return isinstance(v, bool)


def _int(lo: int, hi: int | None = None) -> Check:
    return lambda v: (
        isinstance(v, int) and not isinstance(v, bool) and v >= lo and (hi is None or v <= hi)
    )


def _num(lo: float | None = None, hi: float | None = None) -> Check:
    def check(v: Any) -> bool:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return False
        return (lo is None or v >= lo) and (hi is None or v <= hi)

    return check


def _enum(*values: str) -> Check:
    return lambda v: v in values


def _or_null(check: Check) -> Check:
    return lambda v: v is None or check(v)


def _str(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _temperature(v: Any) -> bool:
    return _num(16, 32)(v) and math.isclose((v * 2) % 1, 0.0, abs_tol=1e-9)


def _frequency(v: Any) -> bool:
    return _num(87.5, 108.0)(v) or _num(531, 1629)(v)


def _str_list(v: Any) -> bool:
    return isinstance(v, list) and all(_str(x) for x in v)


def _presets(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 6 and all(_frequency(x) for x in v)


def _contacts(v: Any) -> bool:
    return isinstance(v, list) and all(
        isinstance(c, dict) and set(c) == {"name", "number"} and _str(c["name"]) for c in v
    )


def _digits(v: Any) -> bool:
    return isinstance(v, str) and v.isdigit()


SEATS = ("driver", "passenger", "rear_left", "rear_right", "third_left", "third_right")
FRONT_SEATS = ("driver", "passenger")
WINDOWS = ("driver", "passenger", "rear_left", "rear_right")
ZONES = ("driver", "passenger", "rear")
SCREENS = ("center", "passenger", "rear")
WHEELS = ("front_left", "front_right", "rear_left", "rear_right")
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
PAGES = ("home", "navigation", "media", "phone", "climate", "seats", "lights", "settings")
COLOURS = ("red", "blue", "green", "purple", "white", "orange", "yellow", "pink", "cyan")


def contract_paths() -> dict[str, Check]:
    """Every leaf path of cabin.md and cabin-v2.md with the values it can take."""
    p: dict[str, Check] = {}
    pct = _int(0, 100)
    level = _int(0, 3)
    for w in WINDOWS:
        p[f"windows.{w}"] = pct
    p |= {"sunroof": pct, "sunshade": pct}
    p |= {"doors.locked": _bool, "doors.child_lock": _bool, "trunk.open": _bool}
    p |= {"climate.power": _bool, "climate.ac": _bool, "climate.fan_speed": _int(0, 7)}
    p["climate.mode"] = _enum("auto", "face", "feet", "face_feet", "windshield")
    for key in ("recirculation", "front_defrost", "rear_defrost"):
        p[f"climate.{key}"] = _bool
    for z in ZONES:
        p[f"climate.{z}.temperature"] = _temperature
        p[f"climate.{z}.vent"] = _enum("normal", "sweep", "natural", "avoid")
    for s in SEATS:
        for key in ("heating", "ventilation", "massage"):
            p[f"seats.{s}.{key}"] = level
        p[f"seats.{s}.backrest"] = _int(0, 10)
        p[f"seats.{s}.fore_aft"] = pct
        p[f"seats.{s}.massage_mode"] = _enum("full", "shoulder", "back", "lumbar")
        p[f"lights.reading.{s}"] = _bool
    for s in FRONT_SEATS:
        p[f"seats.{s}.lumbar"] = level
        p[f"seats.{s}.memory"] = _or_null(_int(1, 3))
    p["lights.headlights"] = _enum("off", "auto", "low", "high")
    p |= {"lights.ambient.on": _bool, "lights.ambient.color": _enum(*COLOURS)}
    p["lights.ambient.brightness"] = pct
    p["lights.ambient.mode"] = _enum("static", "breathing", "music", "drive_mode", "temperature")
    p |= {"lights.position": _bool, "lights.fog_front": _bool, "lights.fog_rear": _bool}
    p["wipers"] = _enum("off", "auto", "low", "high")
    p |= {"mirrors.folded": _bool, "mirrors.heating": _bool, "steering_wheel.heating": _bool}
    p |= {"charge_port.open": _bool, "fragrance.on": _bool, "fragrance.level": _int(1, 3)}
    p["fragrance.scent"] = _enum("ocean", "forest", "floral", "citrus", "tea")
    p["console.position"] = pct
    p |= {"media.playing": _bool, "media.volume": pct, "media.muted": _bool}
    p |= {"media.query": _or_null(_str), "media.playlist": _or_null(_str)}
    p["media.source"] = _enum("music", "bluetooth", "usb", "radio", "video")
    p |= {"media.track": _int(1), "media.liked": _bool}
    p["media.play_mode"] = _enum("sequence", "repeat_one", "repeat_all", "shuffle")
    p["media.video_screen"] = _or_null(_enum(*SCREENS))
    for channel in ("navigation", "call", "system"):
        p[f"audio.{channel}_volume"] = pct
    p["audio.eq"] = _enum("standard", "pop", "rock", "jazz", "classical", "vocal")
    p["audio.engine_sound"] = _enum("off", "comfort", "sport", "wild")
    p["audio.pedestrian_alert"] = _bool
    p |= {"radio.band": _enum("FM", "AM"), "radio.frequency": _frequency}
    p |= {"radio.preset": _or_null(_int(1, 6)), "radio.presets": _presets}
    p["phone.call_state"] = _enum("idle", "ringing", "dialing", "in_call")
    p |= {"phone.party": _or_null(_str), "phone.last_dialed": _or_null(_digits)}
    p["phone.contacts"] = _contacts
    for screen in SCREENS:
        p[f"screens.{screen}.on"] = _bool
        p[f"screens.{screen}.page"] = _enum(*PAGES)
    p |= {"screens.passenger.brightness": pct, "screens.rear.brightness": pct}
    p["screens.passenger.position"] = pct
    p |= {"display.brightness": pct, "drive.speed_kmh": _num(0), "drive.odometer_km": _num(0)}
    p["drive.gear"] = _enum("P", "R", "N", "D")
    p["drive.mode"] = _enum("comfort", "eco", "sport", "snow", "offroad")
    p["drive.power_mode"] = _enum("hybrid", "ev", "hold")
    p["drive.regen"] = level
    for fn in ADAS:
        p[f"adas.{fn}"] = _bool
    for key in ("avoid_highways", "avoid_tolls", "traffic_layer"):
        p[f"navigation.{key}"] = _bool
    p["navigation.route_preference"] = _enum("recommended", "fastest", "shortest", "highways")
    p["navigation.voice"] = _enum("on", "brief", "off")
    for key in ("destination", "home", "work"):
        p[f"navigation.{key}"] = _or_null(_str)
    p["navigation.waypoints"] = _str_list
    p |= {"navigation.remaining_km": _or_null(_num(0)), "navigation.eta_min": _or_null(_num(0))}
    p["navigation.location"] = _str
    p |= {"energy.battery_percent": _num(0, 100), "energy.fuel_percent": _num(0, 100)}
    p["energy.range_km"] = _num(0)
    for wheel in WHEELS:
        p[f"tires.{wheel}.pressure_kpa"] = _num(0)
    p["environment.outside_temperature"] = _num()
    p["environment.inside_temperature"] = _num()
    p["scene"] = _enum("none", "rest")
    return p


PATHS = contract_paths()


# ---- loading -------------------------------------------------------------------------------


def _load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number} is not an object"
        rows.append(row)
    return rows


CASES = _load(CASES_FILE)
OUTS = _load(OUT_FILE)


def _dataset_id(row: dict[str, Any]) -> int:
    id_match = ID_PATTERN.match(row["id"])
    source_match = SOURCE_PATTERN.match(row["source"])
    assert id_match and source_match, row["id"]
    assert int(id_match.group(1)) == int(source_match.group(1)), row["id"]
    return int(source_match.group(1))


# ---- tests ---------------------------------------------------------------------------------


def test_every_dataset_line_is_in_exactly_one_file() -> None:
    ids = [_dataset_id(row) for row in CASES + OUTS]
    assert len(ids) == len(set(ids)) == 576
    assert set(ids) == DATASET_IDS


def test_ids_are_unique() -> None:
    ids = [row["id"] for row in CASES + OUTS]
    assert len(ids) == len(set(ids))


@pytest.mark.skipif(not DATASET.exists(), reason="MAC-SLU dev half is not on this machine")
def test_queries_match_the_dataset() -> None:
    queries = {int(row["id"]): row["query"] for row in _load(DATASET)}
    for row in CASES:
        assert row["turns"] == [queries[_dataset_id(row)]], row["id"]
    for row in OUTS:
        assert row["query"] == queries[_dataset_id(row)], row["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_shape(case: dict[str, Any]) -> None:
    assert set(case) <= CASE_KEYS
    assert {"id", "seat", "turns", "expect", "source"} <= set(case)
    assert case["seat"] == "driver"
    assert isinstance(case["turns"], list) and len(case["turns"]) == 1
    assert isinstance(case["turns"][0], str) and case["turns"][0].strip()
    assert isinstance(case["expect"], dict)
    for key in ("refused", "unsupported"):
        assert key not in case or isinstance(case[key], bool)
    replies = case.get("reply_contains", [])
    assert isinstance(replies, list) and all(_str(r) for r in replies)
    if case.get("refused"):
        assert case.get("unchanged"), "a refused case names the blocked path"
    if "离线" in replies:
        assert case["expect"] == {} and case.get("unsupported") is True


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_paths_and_values_are_in_the_contract(case: dict[str, Any]) -> None:
    for section in ("state", "expect"):
        for path, value in case.get(section, {}).items():
            assert path in PATHS, f"{section}: unknown path {path}"
            assert PATHS[path](value), f"{section}: {path} cannot be {value!r}"
    unchanged = case.get("unchanged", [])
    assert isinstance(unchanged, list)
    for path in unchanged:
        assert path in PATHS, f"unchanged: unknown path {path}"


@pytest.mark.parametrize("row", OUTS, ids=[o["id"] for o in OUTS])
def test_out_of_contract_shape(row: dict[str, Any]) -> None:
    assert set(row) == OUT_KEYS
    assert row["category"] in OUT_CATEGORIES
    assert _str(row["query"]) and _str(row["reason"])


def test_contract_paths_exist_in_the_state_model() -> None:
    """Once the state model holds version 2, every path used here must be one of its paths."""
    model = set(CarState().paths())
    if "scene" not in model:
        pytest.skip("the state model does not hold contract v2 yet")
    used = {p for case in CASES for s in ("state", "expect") for p in case.get(s, {})}
    used |= {p for case in CASES for p in case.get("unchanged", [])}
    # Lists are leaves in the contract; the model may spell their items as deeper paths.
    missing = {p for p in used if p not in model and not any(m.startswith(p + ".") for m in model)}
    assert not missing
