"""People's preferences, kept in SQLite: one profile per user, private to that user."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

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
    name: str
    arguments: dict[str, Any]


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

    def __init__(self, path: Path | str = ":memory:") -> None:
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.executescript(_SCHEMA)

    def remember(
        self, user_id: str, topic: str, text: str, actions: Sequence[StoredAction]
    ) -> Memory:
        payload = json.dumps([a.model_dump() for a in actions], ensure_ascii=False)
        now = time.time()
        with self._lock, self._db:
            self._db.execute(
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
        with self._lock, self._db:
            if topics is None:
                cursor = self._db.execute("DELETE FROM memories WHERE user_id = ?", (user_id,))
            else:
                marks = ",".join("?" for _ in topics)
                cursor = self._db.execute(
                    f"DELETE FROM memories WHERE user_id = ? AND topic IN ({marks})",
                    (user_id, *topics),
                )
        return cursor.rowcount

    def forget_id(self, user_id: str, memory_id: int) -> bool:
        with self._lock, self._db:
            cursor = self._db.execute(
                "DELETE FROM memories WHERE user_id = ? AND id = ?", (user_id, memory_id)
            )
        return cursor.rowcount > 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _select(self, where: str, params: tuple[Any, ...]) -> list[Memory]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, user_id, topic, text, actions, created_at FROM memories {where}",
                params,
            ).fetchall()
        return [
            Memory(
                id=row[0],
                user_id=row[1],
                topic=row[2],
                text=row[3],
                actions=[StoredAction.model_validate(a) for a in json.loads(row[4])],
                created_at=row[5],
            )
            for row in rows
        ]
