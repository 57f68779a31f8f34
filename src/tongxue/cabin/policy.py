"""The safety policy, in one place. It decides, for every source of an action (the rules
parser, the model, the phone, the API, undo, a stored preference), whether it may run.

It judges writes, not tool names: an action is judged by the writes its plan makes, and an
undo by the writes that would revert a turn. So undo is no back door around any rule.

The rules, in the order they are checked (the first one broken is reported):
1. Driving controls (headlights, wipers, mirrors, defrost) obey only the driver's seat;
   the phone is in no seat, so it may not use them either.
2. The child lock obeys the driver only; the phone may set it, but never release it while
   the car is moving.
3. While moving (speed > 0 or gear not P): no unlocking, no opening the trunk, no folding
   the mirrors.
4. With the child lock on, rear-seat speakers (rows two and three) cannot open rear
   windows. The phone is the owner's, not a child in the back: the lock does not bind it.
5. Unlocking from the phone needs a confirmation (a second, explicit step).
And for undo: the phone may undo only its own turns.

Rules 1 to 3 and 5 judge what was asked, whatever the state (unlocking already-unlocked
doors while moving is still refused: a plan holds every write it asks for); rule 4 judges
the change, because only an opening is barred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tongxue.cabin.actions import ActionContext
from tongxue.cabin.results import (
    CHILD_LOCK,
    CONFIRMATION_REQUIRED,
    DRIVER_ONLY,
    MOVING,
    NOT_IN_SEAT,
    NOT_YOUR_TURN,
)
from tongxue.cabin.seats import WINDOWS, is_rear_seat, is_rear_window
from tongxue.cabin.state import CarState

Write = tuple[str, Any]

DRIVING_CONTROL_PATHS = frozenset(
    {
        "lights.headlights",
        "wipers",
        "mirrors.folded",
        "climate.front_defrost",
        "climate.rear_defrost",
    }
)
CHILD_LOCK_PATH = "doors.child_lock"
# Values the car must not take while it moves.
UNSAFE_WHILE_MOVING: dict[str, Any] = {
    "doors.locked": False,
    "trunk.open": True,
    "mirrors.folded": True,
}
_REAR_WINDOW_PATHS = frozenset(f"windows.{w}" for w in WINDOWS if is_rear_window(w))


@dataclass(frozen=True)
class Refusal:
    """Why something may not run: a stable code and an English sentence."""

    code: str
    reason: str


def is_moving(state: CarState) -> bool:
    """The car counts as moving when it rolls or is out of park."""
    return state.drive.speed_kmh > 0 or state.drive.gear != "P"


def check(ctx: ActionContext, state: CarState, writes: Iterable[Write]) -> Refusal | None:
    """The first rule that `writes`, asked for by `ctx` in `state`, break; None when allowed."""
    planned = list(writes)
    return (
        _check_driving_controls(ctx, planned)
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


def _check_driving_controls(ctx: ActionContext, writes: list[Write]) -> Refusal | None:
    if not any(path in DRIVING_CONTROL_PATHS for path, _ in writes):
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
    if ctx.speaker != "driver":
        return Refusal(DRIVER_ONLY, "only the driver can change the child lock")
    return None


def _check_moving(state: CarState, writes: list[Write]) -> Refusal | None:
    if not is_moving(state):
        return None
    for path, value in writes:
        if path in UNSAFE_WHILE_MOVING and UNSAFE_WHILE_MOVING[path] == value:
            return Refusal(MOVING, _MOVING_REASONS[path])
    return None


_MOVING_REASONS = {
    "doors.locked": "the doors cannot be unlocked while the car is moving",
    "trunk.open": "the trunk cannot be opened while the car is moving",
    "mirrors.folded": "the mirrors cannot be folded while the car is moving",
}


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
