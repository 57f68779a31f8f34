"""Access to one loaded model: the highest priority first, then first come, first served."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

# (-priority, arrival number, waiter): heapq pops the smallest, so the highest priority and,
# within it, the earliest arrival. Arrival numbers are unique, so waiters are never compared.
_Entry = tuple[int, int, asyncio.Future[None]]


class FairQueue:
    """An async lock that grants turns by priority (larger first), in arrival order within one.

    The turn in progress is never taken away: a high-priority request goes before every
    waiting lower one, not before the one already running. A waiter that is cancelled
    leaves the line without disturbing the others, and the number of waiters is visible
    for metrics. Strict priority can starve the lower levels while higher ones keep
    arriving; callers keep the high levels for short, human-paced work.
    """

    def __init__(self) -> None:
        self._waiters: list[_Entry] = []
        self._arrivals = itertools.count()
        self._busy = False

    @property
    def waiting(self) -> int:
        return sum(1 for _, _, w in self._waiters if not w.done())

    @property
    def busy(self) -> bool:
        return self._busy

    @asynccontextmanager
    async def turn(self, priority: int = 0) -> AsyncIterator[None]:
        await self._acquire(priority)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, priority: int) -> None:
        if not self._busy and not self._waiters:
            self._busy = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry: _Entry = (-priority, next(self._arrivals), waiter)
        heapq.heappush(self._waiters, entry)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                # The turn was handed to us just as we were cancelled: pass it on.
                self._release()
            raise
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)
                heapq.heapify(self._waiters)

    def _release(self) -> None:
        while self._waiters:
            _, _, waiter = heapq.heappop(self._waiters)
            if not waiter.done():
                waiter.set_result(None)
                return
        self._busy = False
