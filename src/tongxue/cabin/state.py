"""The car state: one nested pydantic model matching the contract's state table.

Every leaf has a dot path (`climate.driver.temperature`). `get_path` / `set_path` read and
write by path with full validation, so evaluation setup and actions share one gatekeeper.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from tongxue.cabin.errors import InvalidValueError, UnknownPathError
from tongxue.cabin.seats import SEATS, Seat

ClimateMode = Literal["auto", "face", "feet", "face_feet", "windshield"]
HeadlightMode = Literal["off", "auto", "low", "high"]
WiperMode = Literal["off", "auto", "low", "high"]
AmbientColor = Literal[
    "red", "blue", "green", "purple", "white", "orange", "yellow", "pink", "cyan"
]
Gear = Literal["P", "R", "N", "D"]

CLIMATE_MODES: tuple[ClimateMode, ...] = get_args(ClimateMode)
HEADLIGHT_MODES: tuple[HeadlightMode, ...] = get_args(HeadlightMode)
WIPER_MODES: tuple[WiperMode, ...] = get_args(WiperMode)
AMBIENT_COLORS: tuple[AmbientColor, ...] = get_args(AmbientColor)
GEARS: tuple[Gear, ...] = get_args(Gear)

PERCENT_RANGE = (0, 100)
TEMPERATURE_RANGE = (16.0, 32.0)
TEMPERATURE_STEP = 0.5
FAN_RANGE = (0, 7)
LEVEL_RANGE = (0, 3)

# Sensor readings: voice never changes them, only setup (`set_path`) and a real adapter do.
READ_ONLY_PREFIXES: tuple[str, ...] = ("drive.", "energy.", "tires.")


def snap_temperature(value: float) -> float:
    """Round to the 0.5 °C step, halves upward (22.25 -> 22.5), not banker's rounding."""
    return math.floor(value / TEMPERATURE_STEP + 0.5) * TEMPERATURE_STEP


Percent = Annotated[int, Field(ge=PERCENT_RANGE[0], le=PERCENT_RANGE[1])]
Level = Annotated[int, Field(ge=LEVEL_RANGE[0], le=LEVEL_RANGE[1])]
FanSpeed = Annotated[int, Field(ge=FAN_RANGE[0], le=FAN_RANGE[1])]
Temperature = Annotated[
    float,
    Field(ge=TEMPERATURE_RANGE[0], le=TEMPERATURE_RANGE[1]),
    AfterValidator(snap_temperature),
]
# Readings a sensor could never report (a speed of 1e308 km/h) are bad input, not state.
NonNegative = Annotated[float, Field(ge=0, le=100_000)]
# What a client may name: a place, a song. Long enough for any real name, short enough that
# echoing it to every screen costs nothing.
MAX_TEXT = 200
MAX_WAYPOINTS = 10
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
PercentReading = Annotated[float, Field(ge=0, le=100)]


class StateNode(BaseModel):
    """Base of every state node: strict types, checked on assignment, no unknown keys."""

    model_config = ConfigDict(
        strict=True, validate_assignment=True, extra="forbid", allow_inf_nan=False
    )


class Windows(StateNode):
    driver: Percent = 0
    passenger: Percent = 0
    rear_left: Percent = 0
    rear_right: Percent = 0


class Doors(StateNode):
    locked: bool = True
    child_lock: bool = False


class Trunk(StateNode):
    open: bool = False


class ZoneClimate(StateNode):
    temperature: Temperature = 24.0


class Climate(StateNode):
    power: bool = False
    ac: bool = False
    driver: ZoneClimate = Field(default_factory=ZoneClimate)
    passenger: ZoneClimate = Field(default_factory=ZoneClimate)
    rear: ZoneClimate = Field(default_factory=ZoneClimate)
    fan_speed: FanSpeed = 0
    mode: ClimateMode = "auto"
    recirculation: bool = False
    front_defrost: bool = False
    rear_defrost: bool = False


class SeatComfort(StateNode):
    heating: Level = 0
    ventilation: Level = 0
    massage: Level = 0


class AmbientLight(StateNode):
    on: bool = False
    color: AmbientColor = "white"
    brightness: Percent = 50


def _all_seats_off() -> dict[Seat, bool]:
    return dict.fromkeys(SEATS, False)


def _all_seats_comfort() -> dict[Seat, SeatComfort]:
    return {seat: SeatComfort() for seat in SEATS}


class Lights(StateNode):
    headlights: HeadlightMode = "auto"
    ambient: AmbientLight = Field(default_factory=AmbientLight)
    reading: dict[Seat, bool] = Field(default_factory=_all_seats_off)


class Mirrors(StateNode):
    folded: bool = False


class Media(StateNode):
    playing: bool = False
    volume: Percent = 30
    muted: bool = False
    query: Text | None = None


class Navigation(StateNode):
    destination: Text | None = None
    waypoints: list[Text] = Field(default_factory=list, max_length=MAX_WAYPOINTS)


class Display(StateNode):
    brightness: Percent = 60


class Drive(StateNode):
    speed_kmh: NonNegative = 0.0
    gear: Gear = "P"


class Energy(StateNode):
    battery_percent: PercentReading = 80.0
    fuel_percent: PercentReading = 60.0
    range_km: NonNegative = 900.0


class Tire(StateNode):
    pressure_kpa: NonNegative = 250.0


class Tires(StateNode):
    front_left: Tire = Field(default_factory=Tire)
    front_right: Tire = Field(default_factory=Tire)
    rear_left: Tire = Field(default_factory=Tire)
    rear_right: Tire = Field(default_factory=Tire)


class CarState(StateNode):
    """The whole car. Defaults are a parked car with everything closed and off."""

    windows: Windows = Field(default_factory=Windows)
    sunroof: Percent = 0
    sunshade: Percent = 0
    doors: Doors = Field(default_factory=Doors)
    trunk: Trunk = Field(default_factory=Trunk)
    climate: Climate = Field(default_factory=Climate)
    seats: dict[Seat, SeatComfort] = Field(default_factory=_all_seats_comfort)
    lights: Lights = Field(default_factory=Lights)
    wipers: WiperMode = "off"
    mirrors: Mirrors = Field(default_factory=Mirrors)
    media: Media = Field(default_factory=Media)
    navigation: Navigation = Field(default_factory=Navigation)
    display: Display = Field(default_factory=Display)
    drive: Drive = Field(default_factory=Drive)
    energy: Energy = Field(default_factory=Energy)
    tires: Tires = Field(default_factory=Tires)

    @classmethod
    def with_seats(cls, seats: Sequence[Seat]) -> CarState:
        """The default state of a car that has only `seats` (per-seat paths exist only for them)."""
        ordered = [seat for seat in SEATS if seat in seats]
        return cls(
            seats={seat: SeatComfort() for seat in ordered},
            lights=Lights(reading=dict.fromkeys(ordered, False)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The nested JSON object of the contract's state table."""
        return self.model_dump(mode="json")

    def paths(self) -> list[str]:
        """Every leaf dot path, in table order."""
        return [path for path, _ in _leaves(self.to_dict(), "")]

    def get_path(self, path: str) -> Any:
        """The JSON value at a dot path (a leaf, or a whole sub-object); a copy, never a view."""
        node: Any = self
        walked: list[str] = []
        for key in _split(path):
            node = _child(node, key, walked)
            walked.append(key)
        if isinstance(node, BaseModel):
            return node.model_dump(mode="json")
        if isinstance(node, dict):
            return {
                k: v.model_dump(mode="json") if isinstance(v, BaseModel) else v
                for k, v in node.items()
            }
        return copy.deepcopy(node)

    def set_path(self, path: str, value: Any) -> None:
        """Write one leaf, validated against its type and range; read-only paths included."""
        keys = _split(path)
        owner: Any = self
        walked: list[str] = []
        # Walk to the last pydantic model on the way; a dict below it (seats, reading lights)
        # is replaced whole so that pydantic validates the new entry.
        for key in keys[:-1]:
            owner = _child(owner, key, walked)
            walked.append(key)
        leaf_key = keys[-1]
        current = _child(owner, leaf_key, walked)
        if isinstance(current, BaseModel | dict):
            raise UnknownPathError(
                f"'{path}' is not a leaf; set one of: "
                + ", ".join(f"{path}.{key}" for key in _keys(current))
            )
        try:
            if isinstance(owner, BaseModel):
                setattr(owner, leaf_key, value)
            else:
                self._set_in_dict(keys, value)
        except ValidationError as error:
            raise InvalidValueError(
                f"bad value {value!r} for '{path}': {summarize_validation_error(error)}"
            ) from error

    def _set_in_dict(self, keys: list[str], value: Any) -> None:
        # Only `lights.reading.<seat>` has a dict of leaves; rebuild it through its model.
        parent_model: Any = self
        for key in keys[:-2]:
            parent_model = _child(parent_model, key, [])
        field = keys[-2]
        replaced = dict(getattr(parent_model, field))
        replaced[keys[-1]] = value
        setattr(parent_model, field, replaced)


def is_read_only(path: str) -> bool:
    """True for sensor paths that no voice action may change."""
    return path.startswith(READ_ONLY_PREFIXES)


def summarize_validation_error(error: ValidationError) -> str:
    """One line per problem, `field: message`, without pydantic's URLs."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"])
        parts.append(f"{where}: {item['msg']}" if where else item["msg"])
    return "; ".join(parts)


def _split(path: str) -> list[str]:
    keys = path.split(".") if isinstance(path, str) else []
    if not keys or any(not key for key in keys):
        raise UnknownPathError(f"not a dot path: {path!r}")
    return keys


def _keys(node: Any) -> list[str]:
    if isinstance(node, BaseModel):
        return list(type(node).model_fields)
    if isinstance(node, dict):
        return [str(key) for key in node]
    return []


def _child(node: Any, key: str, walked: list[str]) -> Any:
    where = ".".join(walked) or "the car state"
    if isinstance(node, BaseModel) and key in type(node).model_fields:
        return getattr(node, key)
    if isinstance(node, dict) and key in node:
        return node[key]
    known = _keys(node)
    if not known:
        raise UnknownPathError(f"unknown state path: '{where}' is a value, it has no '{key}'")
    raise UnknownPathError(
        f"unknown state path: '{where}' has no '{key}' (it has: {', '.join(known)})"
    )


def _leaves(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}{key}.")
    else:
        yield prefix[:-1], node
