"""Vehicle behaviour: undo, subscribers, reset, raw setup and adapters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from tongxue.cabin import (
    ActionContext,
    ActionResult,
    InvalidValueError,
    PlayMedia,
    SetDoorLock,
    SetSunroof,
    SetTemperature,
    SetVolume,
    SetWindow,
    SimulatedAdapter,
    StateChange,
    TurnRecord,
    UnknownPathError,
    Vehicle,
    VehicleAdapter,
)

Run = Callable[..., ActionResult]
DRIVER = ActionContext(speaker="driver")


def test_snapshot_is_the_whole_nested_state_and_a_copy(car: Vehicle) -> None:
    snapshot = car.snapshot()
    assert snapshot == car.state.to_dict()
    snapshot["windows"]["driver"] = 99
    assert car.get("windows.driver") == 0


def test_undo_restores_the_state_before_the_previous_turn(car: Vehicle) -> None:
    start = car.snapshot()
    car.execute([SetTemperature(value=20), SetWindow(position=50)], DRIVER, "t1")
    after_first = car.snapshot()
    car.execute([SetVolume(delta=10), SetTemperature(delta=1)], DRIVER, "t2")
    undone = [change for result in car.undo(DRIVER) for change in result.changes]
    assert car.snapshot() == after_first
    assert {(c.path, c.old, c.new) for c in undone} == {
        ("media.volume", 40, 30),
        ("climate.driver.temperature", 21.0, 20.0),
    }
    # One level, no history (contract v2, k): a second undo puts the undone turn back.
    car.undo(DRIVER)
    assert car.snapshot() != after_first
    assert car.get("media.volume") == 40
    car.undo(DRIVER)
    assert car.snapshot() == after_first
    assert car.snapshot() != start


def test_undo_of_the_only_turn_then_nothing_older(car: Vehicle) -> None:
    start = car.snapshot()
    car.execute([SetWindow(position=50)], DRIVER, "t1")
    car.undo(DRIVER)
    assert car.snapshot() == start
    car.undo(DRIVER)
    assert car.get("windows.driver") == 50


def test_undo_skips_turns_that_changed_nothing(run: Run, car: Vehicle) -> None:
    run(car, SetSunroof(position=100), turn_id="1")
    run(car, SetSunroof(position=100), turn_id="2")  # unchanged
    car.set("drive.speed_kmh", 50)
    run(car, SetDoorLock(locked=False), turn_id="3")  # refused
    assert [turn.turn_id for turn in car.history] == ["1"]
    car.undo(DRIVER)
    assert car.get("sunroof") == 0


def test_undo_of_a_path_written_twice_in_one_turn(car: Vehicle) -> None:
    car.execute([SetVolume(value=50)], DRIVER, "t")
    car.execute([SetVolume(delta=10)], DRIVER, "t")  # same turn id: same turn
    assert len(car.history) == 1
    seen: list[list[StateChange]] = []
    car.subscribe(seen.append)
    assert [r.status for r in car.undo(DRIVER)] == ["done", "done"]
    assert car.get("media.volume") == 30
    # Listeners and the car hear the net change once.
    assert seen == [[StateChange(path="media.volume", old=60, new=30)]]


def test_setup_is_not_undone(car: Vehicle) -> None:
    car.set("drive.speed_kmh", 40)
    car.execute([PlayMedia(query="jazz")], DRIVER, "t")
    car.undo(DRIVER)
    assert car.get("drive.speed_kmh") == 40
    assert car.get("media.query") is None
    assert car.get("media.playing") is False


def test_subscribers_see_every_change_until_unsubscribed(car: Vehicle) -> None:
    seen: list[list[StateChange]] = []
    unsubscribe = car.subscribe(seen.append)
    car.execute([SetWindow(position=20)], DRIVER, "1")
    car.execute([SetWindow(position=20)], DRIVER, "2")  # nothing changes, nothing sent
    car.undo(DRIVER)
    car.set("drive.gear", "D")
    assert [[(c.path, c.new) for c in batch] for batch in seen] == [
        [("windows.driver", 20)],
        [("windows.driver", 0)],
        [("drive.gear", "D")],
    ]
    unsubscribe()
    car.execute([SetWindow(position=70)], DRIVER, "3")
    assert len(seen) == 3


def test_a_failing_subscriber_does_not_break_the_car(car: Vehicle) -> None:
    def broken(_: list[StateChange]) -> None:
        raise RuntimeError("listener bug")

    received: list[list[StateChange]] = []
    car.subscribe(broken)
    car.subscribe(received.append)
    results = car.execute([SetWindow(position=20)], DRIVER, "1")
    assert results[0].status == "done"
    assert len(received) == 1


def test_reset_returns_to_the_parked_car(car: Vehicle) -> None:
    default = car.snapshot()
    seen: list[list[StateChange]] = []
    car.subscribe(seen.append)
    car.set("drive.speed_kmh", 30)
    car.execute([SetWindow(target="all", position=100)], DRIVER, "1")
    car.reset()
    assert car.snapshot() == default
    assert not car.can_undo
    assert {c.path for c in seen[-1]} == {
        "drive.speed_kmh",
        "windows.driver",
        "windows.passenger",
        "windows.rear_left",
        "windows.rear_right",
    }


def test_set_many_is_all_or_nothing(car: Vehicle) -> None:
    before = car.snapshot()
    with pytest.raises(InvalidValueError):
        car.set_many({"windows.driver": 50, "climate.fan_speed": 12})
    with pytest.raises(UnknownPathError):
        car.set_many({"windows.driver": 50, "windows.boot": 1})
    assert car.snapshot() == before


def test_setup_can_write_read_only_paths(car: Vehicle) -> None:
    car.set_many(
        {"drive.speed_kmh": 60, "energy.range_km": 120, "tires.rear_left.pressure_kpa": 180}
    )
    assert car.get("drive.speed_kmh") == 60
    assert car.get("energy.range_km") == 120


class _RecordingCar:
    """A stand-in for a real bus: reports a speed, records what it is told to do."""

    def __init__(self, reported: dict[str, Any]) -> None:
        self.reported = reported
        self.applied: list[StateChange] = []

    def apply(self, changes: Sequence[StateChange]) -> None:
        self.applied.extend(changes)

    def read(self) -> dict[str, Any]:
        return self.reported


def test_adapter_readings_feed_the_policy_and_changes_reach_the_bus() -> None:
    bus = _RecordingCar({"drive": {"speed_kmh": 70, "gear": "D"}})
    assert isinstance(bus, VehicleAdapter)
    car = Vehicle(adapter=bus)
    results = car.execute([SetDoorLock(locked=False), SetWindow(position=40)], DRIVER, "1")
    assert [r.status for r in results] == ["refused", "done"]
    assert car.get("drive.speed_kmh") == 70
    assert bus.applied == [StateChange(path="windows.driver", old=0, new=40)]
    car.undo(DRIVER)
    assert bus.applied[-1] == StateChange(path="windows.driver", old=40, new=0)


def test_simulated_adapter_is_the_default(car: Vehicle) -> None:
    assert isinstance(car.adapter, SimulatedAdapter)
    car.execute([SetWindow(position=40)], DRIVER, "1")
    assert car.adapter.applied == [StateChange(path="windows.driver", old=0, new=40)]
    assert car.adapter.read() == {}


def test_setup_and_reset_reach_the_car_and_the_journal_like_every_change() -> None:
    bus = _RecordingCar({})
    journal = _MemoryJournal()
    car = Vehicle(adapter=bus, journal=journal)
    car.set_many({"windows.passenger": 30, "drive.gear": "D"})
    car.execute([SetWindow(position=40)], DRIVER, "1")
    assert journal.state is not None and journal.state["windows"]["passenger"] == 30
    assert [t.turn_id for t in journal.turns] == ["1"]
    car.reset()
    assert bus.applied[:2] == [
        StateChange(path="windows.passenger", old=0, new=30),
        StateChange(path="drive.gear", old="P", new="D"),
    ]
    assert {(c.path, c.new) for c in bus.applied[3:]} == {
        ("windows.passenger", 0),
        ("windows.driver", 0),
        ("drive.gear", "P"),
    }
    assert journal.state == car.snapshot() and journal.turns == []
    # A new vehicle on the same journal takes over the state and the undo log.
    car.execute([SetWindow(position=70)], DRIVER, "2")
    again = Vehicle(journal=journal)
    assert again.get("windows.driver") == 70
    assert [r.status for r in again.undo(DRIVER)] == ["done"]
    assert again.get("windows.driver") == 0


class _FailingCar(_RecordingCar):
    def apply(self, changes: Sequence[StateChange]) -> None:
        if any(c.path == "media.volume" for c in changes):
            raise RuntimeError("the bus refused the change")
        super().apply(changes)


def test_a_car_that_fails_a_change_rolls_back_the_whole_batch() -> None:
    bus = _FailingCar({})
    car = Vehicle(adapter=bus)
    before = car.snapshot()
    with pytest.raises(RuntimeError):
        car.execute([SetWindow(position=40), SetVolume(value=80)], DRIVER, "1")
    assert car.snapshot() == before
    assert not car.can_undo and bus.applied == []


class _MemoryJournal:
    def __init__(self) -> None:
        self.state: dict[str, Any] | None = None
        self.turns: list[TurnRecord] = []

    def load_state(self) -> dict[str, Any] | None:
        return self.state

    def save_state(self, state: dict[str, Any]) -> None:
        self.state = state

    def load_turns(self) -> list[TurnRecord]:
        return list(self.turns)

    def save_turns(self, turns: Sequence[TurnRecord]) -> None:
        self.turns = list(turns)
