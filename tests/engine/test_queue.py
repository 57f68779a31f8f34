"""The fair queue: arrival order, cancelled waiters, depth."""

from __future__ import annotations

import asyncio
import contextlib

from tongxue.engine.queue import FairQueue


async def test_turns_are_granted_in_arrival_order() -> None:
    queue = FairQueue()
    order: list[int] = []

    async def worker(n: int) -> None:
        async with queue.turn():
            order.append(n)
            await asyncio.sleep(0.001)

    tasks = []
    for n in range(8):
        tasks.append(asyncio.create_task(worker(n)))
        await asyncio.sleep(0)  # each arrives before the next
    await asyncio.gather(*tasks)
    assert order == list(range(8))
    assert not queue.busy and queue.waiting == 0


async def test_cancelled_waiter_leaves_without_blocking_others() -> None:
    queue = FairQueue()
    release = asyncio.Event()
    seen: list[str] = []

    async def holder() -> None:
        async with queue.turn():
            seen.append("holder")
            await release.wait()

    async def waiter(name: str) -> None:
        async with queue.turn():
            seen.append(name)

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    doomed = asyncio.create_task(waiter("doomed"))
    survivor = asyncio.create_task(waiter("survivor"))
    await asyncio.sleep(0)
    assert queue.waiting == 2
    doomed.cancel()
    await asyncio.sleep(0)
    assert queue.waiting == 1
    release.set()
    await asyncio.gather(first, survivor)
    assert doomed.cancelled()
    assert seen == ["holder", "survivor"]
    assert not queue.busy


async def test_exception_inside_turn_releases_it() -> None:
    queue = FairQueue()

    async def failing() -> None:
        async with queue.turn():
            raise RuntimeError("boom")

    with contextlib.suppress(RuntimeError):
        await failing()
    async with asyncio.timeout(1):
        async with queue.turn():
            pass
