"""What each action means for the state: the planned writes and the clamps they need.

Planning reads the state and never changes it, so the policy can judge the plan before
`Vehicle.execute` applies it. v1's actions are planned here; contract v2's, by domain, in
`effects_comfort`, `effects_media` and `effects_drive`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from tongxue.cabin import effects_comfort, effects_drive, effects_media
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
)
from tongxue.cabin.planner import Planner
from tongxue.cabin.profile import CarProfile, SeatFeature
from tongxue.cabin.results import NOT_EQUIPPED, TOO_MANY_WAYPOINTS, Clamp
from tongxue.cabin.seats import Seat
from tongxue.cabin.state import FAN_RANGE, LEVEL_RANGE, MAX_WAYPOINTS, PERCENT_RANGE, CarState
from tongxue.cabin.targets import (
    FEATURE_LABELS,
    Unreachable,
    reachable_targets,
    resolve_seats,
    resolve_windows,
    resolve_zones,
)

__all__ = ["Plan", "Unsupported", "plan_action", "reachable_targets"]


@dataclass(frozen=True)
class Plan:
    """The writes an action would make, in order, and the clamps it needed."""

    writes: tuple[tuple[str, Any], ...]
    clamps: tuple[Clamp, ...] = ()


@dataclass(frozen=True)
class Unsupported:
    """The action addresses something this car does not have, or nothing to act on."""

    code: str
    reason: str


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
    planner = Planner(state)
    try:
        handled = (
            _plan_v1(action, planner, profile, speaker)
            or effects_comfort.plan(action, planner, profile, speaker)
            or effects_media.plan(action, planner, profile, speaker)
            or effects_drive.plan(action, planner)
        )
    except Unreachable as unreachable:
        return Unsupported(unreachable.code, unreachable.reason)
    if not handled:
        raise TypeError(f"no effect defined for action {type(action).__name__}")
    return Plan(writes=tuple(planner.writes.items()), clamps=tuple(planner.clamps))


def _plan_v1(action: CabinAction, p: Planner, profile: CarProfile, speaker: Seat) -> bool:
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
            # v2 (e): asking for air is asking for the climate to run.
            if p.current("climate.fan_speed") > 0:
                p.write("climate.power", True)
        case SetClimateMode(mode=mode):
            p.write("climate.mode", mode)
            p.write("climate.power", True)
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
        case SetAmbientLight():
            _plan_ambient(action, p)
        case SetReadingLight(target=target, on=on):
            for seat in resolve_seats("reading_light", target, speaker, profile):
                p.write(f"lights.reading.{seat}", on)
        case SetWipers(mode=mode):
            p.write("wipers", mode)
        case SetMirrors(folded=folded):
            p.write("mirrors.folded", folded)
        case PlayMedia():
            effects_media.plan_play_media(action, p)
        case PauseMedia():
            p.write("media.playing", False)
        case SetVolume(value=value, delta=delta, channel=channel):
            if channel is None:
                # On a call the voice you hear is the call's.
                in_call = p.current("phone.call_state") == "in_call"
                channel = "call" if in_call else "media"
            path = "media.volume" if channel == "media" else f"audio.{channel}_volume"
            p.number(path, value, delta, percent)
        case SetMute(muted=muted):
            p.write("media.muted", muted)
        case NavigateTo(destination=destination):
            # A new destination is a new route; the old route's stops do not carry over.
            p.write("navigation.destination", destination)
            p.write("navigation.waypoints", [])
            effects_drive.forget_trip(p)
        case AddWaypoint(place=place):
            waypoints = list(p.current("navigation.waypoints"))
            if place not in waypoints:
                if len(waypoints) >= MAX_WAYPOINTS:
                    raise Unreachable(
                        TOO_MANY_WAYPOINTS, f"a route takes at most {MAX_WAYPOINTS} stops"
                    )
                waypoints.append(place)
                effects_drive.forget_trip(p)
            p.write("navigation.waypoints", waypoints)
        case CancelNavigation():
            p.write("navigation.destination", None)
            p.write("navigation.waypoints", [])
            effects_drive.forget_trip(p)
        case SetDisplayBrightness(value=value, delta=delta):
            p.number("display.brightness", value, delta, percent)
        case _:
            return False
    return True


def _plan_ambient(action: SetAmbientLight, p: Planner) -> None:
    delta = action.brightness_delta
    if action.on is not None:
        p.write("lights.ambient.on", action.on)
    if action.color is not None:
        p.write("lights.ambient.color", action.color)
    if action.brightness is not None or delta is not None:
        p.number("lights.ambient.brightness", action.brightness, delta, PERCENT_RANGE)
    if action.mode is not None:
        p.write("lights.ambient.mode", action.mode)
    lit = (action.color, action.brightness, delta, action.mode)
    if any(value is not None for value in lit):
        p.write("lights.ambient.on", True)
