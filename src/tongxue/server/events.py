"""Every change of the car, fanned out to the WebSocket clients as it happens."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Callable
from typing import Any

from tongxue.cabin.results import StateChange
from tongxue.cabin.vehicle import Vehicle

# A client that falls this far behind gets the whole state again instead of the backlog.
_CLIENT_BACKLOG = 256
RESYNC: dict[str, Any] = {"type": "resync"}
# The last message a listener gets once its caller may no longer listen (a revoked key).
REVOKED: dict[str, Any] = {"type": "revoked"}
# How often every listener's right to listen is checked when the car is quiet. Key
# changes on disk are noticed within a second too (KeyStore), so a revoked key's socket
# closes within about two.
_RECHECK_EVERY_S = 1.0

logger = logging.getLogger(__name__)

Allowed = Callable[[], bool]


def _always() -> bool:
    return True


class EventHub:
    """Subscribes once to the vehicle; each listener gets its own bounded queue.

    A listener comes with a check of its caller's right to listen (its key still exists),
    asked before each event and every `recheck_every` seconds; once it fails the listener
    gets `REVOKED` and nothing more.
    """

    def __init__(self, vehicle: Vehicle, recheck_every: float = _RECHECK_EVERY_S) -> None:
        self.vehicle = vehicle
        self.recheck_every = recheck_every
        self._listeners: dict[asyncio.Queue[dict[str, Any]], Allowed] = {}
        self._seq = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._recheck: asyncio.Task[None] | None = None

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._unsubscribe = self.vehicle.subscribe(self._on_changes)
        self._recheck = self._loop.create_task(self._recheck_forever())

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._recheck is not None:
            self._recheck.cancel()
            self._recheck = None

    def listen(self, allowed: Allowed = _always) -> asyncio.Queue[dict[str, Any]]:
        """A queue of the events from now on, while `allowed()` holds."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_CLIENT_BACKLOG)
        self._listeners[queue] = allowed
        return queue

    def leave(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._listeners.pop(queue, None)

    def recheck(self) -> None:
        """Evict every listener whose caller may no longer listen."""
        for queue, allowed in list(self._listeners.items()):
            if not self._still_allowed(allowed):
                self._evict(queue)

    async def _recheck_forever(self) -> None:
        while True:
            await asyncio.sleep(self.recheck_every)
            self.recheck()

    @staticmethod
    def _still_allowed(allowed: Allowed) -> bool:
        try:
            return allowed()
        except Exception:
            # Unable to tell (the keys file unreadable): closing is the safe answer; the
            # client reconnects and is asked for its key again.
            logger.exception("cannot check an events listener; closing it")
            return False

    def _evict(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._listeners.pop(queue, None)
        while not queue.empty():
            queue.get_nowait()
        with contextlib.suppress(asyncio.QueueFull):
            queue.put_nowait(REVOKED)

    def _on_changes(self, changes: list[StateChange]) -> None:
        # Called in whatever thread executed the action (the assistant runs some in workers).
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        message = {
            "type": "changes",
            "time": time.time(),
            "changes": [change.model_dump(mode="json") for change in changes],
        }
        loop.call_soon_threadsafe(self._publish, message)

    def _publish(self, message: dict[str, Any]) -> None:
        message["seq"] = next(self._seq)
        for queue, allowed in list(self._listeners.items()):
            if not self._still_allowed(allowed):
                self._evict(queue)
                continue
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                # Drop the backlog; the client will be sent the whole state instead.
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(RESYNC)
