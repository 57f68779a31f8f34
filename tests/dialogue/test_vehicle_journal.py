"""The car's journal over SQLite: its state and undo log come back after a restart."""

from __future__ import annotations

from pathlib import Path

from tongxue.cabin.actions import ActionContext
from tongxue.cabin.journal import VehicleJournal
from tongxue.cabin.profile import DEFAULT_PROFILE
from tongxue.cabin.results import ActionResult, StateChange, TurnRecord
from tongxue.dialogue.database import Database
from tongxue.dialogue.vehicle_journal import SqliteVehicleJournal


def _turn(turn_id: str, path: str, old: object, new: object) -> TurnRecord:
    return TurnRecord(
        turn_id=turn_id,
        context=ActionContext(speaker="passenger", source="rules", role="phone", actor="k1"),
        results=[
            ActionResult(
                name="set_window",
                arguments={"position": new},
                status="done",
                changes=[StateChange(path=path, old=old, new=new)],
            )
        ],
    )


def test_a_fresh_journal_has_nothing(tmp_path: Path) -> None:
    journal = SqliteVehicleJournal(Database(tmp_path / "t.db"))
    assert isinstance(journal, VehicleJournal)
    assert journal.load_state() is None
    assert journal.load_turns() == []


def test_state_and_turns_survive_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "t.db"
    state = DEFAULT_PROFILE.initial_state().to_dict()
    state["windows"]["driver"] = 50
    turns = [_turn("t1", "windows.driver", 0, 50), _turn("t2", "sunroof", 0, 100)]
    database = Database(path)
    journal = SqliteVehicleJournal(database, "suv6")
    journal.save_state(state)
    journal.save_turns(turns)
    database.close()

    reopened = SqliteVehicleJournal(Database(path), "suv6")
    assert reopened.load_state() == state
    loaded = reopened.load_turns()
    assert loaded == turns
    assert loaded[0].context.role == "phone" and loaded[0].context.actor == "k1"
    assert loaded[1].changes == [StateChange(path="sunroof", old=0, new=100)]


def test_each_save_replaces_the_last(tmp_path: Path) -> None:
    journal = SqliteVehicleJournal(Database(tmp_path / "t.db"))
    state = DEFAULT_PROFILE.initial_state().to_dict()
    journal.save_state(state)
    state["sunroof"] = 30
    journal.save_state(state)
    assert journal.load_state() == state
    journal.save_turns([_turn("t1", "sunroof", 0, 30), _turn("t2", "sunroof", 30, 60)])
    journal.save_turns([_turn("t1", "sunroof", 0, 30)])
    assert [t.turn_id for t in journal.load_turns()] == ["t1"]
    journal.save_turns([])
    assert journal.load_turns() == []


def test_each_car_profile_keeps_its_own(tmp_path: Path) -> None:
    database = Database(tmp_path / "t.db")
    suv, sedan = SqliteVehicleJournal(database, "suv6"), SqliteVehicleJournal(database, "sedan5")
    suv.save_state({"sunroof": 100})
    suv.save_turns([_turn("t1", "sunroof", 0, 100)])
    assert sedan.load_state() is None
    assert sedan.load_turns() == []


def test_an_unreadable_undo_log_starts_afresh(tmp_path: Path) -> None:
    database = Database(tmp_path / "t.db")
    journal = SqliteVehicleJournal(database)
    journal.save_turns([_turn("t1", "sunroof", 0, 100)])
    with database.write() as db:
        db.execute("UPDATE vehicle_turns SET turn = '{\"turn_id\": 1}'")
    assert journal.load_turns() == []


def test_in_memory_for_tests() -> None:
    journal = SqliteVehicleJournal(Database())
    journal.save_state({"sunroof": 20})
    assert journal.load_state() == {"sunroof": 20}
