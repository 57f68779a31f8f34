"""Which caller owns which assistant session: a key sees only its own user's sessions."""

from __future__ import annotations

import threading

from tongxue.dialogue.sessions import Session, SessionNotFoundError, SessionStore
from tongxue.server.security.auth import Caller


class SessionOwners:
    def __init__(self, sessions: SessionStore) -> None:
        self.sessions = sessions
        self._owners: dict[str, str] = {}
        self._lock = threading.Lock()

    def create(self, caller: Caller) -> Session:
        session = self.sessions.create()
        with self._lock:
            self._owners[session.id] = caller.owner
            self._prune()
        return session

    def get(self, caller: Caller, session_id: str) -> Session | None:
        """The session if it exists and `caller` may see it (admins see every session)."""
        try:
            session = self.sessions.get(session_id)
        except SessionNotFoundError:
            return None
        with self._lock:
            owner = self._owners.get(session_id)
        if caller.is_admin or owner == caller.owner:
            return session
        return None

    def visible(self, caller: Caller) -> list[Session]:
        with self._lock:
            owners = dict(self._owners)
        return [
            s for s in self.sessions.list() if caller.is_admin or owners.get(s.id) == caller.owner
        ]

    def delete(self, caller: Caller, session_id: str) -> bool:
        if self.get(caller, session_id) is None:
            return False
        with self._lock:
            self._owners.pop(session_id, None)
        return self.sessions.delete(session_id)

    def _prune(self) -> None:
        # The store drops its oldest sessions past its cap; forget their owners too.
        if len(self._owners) > self.sessions.max_sessions:
            alive = {s.id for s in self.sessions.list()}
            self._owners = {k: v for k, v in self._owners.items() if k in alive}
