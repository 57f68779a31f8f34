"""Shared fixtures for the cabin tests: a default SUV, a sedan, and a one-call runner."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tongxue.cabin import (
    ActionContext,
    ActionResult,
    CabinAction,
    Role,
    Seat,
    Source,
    Vehicle,
    load_builtin_profile,
)

Run = Callable[..., ActionResult]


@pytest.fixture
def car() -> Vehicle:
    return Vehicle()


@pytest.fixture
def sedan() -> Vehicle:
    return Vehicle(load_builtin_profile("sedan5"))


@pytest.fixture
def run() -> Run:
    """`run(vehicle, action, speaker=..., source=..., role=...)`: one action in its own turn."""
    return _run_action


def _run_action(
    vehicle: Vehicle,
    action: CabinAction,
    speaker: Seat = "driver",
    source: Source = "rules",
    turn_id: str = "t",
    role: Role = "car",
) -> ActionResult:
    """Execute one action in its own turn and return its result."""
    ctx = ActionContext(speaker=speaker, source=source, role=role)
    results = vehicle.execute([action], ctx, turn_id)
    assert len(results) == 1
    return results[0]
