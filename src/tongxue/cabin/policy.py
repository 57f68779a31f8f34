"""The safety policy, in one place. It decides, for every source of an action (the rules
parser, the model, the phone, the API, undo, a stored preference), whether it may run.

It judges writes, not tool names: an action is judged by the writes its plan makes, and an
undo by the writes that would revert a turn. So undo is no back door around any rule.

The rules, in the order they are checked (the first one broken is reported):
1. Always-on safety warnings (seat-belt reminder, pedestrian alert) cannot be turned off,
   by anyone, in any state.
2. Driving controls (headlights, wipers, mirrors, defrost; drive mode, power mode, regen,
   driver assistance, position and fog lights, mirror heating) obey only the driver's
   seat; the phone is in no seat, so it may not use them either.
3. The child lock obeys the front seats only; the phone may set it, but never release it
   while the car is moving.
4. While moving (speed > 0 or gear not P): no unlocking, no opening the trunk or the
   charge port, no folding the mirrors; the driver's seat keeps its backrest, fore/aft
   and memory; the passenger screen does not slide; no video starts on the centre screen,
   nor on the passenger screen slid past the middle; the rest scene does not start; no
   driver-assistance function is turned off.
5. With the child lock on, rear-seat speakers (rows two and three) cannot open rear
   windows. The phone is the owner's, not a child in the back: the lock does not bind it.
6. Unlocking from the phone needs a confirmation (a second, explicit step).
And for undo: the phone may undo only its own turns.

Rules 1 to 4 and 6 judge what was asked, whatever the state (unlocking already-unlocked
doors while moving is still refused: a plan holds every write it asks for); rule 5 judges
the change, because only an opening is barred. The video rule reads the state too: where
video ends up playing is the plan's writes over the current state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tongxue.cabin.actions import ActionContext
from tongxue.cabin.errors import UnknownPathError
from tongxue.cabin.results import (
    ALWAYS_ON,
    CHILD_LOCK,
    CONFIRMATION_REQUIRED,
    DRIVER_ONLY,
    FRONT_SEATS_ONLY,
    MOVING,
    NOT_IN_SEAT,
    NOT_YOUR_TURN,
)
from tongxue.cabin.seats import WINDOWS, is_rear_seat, is_rear_window
from tongxue.cabin.state import CarState

Write = tuple[str, Any]

ADAS_PREFIX = "adas."
DRIVING_CONTROL_PATHS = frozenset(
    {
        "lights.headlights",
        "wipers",
        "mirrors.folded",
        "climate.front_defrost",
        "climate.rear_defrost",
        "drive.mode",
        "drive.power_mode",
        "drive.regen",
        "lights.position",
        "lights.fog_front",
        "lights.fog_rear",
        "mirrors.heating",
    }
)
# Warnings that protect people outside the car or unbelted inside it: never off by voice.
ALWAYS_ON_PATHS = frozenset({"adas.seatbelt_reminder", "audio.pedestrian_alert"})
CHILD_LOCK_SEATS = frozenset({"driver", "passenger"})
CHILD_LOCK_PATH = "doors.child_lock"
# Values the car must not take while it moves.
UNSAFE_WHILE_MOVING: dict[str, Any] = {
    "doors.locked": False,
    "trunk.open": True,
    "mirrors.folded": True,
    "charge_port.open": True,
    "scene": "rest",
}
# Things that must not move at all while the car does, whatever the value asked: the
# driver's seating position and a screen sliding across the dashboard.
FIXED_WHILE_MOVING = frozenset(
    {
        "seats.driver.backrest",
        "seats.driver.fore_aft",
        "seats.driver.memory",
        "screens.passenger.position",
    }
)
# Screens the driver can see: video may not start on them while moving. The passenger
# screen counts once slid past the middle, toward the driver.
PASSENGER_SCREEN_IN_DRIVERS_VIEW = 50
_VIDEO_PATHS = ("media.source", "media.playing", "media.video_screen")
_REAR_WINDOW_PATHS = frozenset(f"windows.{w}" for w in WINDOWS if is_rear_window(w))


@dataclass(frozen=True)
class Refusal:
    """Why something may not run: a stable code and an English sentence."""

    code: str
    reason: str


def is_moving(state: CarState) -> bool:
    """The car counts as moving when it rolls or is out of park."""
    return state.drive.speed_kmh > 0 or state.drive.gear != "P"


def is_driving_control(path: str) -> bool:
    """Paths only the driver's seat may change (every driver-assistance function too)."""
    return path in DRIVING_CONTROL_PATHS or path.startswith(ADAS_PREFIX)


def check(ctx: ActionContext, state: CarState, writes: Iterable[Write]) -> Refusal | None:
    """The first rule that `writes`, asked for by `ctx` in `state`, break; None when allowed."""
    planned = list(writes)
    return (
        _check_always_on(planned)
        or _check_driving_controls(ctx, planned)
        or _check_child_lock_switch(ctx, state, planned)
        or _check_moving(state, planned)
        or _check_rear_windows(ctx, state, planned)
        or _check_confirmation(ctx, planned)
    )


def check_undo(turn: ActionContext, ctx: ActionContext) -> Refusal | None:
    """Whether `ctx` may undo a turn asked for by `turn` (its writes are judged apart)."""
    if ctx.remote and not (turn.remote and turn.actor == ctx.actor):
        return Refusal(NOT_YOUR_TURN, "the phone can only undo its own changes")
    return None


def _check_always_on(writes: list[Write]) -> Refusal | None:
    for path, value in writes:
        if path in ALWAYS_ON_PATHS and value is False:
            return Refusal(ALWAYS_ON, _ALWAYS_ON_REASONS[path])
    return None


_ALWAYS_ON_REASONS = {
    "adas.seatbelt_reminder": "the seat belt reminder cannot be turned off",
    "audio.pedestrian_alert": "the pedestrian alert cannot be turned off",
}


def _check_driving_controls(ctx: ActionContext, writes: list[Write]) -> Refusal | None:
    if not any(is_driving_control(path) for path, _ in writes):
        return None
    if ctx.remote:
        return Refusal(NOT_IN_SEAT, "driving controls cannot be used from the phone")
    if ctx.speaker != "driver":
        return Refusal(DRIVER_ONLY, "only the driver can use driving controls")
    return None


def _check_child_lock_switch(
    ctx: ActionContext, state: CarState, writes: list[Write]
) -> Refusal | None:
    switches = [value for path, value in writes if path == CHILD_LOCK_PATH]
    if not switches:
        return None
    if ctx.remote:
        if is_moving(state) and False in switches:
            return Refusal(MOVING, "the child lock cannot be released while the car is moving")
        return None
    if ctx.speaker not in CHILD_LOCK_SEATS:
        return Refusal(FRONT_SEATS_ONLY, "only the front seats can change the child lock")
    return None


def _check_moving(state: CarState, writes: list[Write]) -> Refusal | None:
    if not is_moving(state):
        return None
    for path, value in writes:
        if path in UNSAFE_WHILE_MOVING and UNSAFE_WHILE_MOVING[path] == value:
            return Refusal(MOVING, _MOVING_REASONS[path])
        if path in FIXED_WHILE_MOVING:
            return Refusal(MOVING, _MOVING_REASONS[path])
        if path.startswith(ADAS_PREFIX) and value is False:
            return Refusal(MOVING, "driver assistance cannot be turned off while moving")
    if _starts_video_in_drivers_view(state, writes):
        return Refusal(MOVING, "video cannot play where the driver sees it while moving")
    return None


_MOVING_REASONS = {
    "doors.locked": "the doors cannot be unlocked while the car is moving",
    "trunk.open": "the trunk cannot be opened while the car is moving",
    "mirrors.folded": "the mirrors cannot be folded while the car is moving",
    "charge_port.open": "the charge port cannot be opened while the car is moving",
    "scene": "the rest scene cannot start while the car is moving",
    "seats.driver.backrest": "the driver's seat cannot be moved while the car is moving",
    "seats.driver.fore_aft": "the driver's seat cannot be moved while the car is moving",
    "seats.driver.memory": "the driver's seat cannot be moved while the car is moving",
    "screens.passenger.position": "the passenger screen cannot slide while the car is moving",
}


def _starts_video_in_drivers_view(state: CarState, writes: list[Write]) -> bool:
    """Whether the writes start (or restart) video on a screen the driver can see.

    Only a request that touches playback counts: video already running when the car
    pulled away is not this rule's business, a new title or a resume is.
    """
    if not any(path in _VIDEO_PATHS and value not in (False, None) for path, value in writes):
        return False
    after = dict(writes)

    def final(path: str) -> Any:
        return after[path] if path in after else _read(state, path)

    if final("media.source") != "video" or final("media.playing") is not True:
        return False
    screen = final("media.video_screen")
    if screen == "center":
        return True
    position = final("screens.passenger.position")
    in_view = position is not None and position > PASSENGER_SCREEN_IN_DRIVERS_VIEW
    return screen == "passenger" and in_view


def _read(state: CarState, path: str) -> Any:
    # A car state without a v2 path (an old adapter's) simply has no video to judge.
    try:
        return state.get_path(path)
    except UnknownPathError:
        return None


def _check_rear_windows(ctx: ActionContext, state: CarState, writes: list[Write]) -> Refusal | None:
    if not state.doors.child_lock or ctx.remote or not is_rear_seat(ctx.speaker):
        return None
    for path, value in writes:
        if path in _REAR_WINDOW_PATHS and value > state.get_path(path):
            return Refusal(CHILD_LOCK, "the child lock keeps the rear windows closed")
    return None


def _check_confirmation(ctx: ActionContext, writes: list[Write]) -> Refusal | None:
    if ctx.remote and not ctx.confirmed and ("doors.locked", False) in writes:
        return Refusal(CONFIRMATION_REQUIRED, "unlocking from the phone needs a confirmation step")
    return None
