"""Conversations: each a session with its turns; the speaker's seat belongs to each turn."""

from __future__ import annotations

import builtins
import logging
import sqlite3
import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from tongxue.cabin.actions import CabinAction, Role
from tongxue.cabin.errors import InvalidActionError
from tongxue.cabin.results import ActionResult, StateChange
from tongxue.cabin.seats import Seat
from tongxue.dialogue.database import Database
from tongxue.dialogue.language import Language
from tongxue.dialogue.memory import dump_actions, load_stored_actions
from tongxue.dialogue.outcome import Outcome

logger = logging.getLogger(__name__)

# `status`: a question the car's state answers; `manual`: one the owner's manual answers.
Route = Literal["rules", "llm", "memory", "undo", "fallback", "status", "manual"]


class Citation(BaseModel):
    """A manual section an answer came from: its stable id, title and the passage quoted."""

    section_id: str
    title: str
    passage: str
    language: Language


class ModelUsage(BaseModel):
    """What the model did for a turn: its prompt, how much of it was reused, its answer."""

    model: str
    prompt_tokens: int
    cached_prompt_tokens: int
    completion_tokens: int
    time_to_first_token_ms: float | None = None


ReplyLength = Literal["short", "long"]


class TurnInput(BaseModel):
    """What one person said, from which seat, in which conversation."""

    text: str = Field(min_length=1, max_length=2000)
    seat: Seat = "driver"
    session_id: str | None = Field(None, max_length=64)
    user: str | None = Field(
        None, max_length=64, description="Who is speaking; defaults to the seat's occupant."
    )
    role: Role = Field("car", description="In the car, on the phone app, or an admin client.")
    actor: str | None = Field(None, max_length=64, description="The client (API key id), if any.")
    reply_length: ReplyLength = Field(
        "short",
        description="How long a model-written answer may be: 'short' is one or two sentences "
        "for the speaker; a text face may ask for 'long'.",
    )


class TurnResult(BaseModel):
    session_id: str
    turn_id: str
    text: str
    seat: Seat
    language: Language
    reply: str
    route: Route
    actions: list[ActionResult] = Field(default_factory=list)
    changes: list[StateChange] = Field(default_factory=list)
    refused: bool = False
    # None only for turns stored before contract v2.
    outcome: Outcome | None = None
    # The manual sections a `manual` or `status` answer drew on.
    citations: list[Citation] = Field(default_factory=list)
    error: str | None = None
    latency_ms: float = 0.0
    # Set when the model was asked.
    model_usage: ModelUsage | None = None


class Session(BaseModel):
    id: str
    created_at: float
    # Whose session it is (the server files sessions under a user); None for the terminal's.
    owner: str | None = None
    turns: list[TurnResult] = Field(default_factory=list)
    # The previous turn's actions, for follow-ups such as "再高一点"; not serialised.
    last_actions: tuple[Any, ...] = Field(default=(), exclude=True)

    def previous_actions(self) -> tuple[CabinAction, ...]:
        return tuple(a for a in self.last_actions if isinstance(a, CabinAction))


class SessionNotFoundError(KeyError):
    pass


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    owner TEXT,
    created_at REAL NOT NULL,
    last_actions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS sessions_owner ON sessions (owner, seq);
CREATE TABLE IF NOT EXISTS session_turns (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    turn TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_turns_session ON session_turns (session_id, seq);
"""

_COLUMNS = "id, owner, created_at, last_actions"


class SessionStore:
    """Sessions and their turns in SQLite, safe to share between threads.

    Each owner keeps at most `max_sessions` (creating one more drops that owner's oldest,
    never someone else's) and each session its last `max_turns` turns. Without a database
    the store lives in memory (tests, the terminal).
    """

    def __init__(
        self, max_sessions: int = 1000, max_turns: int = 200, *, database: Database | None = None
    ) -> None:
        self.database = database or Database()
        self.database.create_schema(_SCHEMA)
        self.max_sessions = max_sessions
        self.max_turns = max_turns

    def create(self, session_id: str | None = None, *, owner: str | None = None) -> Session:
        """A new, empty session (replacing any of that id), filed under `owner`."""
        session = Session(id=session_id or uuid.uuid4().hex, created_at=time.time(), owner=owner)
        with self.database.write() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
            db.execute(
                "INSERT INTO sessions (id, owner, created_at) VALUES (?, ?, ?)",
                (session.id, owner, session.created_at),
            )
            db.execute(
                "DELETE FROM sessions WHERE seq IN (SELECT seq FROM sessions WHERE owner IS ? "
                "ORDER BY seq DESC LIMIT -1 OFFSET ?)",
                (owner, self.max_sessions),
            )
        return session

    def get(self, session_id: str) -> Session:
        with self.database.read() as db:
            found = self._load(db, "WHERE id = ?", (session_id,))
        if not found:
            raise SessionNotFoundError(session_id)
        return found[0]

    def get_or_create(self, session_id: str | None) -> Session:
        if session_id is not None:
            try:
                return self.get(session_id)
            except SessionNotFoundError:
                pass
        return self.create(session_id)

    def list(self, *, owner: str | None = None) -> builtins.list[Session]:
        """Every session, oldest first, or only `owner`'s."""
        with self.database.read() as db:
            if owner is None:
                return self._load(db, "", ())
            return self._load(db, "WHERE owner = ?", (owner,))

    def delete(self, session_id: str) -> bool:
        with self.database.write() as db:
            cursor = db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return cursor.rowcount > 0

    def record(
        self, session: Session, result: TurnResult, actions: tuple[CabinAction, ...]
    ) -> None:
        with self.database.write() as db:
            updated = db.execute(
                "UPDATE sessions SET last_actions = ? WHERE id = ?",
                (dump_actions(actions), session.id),
            )
            # A session deleted while its turn ran stays deleted.
            if updated.rowcount:
                db.execute(
                    "INSERT INTO session_turns (session_id, turn) VALUES (?, ?)",
                    (session.id, result.model_dump_json()),
                )
                db.execute(
                    "DELETE FROM session_turns WHERE session_id = ? AND seq <= (SELECT seq "
                    "FROM session_turns WHERE session_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
                    (session.id, session.id, self.max_turns),
                )
            session.turns.append(result)
            del session.turns[: -self.max_turns]
            session.last_actions = actions

    def _load(
        self, db: sqlite3.Connection, where: str, params: tuple[Any, ...]
    ) -> builtins.list[Session]:
        rows = db.execute(f"SELECT {_COLUMNS} FROM sessions {where} ORDER BY seq", params)
        sessions = {
            row[0]: Session(
                id=row[0], owner=row[1], created_at=row[2], last_actions=_parse_actions(row[3])
            )
            for row in rows.fetchall()
        }
        if not sessions:
            return []
        turns = db.execute(
            f"SELECT session_id, turn FROM session_turns WHERE session_id IN "
            f"(SELECT id FROM sessions {where}) ORDER BY seq",
            params,
        )
        for session_id, payload in turns.fetchall():
            try:
                turn = TurnResult.model_validate_json(payload)
            except ValidationError:
                # Written by an older release whose turns no longer fit: drop it, keep the rest.
                logger.warning("dropping an unreadable turn of session %s", session_id)
                continue
            sessions[session_id].turns.append(turn)
        return builtins.list(sessions.values())


def _parse_actions(payload: str) -> tuple[CabinAction, ...]:
    actions = []
    for stored in load_stored_actions(payload):
        try:
            actions.append(stored.parse())
        except InvalidActionError:
            # A tool changed since the turn was stored: the follow-up just has less to go on.
            logger.warning("dropping a stored action that no longer validates: %s", stored.name)
    return tuple(actions)
