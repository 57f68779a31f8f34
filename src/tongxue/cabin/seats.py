"""Seat, climate-zone and window names, the group words, and the nearest-thing mapping.

Everything here is pure: given a target word and the speaker's seat it says which seats,
zones or windows are meant. Whether the car has them is the caller's business (the profile).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal, cast, get_args

Seat = Literal["driver", "passenger", "rear_left", "rear_right", "third_left", "third_right"]
SeatGroup = Literal["front", "rear", "second_row", "third_row", "left_side", "right_side", "all"]
SeatTarget = Literal[
    "driver",
    "passenger",
    "rear_left",
    "rear_right",
    "third_left",
    "third_right",
    "front",
    "rear",
    "second_row",
    "third_row",
    "left_side",
    "right_side",
    "all",
]
Zone = Literal["driver", "passenger", "rear"]
Window = Literal["driver", "passenger", "rear_left", "rear_right"]
Wheel = Literal["front_left", "front_right", "rear_left", "rear_right"]
# Rows two and three share the rear screen.
Screen = Literal["center", "passenger", "rear"]

SEATS: tuple[Seat, ...] = get_args(Seat)
SEAT_GROUPS: tuple[SeatGroup, ...] = get_args(SeatGroup)
SEAT_TARGETS: tuple[SeatTarget, ...] = get_args(SeatTarget)
ZONES: tuple[Zone, ...] = get_args(Zone)
WINDOWS: tuple[Window, ...] = get_args(Window)
WHEELS: tuple[Wheel, ...] = get_args(Wheel)
SCREENS: tuple[Screen, ...] = get_args(Screen)

SEAT_ROW: dict[Seat, int] = {
    "driver": 1,
    "passenger": 1,
    "rear_left": 2,
    "rear_right": 2,
    "third_left": 3,
    "third_right": 3,
}

# Words a reply can use for a seat ("the rear left seat").
SEAT_LABELS: dict[Seat, str] = {
    "driver": "driver",
    "passenger": "front passenger",
    "rear_left": "rear left",
    "rear_right": "rear right",
    "third_left": "third-row left",
    "third_right": "third-row right",
}

# Group words of the contract: "rear" is rows two and three; the caller drops seats
# that lack the thing, which is what "where the thing exists" means.
GROUP_SEATS: dict[SeatGroup, tuple[Seat, ...]] = {
    "front": ("driver", "passenger"),
    "rear": ("rear_left", "rear_right", "third_left", "third_right"),
    "second_row": ("rear_left", "rear_right"),
    "third_row": ("third_left", "third_right"),
    "left_side": ("driver", "rear_left", "third_left"),
    "right_side": ("passenger", "rear_right", "third_right"),
    "all": SEATS,
}

_SEAT_ZONE: dict[Seat, Zone] = {
    "driver": "driver",
    "passenger": "passenger",
    "rear_left": "rear",
    "rear_right": "rear",
    "third_left": "rear",
    "third_right": "rear",
}

_SEAT_WINDOW: dict[Seat, Window] = {
    "driver": "driver",
    "passenger": "passenger",
    "rear_left": "rear_left",
    "rear_right": "rear_right",
}

# The third row has no windows; its passengers reach the second-row window on their side.
_NEAREST_WINDOW: dict[Seat, Window] = {
    **_SEAT_WINDOW,
    "third_left": "rear_left",
    "third_right": "rear_right",
}

# When a seat is missing from a car, the closest seat on the same side, row by row forward.
_FALLBACK_SEATS: dict[Seat, tuple[Seat, ...]] = {
    "driver": (),
    "passenger": ("driver",),
    "rear_left": ("driver",),
    "rear_right": ("passenger", "driver"),
    "third_left": ("rear_left", "driver"),
    "third_right": ("rear_right", "passenger", "driver"),
}


def is_seat(target: str) -> bool:
    """True for a single seat id, false for a group word."""
    return target in SEAT_ROW


def is_rear_seat(seat: Seat) -> bool:
    """Rows two and three: the seats the child lock is about."""
    return SEAT_ROW[seat] >= 2


def is_rear_window(window: Window) -> bool:
    return window in ("rear_left", "rear_right")


def seats_of(target: SeatTarget | None, speaker: Seat) -> tuple[Seat, ...]:
    """The seats a target word names; `None` is the speaker's own seat."""
    if target is None:
        return (speaker,)
    if target in GROUP_SEATS:
        return GROUP_SEATS[target]
    return (cast(Seat, target),)


def screen_of(seat: Seat) -> Screen:
    """The screen a seat watches: its own in front, the shared rear one behind."""
    if seat == "driver":
        return "center"
    if seat == "passenger":
        return "passenger"
    return "rear"


def zone_of(seat: Seat) -> Zone:
    """The climate zone that serves a seat (rear covers rows two and three)."""
    return _SEAT_ZONE[seat]


def window_of(seat: Seat, *, nearest: bool) -> Window | None:
    """The window at a seat; with `nearest`, the closest window for a seat that has none."""
    table = _NEAREST_WINDOW if nearest else _SEAT_WINDOW
    return table.get(seat)


def nearest_seat(seat: Seat, available: Collection[Seat]) -> Seat:
    """`seat` itself when the car has it, otherwise the closest seat on the same side."""
    if seat in available:
        return seat
    for candidate in _FALLBACK_SEATS[seat]:
        if candidate in available:
            return candidate
    return "driver"
