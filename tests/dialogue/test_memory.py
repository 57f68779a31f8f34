"""The SQLite memory store: per-user privacy, replacement by topic, persistence."""

from __future__ import annotations

from pathlib import Path

from tongxue.dialogue.database import Database
from tongxue.dialogue.memory import MemoryStore, StoredAction, user_for_seat

TEMP_22 = [StoredAction(name="set_temperature", arguments={"value": 22})]


def test_remember_recall_and_replace_by_topic(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "m.db")
    alice = user_for_seat("driver")
    store.remember(alice, "set_temperature", "我喜欢22度", TEMP_22)
    store.remember(
        alice, "set_volume", "volume 40", [StoredAction(name="set_volume", arguments={"value": 40})]
    )
    store.remember(
        alice,
        "set_temperature",
        "I like 21 degrees",
        [StoredAction(name="set_temperature", arguments={"value": 21})],
    )
    memories = store.recall(alice)
    assert [m.topic for m in memories] == ["set_volume", "set_temperature"]
    assert memories[1].text == "I like 21 degrees"
    assert memories[1].actions[0].arguments == {"value": 21}


def test_one_user_never_sees_another(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "m.db")
    store.remember("seat:driver", "set_temperature", "22", TEMP_22)
    assert store.recall("seat:passenger") == []
    assert store.forget("seat:passenger") == 0
    memory = store.recall("seat:driver")[0]
    assert not store.forget_id("seat:passenger", memory.id)
    assert len(store.recall("seat:driver")) == 1


def test_forget_by_topic_and_all(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "m.db")
    store.remember("u", "set_temperature", "22", TEMP_22)
    store.remember("u", "set_volume", "40", [StoredAction(name="set_volume", arguments={})])
    assert store.forget("u", ["set_volume"]) == 1
    assert [m.topic for m in store.recall("u")] == ["set_temperature"]
    assert store.forget("u") == 1
    assert store.recall("u") == []


def test_memories_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "m.db"
    store = MemoryStore(path)
    store.remember("u", "set_temperature", "我喜欢22度", TEMP_22)
    store.close()
    reopened = MemoryStore(path)
    [memory] = reopened.recall("u")
    assert memory.text == "我喜欢22度"
    assert memory.actions == TEMP_22


def test_memories_on_the_shared_database(tmp_path: Path) -> None:
    path = tmp_path / "memory.db"
    database = Database(path)
    store = MemoryStore(database)
    store.remember("u", "set_temperature", "22", TEMP_22)
    store.close()  # the database is its opener's to close
    assert [m.topic for m in store.recall("u")] == ["set_temperature"]
    database.close()
    assert MemoryStore(path).recall("u")[0].actions == TEMP_22
