"""Which seats, climate zones, windows and screens an action's target reaches on a car.

A target word names seats; whether they exist on this car, and have the thing asked for,
is the profile's business. What cannot be reached is raised as `Unreachable`.
"""

from __future__ import annotations

from typing import Literal, cast

from tongxue.cabin.actions import TargetKind
from tongxue.cabin.profile import CarProfile, Feature, SeatFeature
from tongxue.cabin.results import NO_SUCH_SEAT, NO_WINDOW, NOT_EQUIPPED
from tongxue.cabin.seats import (
    GROUP_SEATS,
    SEAT_LABELS,
    SEAT_TARGETS,
    Screen,
    Seat,
    SeatGroup,
    SeatTarget,
    Window,
    Zone,
    is_seat,
    screen_of,
    window_of,
    zone_of,
)

# Seat things every seat has: they follow the seats, not the equipment list.
EverySeatKind = Literal["reading_light", "seat_position"]

FEATURE_LABELS: dict[Feature, str] = {
    "sunroof": "sunroof",
    "sunshade": "sunshade",
    "ambient_light": "ambient lighting",
    "seat_heating": "seat heating",
    "seat_ventilation": "seat ventilation",
    "seat_massage": "seat massage",
    "seat_lumbar": "lumbar support",
    "seat_memory": "seat memory",
}

_EVERY_SEAT_LABELS: dict[EverySeatKind, str] = {
    "reading_light": "a reading light",
    "seat_position": "seat adjustment",
}

_GROUP_LABELS: dict[SeatGroup, str] = {
    "front": "front",
    "rear": "rear",
    "second_row": "second-row",
    "third_row": "third-row",
    "left_side": "left-side",
    "right_side": "right-side",
    "all": "",
}


class Unreachable(Exception):
    """The action addresses something this car does not have (or nothing to act on)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def target_seats(target: SeatTarget | None, speaker: Seat, profile: CarProfile) -> list[Seat]:
    """The seats of the car a target names (the speaker's seat already mapped onto the car)."""
    if target is None:
        return [speaker]
    if is_seat(target):
        seat = cast(Seat, target)
        if seat not in profile.seats:
            raise Unreachable(NO_SUCH_SEAT, f"this car has no {SEAT_LABELS[seat]} seat")
        return [seat]
    group = cast(SeatGroup, target)
    present = [seat for seat in GROUP_SEATS[group] if seat in profile.seats]
    if not present:
        raise Unreachable(NO_SUCH_SEAT, f"this car has no {_GROUP_LABELS[group]} seats")
    return present


def resolve_seats(
    kind: SeatFeature | EverySeatKind,
    target: SeatTarget | None,
    speaker: Seat,
    profile: CarProfile,
) -> tuple[Seat, ...]:
    """Seats with the thing; a group keeps those that have it, a single seat must have it.

    The speaker's own seat is never swapped for a neighbour's that has the thing.
    """
    seats = target_seats(target, speaker, profile)
    if kind == "reading_light" or kind == "seat_position":
        fitted = profile.ordered_seats
        label = _EVERY_SEAT_LABELS[kind]
    else:
        fitted = profile.seats_with(kind)
        label = FEATURE_LABELS[kind]
    hits = tuple(seat for seat in seats if seat in fitted)
    if not hits:
        where = " or ".join(SEAT_LABELS[seat] for seat in seats)
        seat_word = "seats" if len(seats) > 1 else "seat"
        raise Unreachable(NOT_EQUIPPED, f"the {where} {seat_word} have no {label}")
    return hits


def resolve_zones(
    target: SeatTarget | None, speaker: Seat, profile: CarProfile
) -> tuple[Zone, ...]:
    """Climate zones serving the target's seats (rear seats of rows two and three -> rear)."""
    zones: list[Zone] = []
    for seat in target_seats(target, speaker, profile):
        zone = zone_of(seat)
        if zone not in zones:
            zones.append(zone)
    return tuple(zones)


def resolve_windows(
    target: SeatTarget | None, speaker: Seat, profile: CarProfile
) -> tuple[Window, ...]:
    """Windows at the target's seats; the speaker's own request reaches the nearest one."""
    seats = target_seats(target, speaker, profile)
    nearest = target is None
    windows: list[Window] = []
    for seat in seats:
        window = window_of(seat, nearest=nearest)
        if window is not None and window not in windows:
            windows.append(window)
    if not windows:
        raise Unreachable(NO_WINDOW, "the third row has no windows")
    return tuple(windows)


def resolve_screen(screen: Screen | None, speaker: Seat) -> Screen:
    """The screen named, else the one the speaker watches."""
    return screen if screen is not None else screen_of(speaker)


def reachable_targets(kind: TargetKind, profile: CarProfile) -> tuple[SeatTarget, ...]:
    """The target words that reach something of `kind` on this car (for tool schemas)."""
    reachable = []
    for target in SEAT_TARGETS:
        try:
            _resolve(kind, target, "driver", profile)
        except Unreachable:
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
