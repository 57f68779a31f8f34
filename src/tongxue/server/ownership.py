"""Which caller owns which assistant session: a key sees only its own user's sessions.

The owner is kept with the session itself (the store's `owner` column), so it survives a
restart and the store's cap counts each owner's sessions apart.
"""

from __future__ import annotations

from tongxue.dialogue.sessions import Session, SessionNotFoundError, SessionStore
from tongxue.server.security.auth import Caller


class SessionOwners:
    def __init__(self, sessions: SessionStore) -> None:
        self.sessions = sessions

    def create(self, caller: Caller) -> Session:
        return self.sessions.create(owner=caller.owner)

    def get(self, caller: Caller, session_id: str) -> Session | None:
        """The session if it exists and `caller` may see it (admins see every session)."""
        try:
            session = self.sessions.get(session_id)
        except SessionNotFoundError:
            return None
        if caller.is_admin or session.owner == caller.owner:
            return session
        return None

    def visible(self, caller: Caller) -> list[Session]:
        if caller.is_admin:
            return self.sessions.list()
        return self.sessions.list(owner=caller.owner)

    def delete(self, caller: Caller, session_id: str) -> bool:
        if self.get(caller, session_id) is None:
            return False
        return self.sessions.delete(session_id)
