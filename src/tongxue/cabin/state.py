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
from tongxue.cabin.seats import SEATS, Screen, Seat

ClimateMode = Literal["auto", "face", "feet", "face_feet", "windshield"]
HeadlightMode = Literal["off", "auto", "low", "high"]
WiperMode = Literal["off", "auto", "low", "high"]
AmbientColor = Literal[
    "red", "blue", "green", "purple", "white", "orange", "yellow", "pink", "cyan"
]
Gear = Literal["P", "R", "N", "D"]
MassageMode = Literal["full", "shoulder", "back", "lumbar"]
VentPattern = Literal["normal", "sweep", "natural", "avoid"]
Scent = Literal["ocean", "forest", "floral", "citrus", "tea"]
AmbientMode = Literal["static", "breathing", "music", "drive_mode", "temperature"]
AudioChannel = Literal["media", "navigation", "call", "system"]
EqPreset = Literal["standard", "pop", "rock", "jazz", "classical", "vocal"]
EngineSound = Literal["off", "comfort", "sport", "wild"]
MediaSource = Literal["music", "bluetooth", "usb", "radio", "video"]
PlayMode = Literal["sequence", "repeat_one", "repeat_all", "shuffle"]
RadioBand = Literal["FM", "AM"]
CallState = Literal["idle", "ringing", "dialing", "in_call"]
ScreenPage = Literal[
    "home", "navigation", "media", "phone", "climate", "seats", "lights", "settings"
]
DriveMode = Literal["comfort", "eco", "sport", "snow", "offroad"]
PowerMode = Literal["hybrid", "ev", "hold"]
AdasFunction = Literal[
    "lane_keep",
    "lane_departure_warning",
    "blind_spot",
    "forward_collision",
    "rear_cross_traffic",
    "speed_warning",
    "auto_hold",
    "seatbelt_reminder",
]
RoutePreference = Literal["recommended", "fastest", "shortest", "highways"]
NavigationVoice = Literal["on", "brief", "off"]
SavedPlace = Literal["home", "work"]
Scene = Literal["none", "rest"]

CLIMATE_MODES: tuple[ClimateMode, ...] = get_args(ClimateMode)
HEADLIGHT_MODES: tuple[HeadlightMode, ...] = get_args(HeadlightMode)
WIPER_MODES: tuple[WiperMode, ...] = get_args(WiperMode)
AMBIENT_COLORS: tuple[AmbientColor, ...] = get_args(AmbientColor)
GEARS: tuple[Gear, ...] = get_args(Gear)
SCENTS: tuple[Scent, ...] = get_args(Scent)
ADAS_FUNCTIONS: tuple[AdasFunction, ...] = get_args(AdasFunction)

PERCENT_RANGE = (0, 100)
TEMPERATURE_RANGE = (16.0, 32.0)
TEMPERATURE_STEP = 0.5
FAN_RANGE = (0, 7)
LEVEL_RANGE = (0, 3)
BACKREST_RANGE = (0, 10)
FRAGRANCE_RANGE = (1, 3)
MEMORY_SLOTS = (1, 3)
RADIO_PRESET_COUNT = 6
FM_RANGE = (87.5, 108.0)
AM_RANGE = (531, 1629)

# Sensor readings and trip figures: voice never changes them, only setup (`set_path`), the
# simulation and a real adapter do.
READ_ONLY_PREFIXES: tuple[str, ...] = ("energy.", "tires.", "environment.")
READ_ONLY_PATHS: frozenset[str] = frozenset(
    {
        "drive.speed_kmh",
        "drive.gear",
        "drive.odometer_km",
        "navigation.remaining_km",
        "navigation.eta_min",
        "navigation.location",
    }
)
# The power-seat extras of the contract's default car.
FRONT_SEATS: tuple[Seat, ...] = ("driver", "passenger")


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
Backrest = Annotated[int, Field(ge=BACKREST_RANGE[0], le=BACKREST_RANGE[1])]
MemorySlot = Annotated[int, Field(ge=MEMORY_SLOTS[0], le=MEMORY_SLOTS[1])]
FragranceLevel = Annotated[int, Field(ge=FRAGRANCE_RANGE[0], le=FRAGRANCE_RANGE[1])]
# FM in MHz, AM in kHz: the number alone says the band. AM values stay integers.
Frequency = Annotated[int | float, Field(ge=FM_RANGE[0], le=AM_RANGE[1])]
Digits = Annotated[str, Field(pattern=r"^[0-9]{1,32}$")]
Track = Annotated[int, Field(ge=1, le=100_000)]
CabinReading = Annotated[float, Field(ge=-60, le=90)]


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
    vent: VentPattern = "normal"


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
    """What every seat has."""

    heating: Level = 0
    ventilation: Level = 0
    massage: Level = 0
    massage_mode: MassageMode = "full"
    backrest: Backrest = 3
    fore_aft: Percent = 50


# A path exists only where the thing is fitted, so a seat with lumbar support or memory is
# a different model, not a seat with empty fields.
class LumbarSeat(SeatComfort):
    lumbar: Level = 0


class MemorySeat(SeatComfort):
    memory: MemorySlot | None = None


class FrontSeat(SeatComfort):
    """A power seat with lumbar support and memory positions."""

    lumbar: Level = 0
    memory: MemorySlot | None = None


# Most specific first: serialisation picks the first model the instance fits.
AnySeat = FrontSeat | LumbarSeat | MemorySeat | SeatComfort


def seat_model(*, lumbar: bool, memory: bool) -> AnySeat:
    """A default seat with exactly the fitted extras."""
    if lumbar and memory:
        return FrontSeat()
    if lumbar:
        return LumbarSeat()
    if memory:
        return MemorySeat()
    return SeatComfort()


class AmbientLight(StateNode):
    on: bool = False
    color: AmbientColor = "white"
    brightness: Percent = 50
    mode: AmbientMode = "static"


def _all_seats_off() -> dict[Seat, bool]:
    return dict.fromkeys(SEATS, False)


def _default_seats(
    seats: Sequence[Seat], lumbar: Sequence[Seat], memory: Sequence[Seat]
) -> dict[Seat, AnySeat]:
    return {seat: seat_model(lumbar=seat in lumbar, memory=seat in memory) for seat in seats}


def _all_seats() -> dict[Seat, AnySeat]:
    return _default_seats(SEATS, FRONT_SEATS, FRONT_SEATS)


class Lights(StateNode):
    headlights: HeadlightMode = "auto"
    position: bool = False
    fog_front: bool = False
    fog_rear: bool = False
    ambient: AmbientLight = Field(default_factory=AmbientLight)
    reading: dict[Seat, bool] = Field(default_factory=_all_seats_off)


class Mirrors(StateNode):
    folded: bool = False
    heating: bool = False


class SteeringWheel(StateNode):
    heating: bool = False


class ChargePort(StateNode):
    open: bool = False


class Fragrance(StateNode):
    on: bool = False
    scent: Scent = "forest"
    level: FragranceLevel = 2


class Console(StateNode):
    position: Percent = 0


class Audio(StateNode):
    navigation_volume: Percent = 50
    call_volume: Percent = 60
    system_volume: Percent = 40
    eq: EqPreset = "standard"
    engine_sound: EngineSound = "off"
    pedestrian_alert: bool = True


class Media(StateNode):
    playing: bool = False
    volume: Percent = 30
    muted: bool = False
    query: Text | None = None
    source: MediaSource = "music"
    track: Track = 1
    liked: bool = False
    playlist: Text | None = None
    play_mode: PlayMode = "sequence"
    video_screen: Screen | None = None


def _default_presets() -> list[int | float]:
    return [88.1, 93.4, 97.7, 101.7, 105.7, 990]


class Radio(StateNode):
    band: RadioBand = "FM"
    frequency: Frequency = 97.7
    preset: Annotated[int, Field(ge=1, le=RADIO_PRESET_COUNT)] | None = None
    presets: list[Frequency] = Field(
        default_factory=_default_presets,
        min_length=RADIO_PRESET_COUNT,
        max_length=RADIO_PRESET_COUNT,
    )


class Contact(StateNode):
    name: Text
    number: Digits


def _default_contacts() -> list[Contact]:
    return [
        Contact(name="张三", number="13800138001"),
        Contact(name="李四", number="13800138002"),
        Contact(name="王芳", number="13800138003"),
        Contact(name="Alice", number="13800138004"),
        Contact(name="Bob", number="13800138005"),
    ]


class Phone(StateNode):
    call_state: CallState = "idle"
    party: Text | None = None
    last_dialed: Digits | None = None
    contacts: list[Contact] = Field(default_factory=_default_contacts, max_length=1000)


class CenterScreen(StateNode):
    """The centre screen; its brightness is v1's `display.brightness`."""

    on: bool = True
    page: ScreenPage = "home"


class PassengerScreen(StateNode):
    on: bool = False
    brightness: Percent = 60
    position: Percent = 0
    page: ScreenPage = "home"


class RearScreen(StateNode):
    on: bool = False
    brightness: Percent = 60
    page: ScreenPage = "home"


class Screens(StateNode):
    center: CenterScreen = Field(default_factory=CenterScreen)
    passenger: PassengerScreen = Field(default_factory=PassengerScreen)
    rear: RearScreen = Field(default_factory=RearScreen)


class Navigation(StateNode):
    destination: Text | None = None
    waypoints: list[Text] = Field(default_factory=list, max_length=MAX_WAYPOINTS)
    avoid_highways: bool = False
    avoid_tolls: bool = False
    traffic_layer: bool = False
    route_preference: RoutePreference = "recommended"
    voice: NavigationVoice = "on"
    home: Text | None = None
    work: Text | None = None
    remaining_km: NonNegative | None = None
    eta_min: NonNegative | None = None
    location: Text = "上海市浦东新区张江路"


class Display(StateNode):
    brightness: Percent = 60


class Drive(StateNode):
    speed_kmh: NonNegative = 0.0
    gear: Gear = "P"
    mode: DriveMode = "comfort"
    power_mode: PowerMode = "hybrid"
    regen: Level = 2
    odometer_km: Annotated[float, Field(ge=0, le=10_000_000)] = 12000.0


class Adas(StateNode):
    """Driver assistance; settings a real car keeps on default to on."""

    lane_keep: bool = True
    lane_departure_warning: bool = True
    blind_spot: bool = True
    forward_collision: bool = True
    rear_cross_traffic: bool = True
    speed_warning: bool = True
    auto_hold: bool = False
    seatbelt_reminder: bool = True


class Environment(StateNode):
    outside_temperature: CabinReading = 20.0
    inside_temperature: CabinReading = 26.0


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
    seats: dict[Seat, AnySeat] = Field(default_factory=_all_seats)
    lights: Lights = Field(default_factory=Lights)
    wipers: WiperMode = "off"
    mirrors: Mirrors = Field(default_factory=Mirrors)
    media: Media = Field(default_factory=Media)
    navigation: Navigation = Field(default_factory=Navigation)
    display: Display = Field(default_factory=Display)
    drive: Drive = Field(default_factory=Drive)
    energy: Energy = Field(default_factory=Energy)
    tires: Tires = Field(default_factory=Tires)
    steering_wheel: SteeringWheel = Field(default_factory=SteeringWheel)
    charge_port: ChargePort = Field(default_factory=ChargePort)
    fragrance: Fragrance = Field(default_factory=Fragrance)
    console: Console = Field(default_factory=Console)
    audio: Audio = Field(default_factory=Audio)
    radio: Radio = Field(default_factory=Radio)
    phone: Phone = Field(default_factory=Phone)
    screens: Screens = Field(default_factory=Screens)
    adas: Adas = Field(default_factory=Adas)
    environment: Environment = Field(default_factory=Environment)
    scene: Scene = "none"

    @classmethod
    def with_seats(
        cls,
        seats: Sequence[Seat],
        *,
        lumbar: Sequence[Seat] = FRONT_SEATS,
        memory: Sequence[Seat] = FRONT_SEATS,
    ) -> CarState:
        """The default state of a car that has only `seats` (per-seat paths exist only for
        them; lumbar and memory only on the seats fitted with them)."""
        ordered = [seat for seat in SEATS if seat in seats]
        return cls(
            seats=_default_seats(ordered, lumbar, memory),
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
        return _to_json(node)

    def set_path(self, path: str, value: Any) -> None:
        """Write one leaf, validated against its type and range; read-only paths included.

        A list (radio presets, contacts, waypoints) is one leaf: it is set whole.
        """
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
    """True for sensor and trip paths that no voice action may change."""
    return path in READ_ONLY_PATHS or path.startswith(READ_ONLY_PREFIXES)


def _to_json(node: Any) -> Any:
    # Lists of models (the phone book) too: a reader gets plain JSON values.
    if isinstance(node, BaseModel):
        return node.model_dump(mode="json")
    if isinstance(node, dict):
        return {key: _to_json(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_to_json(item) for item in node]
    return copy.deepcopy(node)


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
