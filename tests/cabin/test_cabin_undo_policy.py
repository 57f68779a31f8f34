"""Undo obeys the moving-car safety rule like every action."""

from __future__ import annotations

from tongxue.cabin.actions import ActionContext, SetDoorLock, SetWindow
from tongxue.cabin.vehicle import Vehicle


def test_undo_cannot_unlock_a_moving_car() -> None:
    vehicle = Vehicle()
    ctx = ActionContext(speaker="driver")
    vehicle.set("doors.locked", False)
    vehicle.execute([SetDoorLock(locked=True)], ctx, "t1")
    vehicle.set("drive.speed_kmh", 50)
    assert [r.reason_code for r in vehicle.undo(ctx)] == ["moving"]
    assert vehicle.get("doors.locked") is True
    # Parked again, the same turn can be undone.
    vehicle.set("drive.speed_kmh", 0)
    assert [c.path for r in vehicle.undo(ctx) for c in r.changes] == ["doors.locked"]
    assert vehicle.get("doors.locked") is False


def test_undo_of_harmless_changes_works_while_moving() -> None:
    vehicle = Vehicle()
    ctx = ActionContext(speaker="driver")
    vehicle.execute([SetWindow(position=100)], ctx, "t1")
    vehicle.set("drive.speed_kmh", 50)
    assert [c.path for r in vehicle.undo(ctx) for c in r.changes] == ["windows.driver"]
    assert vehicle.get("windows.driver") == 0
