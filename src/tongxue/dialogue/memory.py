"""People's preferences, kept in SQLite: one profile per user, private to that user."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tongxue.cabin.actions import CabinAction
from tongxue.cabin.tools import parse_tool_call
from tongxue.dialogue.database import Database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS memories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    text TEXT NOT NULL,
    actions TEXT NOT NULL,
    created_at REAL NOT NULL,
    UNIQUE (user_id, topic)
);
CREATE INDEX IF NOT EXISTS memories_user ON memories (user_id);
"""


class StoredAction(BaseModel):
    """An action as a tool call (name and JSON arguments): what outlives a release's classes."""

    name: str
    arguments: dict[str, Any]

    @classmethod
    def of(cls, action: CabinAction) -> StoredAction:
        return cls(name=action.name, arguments=action.arguments())

    def parse(self) -> CabinAction:
        """The typed action again; raises `InvalidActionError` when it no longer validates."""
        return parse_tool_call(self.name, self.arguments)


def dump_actions(actions: Iterable[CabinAction]) -> str:
    """Actions as a JSON list of tool calls, for a database column."""
    return dump_stored_actions(StoredAction.of(action) for action in actions)


def dump_stored_actions(stored: Iterable[StoredAction]) -> str:
    return json.dumps([s.model_dump() for s in stored], ensure_ascii=False)


def load_stored_actions(payload: str) -> list[StoredAction]:
    return [StoredAction.model_validate(a) for a in json.loads(payload)]


class Memory(BaseModel):
    id: int
    user_id: str
    topic: str
    text: str
    actions: list[StoredAction]
    created_at: float


def user_for_seat(seat: str) -> str:
    """The default identity of whoever sits in a seat."""
    return f"seat:{seat}"


class MemoryStore:
    """Preferences by user and topic; a newer preference on a topic replaces the older one."""

    def __init__(self, database: Database | Path | str = ":memory:") -> None:
        """On the shared `database`, or on a file (or `:memory:`) of its own."""
        self._owns_database = not isinstance(database, Database)
        self.database = database if isinstance(database, Database) else Database(database)
        self.database.create_schema(_SCHEMA)

    def remember(
        self, user_id: str, topic: str, text: str, actions: Sequence[StoredAction]
    ) -> Memory:
        payload = dump_stored_actions(actions)
        now = time.time()
        with self.database.write() as db:
            db.execute(
                "INSERT INTO memories (user_id, topic, text, actions, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, topic) DO UPDATE SET "
                "text = excluded.text, actions = excluded.actions, "
                "created_at = excluded.created_at",
                (user_id, topic, text, payload, now),
            )
        memory = self.get(user_id, topic)
        assert memory is not None
        return memory

    def get(self, user_id: str, topic: str) -> Memory | None:
        rows = self._select("WHERE user_id = ? AND topic = ?", (user_id, topic))
        return rows[0] if rows else None

    def recall(self, user_id: str) -> list[Memory]:
        return self._select("WHERE user_id = ? ORDER BY created_at, id", (user_id,))

    def forget(self, user_id: str, topics: Sequence[str] | None = None) -> int:
        """Delete the user's memories on `topics`, or all of them when None."""
        if topics is not None and not topics:
            return 0
        with self.database.write() as db:
            if topics is None:
                cursor = db.execute("DELETE FROM memories WHERE user_id = ?", (user_id,))
            else:
                marks = ",".join("?" for _ in topics)
                cursor = db.execute(
                    f"DELETE FROM memories WHERE user_id = ? AND topic IN ({marks})",
                    (user_id, *topics),
                )
        return cursor.rowcount

    def forget_id(self, user_id: str, memory_id: int) -> bool:
        with self.database.write() as db:
            cursor = db.execute(
                "DELETE FROM memories WHERE user_id = ? AND id = ?", (user_id, memory_id)
            )
        return cursor.rowcount > 0

    def close(self) -> None:
        """Close the database if this store opened it; a shared one belongs to its opener."""
        if self._owns_database:
            self.database.close()

    def _select(self, where: str, params: tuple[Any, ...]) -> list[Memory]:
        with self.database.read() as db:
            rows = db.execute(
                f"SELECT id, user_id, topic, text, actions, created_at FROM memories {where}",
                params,
            ).fetchall()
        return [
            Memory(
                id=row[0],
                user_id=row[1],
                topic=row[2],
                text=row[3],
                actions=load_stored_actions(row[4]),
                created_at=row[5],
            )
            for row in rows
        ]
