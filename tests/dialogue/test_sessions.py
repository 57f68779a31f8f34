"""Sessions in SQLite: turns, follow-ups and owners survive a restart; caps are per owner."""

from __future__ import annotations

import threading
from pathlib import Path

from tongxue.cabin.actions import SetTemperature, SetWindow
from tongxue.cabin.vehicle import Vehicle
from tongxue.dialogue.agent import CabinAgent
from tongxue.dialogue.database import Database
from tongxue.dialogue.memory import MemoryStore
from tongxue.dialogue.sessions import SessionNotFoundError, SessionStore, TurnInput, TurnResult


def _result(session_id: str, text: str) -> TurnResult:
    return TurnResult(
        session_id=session_id,
        turn_id=text,
        text=text,
        seat="driver",
        language="zh",
        reply="好的",
        route="rules",
    )


def test_create_get_list_delete() -> None:
    store = SessionStore()
    first = store.create()
    second = store.create("named", owner="alice")
    assert store.get(first.id).id == first.id
    assert store.get("named").owner == "alice"
    assert [s.id for s in store.list()] == [first.id, "named"]
    assert [s.id for s in store.list(owner="alice")] == ["named"]
    assert store.delete(second.id)
    assert not store.delete(second.id)
    try:
        store.get("named")
        raise AssertionError("a deleted session was found")
    except SessionNotFoundError:
        pass
    made = store.get_or_create("fresh")
    assert made.id == "fresh" and store.get_or_create("fresh").created_at == made.created_at


def test_turns_and_last_actions_survive_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "memory.db"
    database = Database(path)
    store = SessionStore(database=database)
    session = store.create(owner="family")
    actions = (SetWindow(target="passenger", delta=20), SetTemperature(value=22))
    store.record(session, _result(session.id, "一"), ())
    store.record(session, _result(session.id, "二"), actions)
    assert session.previous_actions() == actions
    database.close()

    reopened = SessionStore(database=Database(path)).get(session.id)
    assert [t.text for t in reopened.turns] == ["一", "二"]
    assert reopened.turns[1] == session.turns[1]
    assert reopened.previous_actions() == actions
    assert reopened.owner == "family"


def test_only_the_last_turns_are_kept(tmp_path: Path) -> None:
    store = SessionStore(max_turns=3, database=Database(tmp_path / "s.db"))
    session = store.create()
    for i in range(5):
        store.record(session, _result(session.id, str(i)), ())
    assert [t.text for t in session.turns] == ["2", "3", "4"]
    assert [t.text for t in store.get(session.id).turns] == ["2", "3", "4"]


def test_the_cap_drops_only_that_owners_oldest() -> None:
    store = SessionStore(max_sessions=3)
    bob = store.create(owner="bob")
    store.create()  # the terminal's, owned by no one
    alice = [store.create(owner="alice") for _ in range(10)]
    assert [s.id for s in store.list(owner="alice")] == [s.id for s in alice[-3:]]
    assert store.get(bob.id).owner == "bob"
    assert len(store.list()) == 5


def test_a_session_deleted_during_its_turn_stays_deleted() -> None:
    store = SessionStore()
    session = store.create()
    store.delete(session.id)
    store.record(session, _result(session.id, "late"), ())
    assert store.list() == []


def test_threads_share_one_store(tmp_path: Path) -> None:
    store = SessionStore(database=Database(tmp_path / "s.db"))
    errors: list[BaseException] = []

    def talk(owner: str) -> None:
        try:
            for _ in range(20):
                session = store.create(owner=owner)
                store.record(session, _result(session.id, owner), (SetTemperature(value=22),))
                assert store.get(session.id).turns[0].text == owner
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=talk, args=(f"u{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.list()) == 160


def test_memories_and_sessions_share_one_database(tmp_path: Path) -> None:
    database = Database(tmp_path / "memory.db")
    memory = MemoryStore(database)
    sessions = SessionStore(database=database)
    memory.close()  # not its to close: the sessions still work
    sessions.create("still-open")
    assert sessions.get("still-open").id == "still-open"
    with database.read() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_a_follow_up_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "memory.db"
    database = Database(path)
    agent = CabinAgent(Vehicle(), sessions=SessionStore(database=database))
    first = await agent.handle(TurnInput(text="把副驾车窗打开一半", session_id="s1"))
    assert [c.new for c in first.changes] == [50]
    database.close()

    # A new process: the car is where it was (the car's own journal keeps that), and the
    # session remembers what "再开大一点" leans on.
    vehicle = Vehicle()
    vehicle.set("windows.passenger", 50)
    agent = CabinAgent(vehicle, sessions=SessionStore(database=Database(path)))
    follow_up = await agent.handle(TurnInput(text="再开大一点", session_id="s1"))
    assert follow_up.route == "rules"
    assert [c.path for c in follow_up.changes] == ["windows.passenger"]
    assert vehicle.get("windows.passenger") > 50
    assert [t.text for t in agent.sessions.get("s1").turns] == ["把副驾车窗打开一半", "再开大一点"]
