"""Request and response models of `/v1/vehicle/...` and the events socket's messages."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tongxue.cabin.results import ActionResult, StateChange
from tongxue.cabin.seats import Seat


class ActionCall(BaseModel):
    """One typed action: a tool name and its arguments (see `docs/cabin.md`)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, examples=["set_window"])
    arguments: dict[str, Any] = Field(
        default_factory=dict, examples=[{"target": "driver", "position": 50}]
    )


class VehicleActionsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actions: list[ActionCall] = Field(min_length=1, max_length=16)
    seat: Seat = Field(
        "driver", description="Whose seat a targetless action means (the phone sits nowhere)."
    )


class VehicleActionsResponse(BaseModel):
    object: Literal["vehicle.actions"] = "vehicle.actions"
    turn_id: str
    results: list[ActionResult]
    changes: list[StateChange]
    refused: bool


class ConfirmationRequired(BaseModel):
    """Nothing was done yet: POST to `confirm_url` with the same key to go ahead."""

    object: Literal["vehicle.confirmation"] = "vehicle.confirmation"
    id: str
    status: Literal["pending"] = "pending"
    expires_at: float
    confirm_url: str
    actions: list[ActionCall]
    message: str


class VehicleStateOut(BaseModel):
    object: Literal["vehicle.state"] = "vehicle.state"
    profile: str
    moving: bool
    state: dict[str, Any]


class VehicleProfileOut(BaseModel):
    object: Literal["vehicle.profile"] = "vehicle.profile"
    id: str
    name: str
    seats: list[Seat]
    equipment: dict[str, Any]
    tools: list[str]


class SimulationRequest(BaseModel):
    """Set state paths directly, sensors included (speed, gear): the car 'becomes' so."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, Any] = Field(
        min_length=1, max_length=64, examples=[{"drive.speed_kmh": 60, "drive.gear": "D"}]
    )


# --- events socket (server to client) ---------------------------------------------------


class SnapshotEvent(BaseModel):
    type: Literal["snapshot"] = "snapshot"
    seq: int
    profile: str
    state: dict[str, Any]


class ChangesEvent(BaseModel):
    type: Literal["changes"] = "changes"
    seq: int
    time: float
    changes: list[StateChange]
