"""What each action means for the state: target resolution, clamping, the planned writes.

Planning reads the state and never changes it, so the policy can judge the plan before
`Vehicle.execute` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast

from tongxue.cabin.actions import (
    AddWaypoint,
    CabinAction,
    CancelNavigation,
    NavigateTo,
    PauseMedia,
    PlayMedia,
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
    TargetKind,
)
from tongxue.cabin.profile import CarProfile, Feature, SeatFeature
from tongxue.cabin.results import NO_SUCH_SEAT, NO_WINDOW, NOT_EQUIPPED, TOO_MANY_WAYPOINTS, Clamp
from tongxue.cabin.seats import (
    GROUP_SEATS,
    SEAT_LABELS,
    SEAT_TARGETS,
    Seat,
    SeatGroup,
    SeatTarget,
    Window,
    Zone,
    is_seat,
    window_of,
    zone_of,
)
from tongxue.cabin.state import (
    FAN_RANGE,
    LEVEL_RANGE,
    MAX_WAYPOINTS,
    PERCENT_RANGE,
    TEMPERATURE_RANGE,
    CarState,
    snap_temperature,
)

Number = int | float

FEATURE_LABELS: dict[Feature, str] = {
    "sunroof": "sunroof",
    "sunshade": "sunshade",
    "ambient_light": "ambient lighting",
    "seat_heating": "seat heating",
    "seat_ventilation": "seat ventilation",
    "seat_massage": "seat massage",
}

_GROUP_LABELS: dict[SeatGroup, str] = {
    "front": "front",
    "rear": "rear",
    "third_row": "third-row",
    "all": "",
}


@dataclass(frozen=True)
class Plan:
    """The writes an action would make, in order, and the clamps it needed."""

    writes: tuple[tuple[str, Any], ...]
    clamps: tuple[Clamp, ...] = ()


@dataclass(frozen=True)
class Unsupported:
    """The action addresses something this car does not have."""

    code: str
    reason: str


class _Unreachable(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- target resolution ----------------------------------------------------------------


def _target_seats(target: SeatTarget | None, speaker: Seat, profile: CarProfile) -> list[Seat]:
    """The seats of the car a target names (the speaker's seat already mapped onto the car)."""
    if target is None:
        return [speaker]
    if is_seat(target):
        seat = cast(Seat, target)
        if seat not in profile.seats:
            raise _Unreachable(NO_SUCH_SEAT, f"this car has no {SEAT_LABELS[seat]} seat")
        return [seat]
    group = cast(SeatGroup, target)
    present = [seat for seat in GROUP_SEATS[group] if seat in profile.seats]
    if not present:
        raise _Unreachable(NO_SUCH_SEAT, f"this car has no {_GROUP_LABELS[group]} seats")
    return present


def resolve_seats(
    kind: SeatFeature | Literal["reading_light"],
    target: SeatTarget | None,
    speaker: Seat,
    profile: CarProfile,
) -> tuple[Seat, ...]:
    """Seats with the thing; a group keeps those that have it, a single seat must have it."""
    seats = _target_seats(target, speaker, profile)
    fitted = profile.ordered_seats if kind == "reading_light" else profile.seats_with(kind)
    label = "a reading light" if kind == "reading_light" else FEATURE_LABELS[kind]
    hits = tuple(seat for seat in seats if seat in fitted)
    if not hits:
        where = " or ".join(SEAT_LABELS[seat] for seat in seats)
        seat_word = "seats" if len(seats) > 1 else "seat"
        raise _Unreachable(NOT_EQUIPPED, f"the {where} {seat_word} have no {label}")
    return hits


def resolve_zones(
    target: SeatTarget | None, speaker: Seat, profile: CarProfile
) -> tuple[Zone, ...]:
    """Climate zones serving the target's seats (rear seats of rows two and three -> rear)."""
    zones: list[Zone] = []
    for seat in _target_seats(target, speaker, profile):
        zone = zone_of(seat)
        if zone not in zones:
            zones.append(zone)
    return tuple(zones)


def resolve_windows(
    target: SeatTarget | None, speaker: Seat, profile: CarProfile
) -> tuple[Window, ...]:
    """Windows at the target's seats; the speaker's own request reaches the nearest one."""
    seats = _target_seats(target, speaker, profile)
    nearest = target is None
    windows: list[Window] = []
    for seat in seats:
        window = window_of(seat, nearest=nearest)
        if window is not None and window not in windows:
            windows.append(window)
    if not windows:
        raise _Unreachable(NO_WINDOW, "the third row has no windows")
    return tuple(windows)


def reachable_targets(kind: TargetKind, profile: CarProfile) -> tuple[SeatTarget, ...]:
    """The target words that reach something of `kind` on this car (for tool schemas)."""
    reachable = []
    for target in SEAT_TARGETS:
        try:
            _resolve(kind, target, "driver", profile)
        except _Unreachable:
            continue
        reachable.append(target)
    return tuple(reachable)


def _resolve(
    kind: TargetKind, target: SeatTarget | None, speaker: Seat, profile: CarProfile
) -> tuple[str, ...]:
    if kind == "window":
        return resolve_windows(target, speaker, profile)
    if kind == "climate_zone":
        return resolve_zones(target, speaker, profile)
    return resolve_seats(kind, target, speaker, profile)


# --- planning -------------------------------------------------------------------------


@dataclass
class _Planner:
    state: CarState
    writes: dict[str, Any] = field(default_factory=dict)
    clamps: list[Clamp] = field(default_factory=list)

    def current(self, path: str) -> Any:
        # A path written earlier in the same plan counts at its new value.
        return self.writes[path] if path in self.writes else self.state.get_path(path)

    def write(self, path: str, value: Any) -> None:
        self.writes[path] = value

    def number(
        self,
        path: str,
        value: Number | None,
        delta: Number | None,
        bounds: tuple[Number, Number],
    ) -> None:
        """Absolute or relative, clamped to `bounds`, with the clamp recorded."""
        requested = value if value is not None else self.current(path) + (delta or 0)
        low, high = bounds
        applied = min(max(requested, low), high)
        if applied != requested:
            self.clamps.append(Clamp(path=path, requested=requested, applied=applied))
        self.write(path, applied)

    def temperature(self, path: str, value: float | None, delta: float | None) -> None:
        requested = value if value is not None else self.current(path) + (delta or 0.0)
        low, high = TEMPERATURE_RANGE
        applied = min(max(snap_temperature(requested), low), high)
        if requested < low or requested > high:
            self.clamps.append(Clamp(path=path, requested=requested, applied=applied))
        self.write(path, applied)


def plan_action(
    action: CabinAction, state: CarState, profile: CarProfile, speaker: Seat
) -> Plan | Unsupported:
    """The writes `action` makes on `state`, or why this car cannot do it.

    `speaker` is the seat the request came from; a seat this car lacks is mapped to the
    nearest one it has.
    """
    speaker = profile.nearest_seat(speaker)
    if action.requires is not None and not profile.has(action.requires):
        return Unsupported(NOT_EQUIPPED, f"this car has no {FEATURE_LABELS[action.requires]}")
    planner = _Planner(state)
    try:
        _plan(action, planner, profile, speaker)
    except _Unreachable as unreachable:
        return Unsupported(unreachable.code, unreachable.reason)
    return Plan(writes=tuple(planner.writes.items()), clamps=tuple(planner.clamps))


def _plan(action: CabinAction, p: _Planner, profile: CarProfile, speaker: Seat) -> None:
    percent = PERCENT_RANGE
    match action:
        case SetWindow(target=target, position=position, delta=delta):
            for window in resolve_windows(target, speaker, profile):
                p.number(f"windows.{window}", position, delta, percent)
        case SetSunroof(position=position, delta=delta):
            p.number("sunroof", position, delta, percent)
        case SetSunshade(position=position, delta=delta):
            p.number("sunshade", position, delta, percent)
        case SetDoorLock(locked=locked):
            p.write("doors.locked", locked)
        case SetChildLock(on=on):
            p.write("doors.child_lock", on)
        case SetTrunk(open=is_open):
            p.write("trunk.open", is_open)
        case SetClimate(power=power, ac=ac):
            # A compressor without the climate system makes no sense: AC on implies power on.
            if power is None and ac:
                power = True
            if power is not None:
                p.write("climate.power", power)
            if ac is not None:
                p.write("climate.ac", ac)
        case SetTemperature(target=target, value=value, delta=delta):
            for zone in resolve_zones(target, speaker, profile):
                p.temperature(f"climate.{zone}.temperature", value, delta)
            p.write("climate.power", True)
        case SetFanSpeed(value=value, delta=delta):
            p.number("climate.fan_speed", value, delta, FAN_RANGE)
        case SetClimateMode(mode=mode):
            p.write("climate.mode", mode)
        case SetRecirculation(on=on):
            p.write("climate.recirculation", on)
        case SetDefrost(window=window, on=on):
            p.write(f"climate.{window}_defrost", on)
        case SetSeatHeating() | SetSeatVentilation() | SetSeatMassage():
            kind = cast(SeatFeature, action.target_kind)
            leaf = kind.removeprefix("seat_")
            for seat in resolve_seats(kind, action.target, speaker, profile):
                p.number(f"seats.{seat}.{leaf}", action.level, action.delta, LEVEL_RANGE)
        case SetHeadlights(mode=mode):
            p.write("lights.headlights", mode)
        case SetAmbientLight(on=on, color=color, brightness=brightness):
            delta = action.brightness_delta
            if on is not None:
                p.write("lights.ambient.on", on)
            if color is not None:
                p.write("lights.ambient.color", color)
            if brightness is not None or delta is not None:
                p.number("lights.ambient.brightness", brightness, delta, percent)
            if color is not None or brightness is not None or delta is not None:
                p.write("lights.ambient.on", True)
        case SetReadingLight(target=target, on=on):
            for seat in resolve_seats("reading_light", target, speaker, profile):
                p.write(f"lights.reading.{seat}", on)
        case SetWipers(mode=mode):
            p.write("wipers", mode)
        case SetMirrors(folded=folded):
            p.write("mirrors.folded", folded)
        case PlayMedia(query=query):
            p.write("media.playing", True)
            if query is not None:
                p.write("media.query", query)
        case PauseMedia():
            p.write("media.playing", False)
        case SetVolume(value=value, delta=delta):
            p.number("media.volume", value, delta, percent)
        case SetMute(muted=muted):
            p.write("media.muted", muted)
        case NavigateTo(destination=destination):
            # A new destination is a new route; the old route's stops do not carry over.
            p.write("navigation.destination", destination)
            p.write("navigation.waypoints", [])
        case AddWaypoint(place=place):
            waypoints = list(p.current("navigation.waypoints"))
            if place not in waypoints:
                if len(waypoints) >= MAX_WAYPOINTS:
                    raise _Unreachable(
                        TOO_MANY_WAYPOINTS, f"a route takes at most {MAX_WAYPOINTS} stops"
                    )
                waypoints.append(place)
            p.write("navigation.waypoints", waypoints)
        case CancelNavigation():
            p.write("navigation.destination", None)
            p.write("navigation.waypoints", [])
        case SetDisplayBrightness(value=value, delta=delta):
            p.number("display.brightness", value, delta, percent)
        case _:
            raise TypeError(f"no effect defined for action {type(action).__name__}")
