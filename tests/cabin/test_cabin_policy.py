"""The safety rules of the contract, each allowed and refused, plus the phone rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tongxue.cabin import (
    SEATS,
    ActionResult,
    CabinAction,
    Seat,
    SetDefrost,
    SetDoorLock,
    SetHeadlights,
    SetMirrors,
    SetTrunk,
    SetWindow,
    SetWipers,
    Vehicle,
)
from tongxue.cabin.policy import is_moving

Run = Callable[..., ActionResult]

MOVING_STATES = [{"drive.speed_kmh": 60}, {"drive.gear": "D"}, {"drive.gear": "R"}]
BARRED_WHILE_MOVING = [SetDoorLock(locked=False), SetTrunk(open=True), SetMirrors(folded=True)]
DRIVING_CONTROLS = [
    SetHeadlights(mode="high"),
    SetWipers(mode="auto"),
    SetMirrors(folded=True),
    SetDefrost(window="front", on=True),
    SetDefrost(window="rear", on=True),
]
REAR_SEATS: list[Seat] = ["rear_left", "rear_right", "third_left", "third_right"]


def _assert_refused(car: Vehicle, before: dict[str, Any], result: ActionResult, code: str) -> None:
    assert result.status == "refused"
    assert result.refused
    assert result.reason_code == code
    assert result.reason
    assert result.changes == []
    assert car.snapshot() == before


@pytest.mark.parametrize(
    ("setup", "moving"),
    [
        ({}, False),
        ({"drive.speed_kmh": 0.5}, True),
        ({"drive.gear": "N"}, True),
        ({"drive.gear": "P", "drive.speed_kmh": 0}, False),
    ],
)
def test_is_moving(car: Vehicle, setup: dict[str, Any], moving: bool) -> None:
    car.set_many(setup)
    assert is_moving(car.state) is moving


@pytest.mark.parametrize("setup", MOVING_STATES)
@pytest.mark.parametrize("action", BARRED_WHILE_MOVING, ids=lambda a: a.name)
def test_moving_car_refuses_unlock_trunk_and_fold(
    run: Run, car: Vehicle, setup: dict[str, Any], action: CabinAction
) -> None:
    car.set_many(setup)
    before = car.snapshot()
    _assert_refused(car, before, run(car, action), "moving")


@pytest.mark.parametrize("action", BARRED_WHILE_MOVING, ids=lambda a: a.name)
def test_parked_car_allows_them(run: Run, car: Vehicle, action: CabinAction) -> None:
    assert run(car, action).status == "done"


@pytest.mark.parametrize(
    ("setup", "action", "path", "value"),
    [
        ({"doors.locked": False}, SetDoorLock(locked=True), "doors.locked", True),
        ({"trunk.open": True}, SetTrunk(open=False), "trunk.open", False),
        ({"mirrors.folded": True}, SetMirrors(folded=False), "mirrors.folded", False),
    ],
)
def test_moving_car_allows_the_safe_direction(
    run: Run, car: Vehicle, setup: dict[str, Any], action: CabinAction, path: str, value: Any
) -> None:
    car.set_many({"drive.speed_kmh": 80, **setup})
    assert run(car, action).status == "done"
    assert car.get(path) == value


def test_moving_rule_judges_the_request_not_the_state(run: Run, car: Vehicle) -> None:
    car.set_many({"drive.speed_kmh": 30, "doors.locked": False})
    assert run(car, SetDoorLock(locked=False)).reason_code == "moving"


@pytest.mark.parametrize("speaker", [seat for seat in SEATS if seat != "driver"])
@pytest.mark.parametrize("action", DRIVING_CONTROLS, ids=lambda a: a.name)
def test_driving_controls_refused_from_other_seats(
    run: Run, car: Vehicle, speaker: Seat, action: CabinAction
) -> None:
    before = car.snapshot()
    _assert_refused(car, before, run(car, action, speaker=speaker), "driver_only")


@pytest.mark.parametrize("source", ["rules", "llm", "api"])
@pytest.mark.parametrize("action", DRIVING_CONTROLS, ids=lambda a: a.name)
def test_driving_controls_obey_the_driver(
    run: Run, car: Vehicle, source: str, action: CabinAction
) -> None:
    result = run(car, action, speaker="driver", source=source)
    assert result.status == "done"
    assert result.changes


@pytest.mark.parametrize("action", DRIVING_CONTROLS, ids=lambda a: a.name)
def test_phone_cannot_use_driving_controls(run: Run, car: Vehicle, action: CabinAction) -> None:
    before = car.snapshot()
    _assert_refused(car, before, run(car, action, source="api", role="phone"), "not_in_seat")


def test_llm_source_gets_the_same_policy(run: Run, car: Vehicle) -> None:
    result = run(car, SetWipers(mode="high"), speaker="passenger", source="llm")
    assert result.reason_code == "driver_only"


@pytest.mark.parametrize("speaker", REAR_SEATS)
@pytest.mark.parametrize(
    "action",
    [SetWindow(position=100), SetWindow(delta=20), SetWindow(target="rear", position=30)],
    ids=["open", "a-bit", "rear-group"],
)
def test_child_lock_keeps_rear_windows_closed_for_rear_speakers(
    run: Run, car: Vehicle, speaker: Seat, action: CabinAction
) -> None:
    car.set("doors.child_lock", True)
    before = car.snapshot()
    _assert_refused(car, before, run(car, action, speaker=speaker), "child_lock")


def test_child_lock_refuses_the_whole_action(run: Run, car: Vehicle) -> None:
    car.set("doors.child_lock", True)
    before = car.snapshot()
    result = run(car, SetWindow(target="all", position=100), speaker="rear_right")
    _assert_refused(car, before, result, "child_lock")
    assert car.get("windows.driver") == 0


@pytest.mark.parametrize("speaker", REAR_SEATS)
def test_child_lock_lets_rear_speakers_close(run: Run, car: Vehicle, speaker: Seat) -> None:
    car.set_many({"doors.child_lock": True, "windows.rear_left": 60, "windows.rear_right": 60})
    assert run(car, SetWindow(target="rear", delta=-20), speaker=speaker).status == "done"
    assert car.get("windows.rear_left") == 40
    assert run(car, SetWindow(target="rear", position=0), speaker=speaker).status == "done"
    assert car.get("windows.rear_right") == 0


@pytest.mark.parametrize(
    ("speaker", "target", "child_lock", "role"),
    [
        ("rear_left", "passenger", True, "car"),  # a front window is not barred
        ("rear_left", None, False, "car"),  # child lock off
        ("driver", "rear", True, "car"),  # the driver may open the rear windows
        ("passenger", "rear_left", True, "admin"),
        ("rear_right", "rear", True, "phone"),  # the phone is not a child in the back
    ],
)
def test_child_lock_allows_everyone_else(
    run: Run, car: Vehicle, speaker: Seat, target: Any, child_lock: bool, role: str
) -> None:
    car.set("doors.child_lock", child_lock)
    result = run(car, SetWindow(target=target, position=50), speaker=speaker, role=role)
    assert result.status == "done"
    assert all(change.new == 50 for change in result.changes)


def test_child_lock_refusal_leaves_other_actions_of_the_turn(car: Vehicle) -> None:
    from tongxue.cabin import ActionContext, SetVolume

    car.set("doors.child_lock", True)
    results = car.execute(
        [SetWindow(position=100), SetVolume(value=50)], ActionContext(speaker="rear_left"), "t"
    )
    assert [r.status for r in results] == ["refused", "done"]
    assert car.get("windows.rear_left") == 0
    assert car.get("media.volume") == 50
