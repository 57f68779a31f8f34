"""Every change of the car, fanned out to the WebSocket clients as it happens."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any

from tongxue.cabin.results import StateChange
from tongxue.cabin.vehicle import Vehicle

# A client that falls this far behind gets the whole state again instead of the backlog.
_CLIENT_BACKLOG = 256
RESYNC: dict[str, Any] = {"type": "resync"}


class EventHub:
    """Subscribes once to the vehicle; each listener gets its own bounded queue."""

    def __init__(self, vehicle: Vehicle) -> None:
        self.vehicle = vehicle
        self._listeners: set[asyncio.Queue[dict[str, Any]]] = set()
        self._seq = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._unsubscribe = self.vehicle.subscribe(self._on_changes)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def listen(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_CLIENT_BACKLOG)
        self._listeners.add(queue)
        return queue

    def leave(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._listeners.discard(queue)

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
        for queue in self._listeners:
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                # Drop the backlog; the client will be sent the whole state instead.
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(RESYNC)
