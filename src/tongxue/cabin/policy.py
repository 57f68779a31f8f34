"""The safety policy, in one place. `Vehicle.execute` applies it to every action, whatever
produced it (rules, the model, the phone, the API).

Rules (the contract's three, plus one for the phone):
1. While moving (speed > 0 or gear not P): no unlocking, no opening the trunk, no folding
   the mirrors.
2. Driving controls (headlights, wipers, mirrors, defrost) obey only the driver's seat; the
   phone is in no seat, so it may not use them either.
3. With the child lock on, rear-seat speakers (rows two and three) cannot open rear windows.

Rules 1 and 2 judge what was asked, whatever the state (unlocking already-unlocked doors
while moving is still refused); rule 3 judges the plan, because only an opening is barred.
"""

from __future__ import annotations

from dataclasses import dataclass

from tongxue.cabin.actions import ActionContext, CabinAction, SetDoorLock, SetMirrors, SetTrunk
from tongxue.cabin.effects import Plan
from tongxue.cabin.results import CHILD_LOCK, DRIVER_ONLY, MOVING, NOT_IN_SEAT
from tongxue.cabin.seats import WINDOWS, is_rear_seat, is_rear_window
from tongxue.cabin.state import CarState

_REAR_WINDOW_PATHS = frozenset(f"windows.{w}" for w in WINDOWS if is_rear_window(w))


@dataclass(frozen=True)
class Refusal:
    """Why an action may not run: a stable code and an English sentence."""

    code: str
    reason: str


def is_moving(state: CarState) -> bool:
    """The car counts as moving when it rolls or is out of park."""
    return state.drive.speed_kmh > 0 or state.drive.gear != "P"


def check(action: CabinAction, ctx: ActionContext, state: CarState, plan: Plan) -> Refusal | None:
    """The first rule `action` breaks, or None when it may run."""
    return (
        _check_driving_control(action, ctx)
        or _check_moving(action, state)
        or _check_child_lock(ctx, state, plan)
    )


def _check_driving_control(action: CabinAction, ctx: ActionContext) -> Refusal | None:
    if not action.driving_control:
        return None
    if ctx.source == "phone":
        return Refusal(NOT_IN_SEAT, "driving controls cannot be used from the phone")
    if ctx.speaker != "driver":
        return Refusal(DRIVER_ONLY, "only the driver can use driving controls")
    return None


def _check_moving(action: CabinAction, state: CarState) -> Refusal | None:
    if not is_moving(state):
        return None
    if isinstance(action, SetDoorLock) and not action.locked:
        return Refusal(MOVING, "the doors cannot be unlocked while the car is moving")
    if isinstance(action, SetTrunk) and action.open:
        return Refusal(MOVING, "the trunk cannot be opened while the car is moving")
    if isinstance(action, SetMirrors) and action.folded:
        return Refusal(MOVING, "the mirrors cannot be folded while the car is moving")
    return None


def _check_child_lock(ctx: ActionContext, state: CarState, plan: Plan) -> Refusal | None:
    # The phone is the owner's, not a child in the back: the lock does not bind it.
    if not state.doors.child_lock or ctx.source == "phone" or not is_rear_seat(ctx.speaker):
        return None
    for path, value in plan.writes:
        if path in _REAR_WINDOW_PATHS and value > state.get_path(path):
            return Refusal(CHILD_LOCK, "the child lock keeps the rear windows closed")
    return None
