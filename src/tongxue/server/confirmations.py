"""Remote actions held until the same caller confirms them (a phone unlocking the car)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from tongxue.cabin.actions import CabinAction
from tongxue.cabin.seats import Seat


@dataclass(frozen=True)
class PendingActions:
    id: str
    key_id: str
    seat: Seat
    actions: tuple[CabinAction, ...]
    expires_at: float  # wall-clock seconds, for clients
    deadline: float  # monotonic seconds, for us


class ConfirmationStore:
    """Short-lived, single-use confirmations, each bound to the key that asked."""

    def __init__(self, ttl_s: float, *, max_pending: int = 1000) -> None:
        self.ttl_s = ttl_s
        self.max_pending = max_pending
        self._pending: dict[str, PendingActions] = {}

    def hold(self, key_id: str, seat: Seat, actions: tuple[CabinAction, ...]) -> PendingActions:
        self._expire()
        while len(self._pending) >= self.max_pending:
            self._pending.pop(next(iter(self._pending)))
        pending = PendingActions(
            id="conf_" + secrets.token_urlsafe(16),
            key_id=key_id,
            seat=seat,
            actions=actions,
            expires_at=time.time() + self.ttl_s,
            deadline=time.monotonic() + self.ttl_s,
        )
        self._pending[pending.id] = pending
        return pending

    def take(self, confirmation_id: str, key_id: str) -> PendingActions | None:
        """The held actions, once; None when unknown, expired, or another key's."""
        self._expire()
        pending = self._pending.get(confirmation_id)
        if pending is None or pending.key_id != key_id:
            return None
        del self._pending[confirmation_id]
        return pending

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, p in self._pending.items() if p.deadline <= now]:
            del self._pending[key]
