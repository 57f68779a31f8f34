"""Remote actions held until the same caller confirms them (a phone unlocking the car).

Held in the server's SQLite database, so a confirmation asked for before a restart can still
be given after it (within its time).
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from pydantic import TypeAdapter

from tongxue.cabin.actions import CabinAction
from tongxue.cabin.errors import InvalidActionError
from tongxue.cabin.seats import Seat
from tongxue.dialogue.database import Database
from tongxue.dialogue.memory import dump_actions, load_stored_actions

logger = logging.getLogger(__name__)

_SEAT: TypeAdapter[Seat] = TypeAdapter(Seat)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS confirmations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    key_id TEXT NOT NULL,
    seat TEXT NOT NULL,
    actions TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS confirmations_key ON confirmations (key_id, seq);
"""


@dataclass(frozen=True)
class PendingActions:
    id: str
    key_id: str
    seat: Seat
    actions: tuple[CabinAction, ...]
    # Wall-clock seconds: a monotonic clock starts over with the process, this survives it.
    expires_at: float


class ConfirmationStore:
    """Short-lived, single-use confirmations, each bound to the key that asked.

    Each key holds at most `max_pending` (asking for one more drops that key's oldest, never
    another key's). Without a database the store lives in memory.
    """

    def __init__(
        self, ttl_s: float, *, max_pending: int = 16, database: Database | None = None
    ) -> None:
        self.ttl_s = ttl_s
        self.max_pending = max_pending
        self.database = database or Database()
        self.database.create_schema(_SCHEMA)

    def hold(self, key_id: str, seat: Seat, actions: tuple[CabinAction, ...]) -> PendingActions:
        now = time.time()
        pending = PendingActions(
            id="conf_" + secrets.token_urlsafe(16),
            key_id=key_id,
            seat=seat,
            actions=actions,
            expires_at=now + self.ttl_s,
        )
        with self.database.write() as db:
            db.execute("DELETE FROM confirmations WHERE expires_at <= ?", (now,))
            db.execute(
                "DELETE FROM confirmations WHERE seq IN (SELECT seq FROM confirmations "
                "WHERE key_id = ? ORDER BY seq DESC LIMIT -1 OFFSET ?)",
                (key_id, max(self.max_pending - 1, 0)),
            )
            db.execute(
                "INSERT INTO confirmations (id, key_id, seat, actions, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (pending.id, key_id, seat, dump_actions(actions), pending.expires_at),
            )
        return pending

    def take(self, confirmation_id: str, key_id: str) -> PendingActions | None:
        """The held actions, once; None when unknown, expired, or another key's."""
        with self.database.write() as db:
            db.execute("DELETE FROM confirmations WHERE expires_at <= ?", (time.time(),))
            row = db.execute(
                "SELECT seat, actions, expires_at FROM confirmations WHERE id = ? AND key_id = ?",
                (confirmation_id, key_id),
            ).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM confirmations WHERE id = ?", (confirmation_id,))
        try:
            actions = tuple(stored.parse() for stored in load_stored_actions(row[1]))
        except InvalidActionError:
            # Held by an older release whose tool no longer validates: ask again.
            logger.warning(
                "dropping confirmation %s: its actions no longer validate", confirmation_id
            )
            return None
        return PendingActions(
            id=confirmation_id,
            key_id=key_id,
            seat=_SEAT.validate_python(row[0]),
            actions=actions,
            expires_at=row[2],
        )
