"""Conversations: each a session with its turns; the speaker's seat belongs to each turn."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field

from tongxue.cabin.actions import CabinAction
from tongxue.cabin.results import ActionResult, StateChange
from tongxue.cabin.seats import Seat
from tongxue.dialogue.language import Language

Route = Literal["rules", "llm", "memory", "undo", "fallback"]


class TurnInput(BaseModel):
    """What one person said, from which seat, in which conversation."""

    text: str = Field(min_length=1, max_length=2000)
    seat: Seat = "driver"
    session_id: str | None = Field(None, max_length=64)
    user: str | None = Field(
        None, max_length=64, description="Who is speaking; defaults to the seat's occupant."
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
    error: str | None = None
    latency_ms: float = 0.0


class Session(BaseModel):
    id: str
    created_at: float
    turns: list[TurnResult] = Field(default_factory=list)
    # The previous turn's actions, for follow-ups such as "再高一点"; not serialised.
    last_actions: tuple[Any, ...] = Field(default=(), exclude=True)

    def previous_actions(self) -> tuple[CabinAction, ...]:
        return tuple(a for a in self.last_actions if isinstance(a, CabinAction))


class SessionNotFoundError(KeyError):
    pass


class SessionStore:
    """Sessions in memory, safe to share between threads; oldest dropped past a cap."""

    def __init__(self, max_sessions: int = 1000, max_turns: int = 200) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self.max_sessions = max_sessions
        self.max_turns = max_turns

    def create(self, session_id: str | None = None) -> Session:
        session = Session(id=session_id or uuid.uuid4().hex, created_at=time.time())
        with self._lock:
            self._sessions[session.id] = session
            while len(self._sessions) > self.max_sessions:
                self._sessions.pop(next(iter(self._sessions)))
        return session

    def get(self, session_id: str) -> Session:
        with self._lock:
            session = self._sessions.get(session_id)
        if session is None:
            raise SessionNotFoundError(session_id)
        return session

    def get_or_create(self, session_id: str | None) -> Session:
        if session_id is not None:
            with self._lock:
                found = self._sessions.get(session_id)
            if found is not None:
                return found
        return self.create(session_id)

    def list(self) -> list[Session]:
        with self._lock:
            return list(self._sessions.values())

    def delete(self, session_id: str) -> bool:
        with self._lock:
            return self._sessions.pop(session_id, None) is not None

    def record(
        self, session: Session, result: TurnResult, actions: tuple[CabinAction, ...]
    ) -> None:
        with self._lock:
            session.turns.append(result)
            del session.turns[: -self.max_turns]
            session.last_actions = actions
