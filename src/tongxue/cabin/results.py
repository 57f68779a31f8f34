"""What executing an action reports: the changes made, the clamps applied, and why not."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tongxue.cabin.actions import ActionContext

Status = Literal["done", "clamped", "refused", "unchanged", "unsupported"]

# Reason codes (the reply layer words them; `reason` is a plain English fallback).
MOVING = "moving"
DRIVER_ONLY = "driver_only"
NOT_IN_SEAT = "not_in_seat"
CHILD_LOCK = "child_lock"
NOT_EQUIPPED = "not_equipped"
NO_SUCH_SEAT = "no_such_seat"
NO_WINDOW = "no_window"
CONFIRMATION_REQUIRED = "confirmation_required"
NOT_YOUR_TURN = "not_your_turn"
TOO_MANY_WAYPOINTS = "too_many_waypoints"
# Version 2: safety warnings that stay on, and the child lock that both front seats reach.
ALWAYS_ON = "always_on"
FRONT_SEATS_ONLY = "front_seats_only"
# Version 2: understood but nothing to act on (no such contact, no call, a frequency off
# every band).
NOT_FOUND = "not_found"
NOTHING_TO_DO = "nothing_to_do"
OUT_OF_RANGE = "out_of_range"
NOT_IN_CONTACTS = "not_in_contacts"
NOTHING_TO_REDIAL = "nothing_to_redial"
NOT_RINGING = "not_ringing"
NO_CALL = "no_call"
OUT_OF_BAND = "out_of_band"


class StateChange(BaseModel):
    """One leaf that changed: its dot path, the value before and after."""

    model_config = ConfigDict(frozen=True)

    path: str
    old: Any
    new: Any


class Clamp(BaseModel):
    """A requested value outside its range, and the value used instead."""

    model_config = ConfigDict(frozen=True)

    path: str
    requested: int | float
    applied: int | float


class ActionResult(BaseModel):
    """The outcome of one action.

    `clamped` takes precedence over `unchanged`: a request beyond the range is reported
    as clamped even when the state already sat at the limit.
    """

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    status: Status
    reason_code: str | None = None
    reason: str | None = None
    changes: list[StateChange] = Field(default_factory=list)
    clamped: list[Clamp] = Field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.status == "refused"


class TurnRecord(BaseModel):
    """One turn in the vehicle's log: who asked, what each action did."""

    turn_id: str
    context: ActionContext
    results: list[ActionResult] = Field(default_factory=list)

    @property
    def changes(self) -> list[StateChange]:
        return [change for result in self.results for change in result.changes]
