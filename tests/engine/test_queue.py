"""The fair queue: priority, then arrival order; cancelled waiters; depth; the engine's use."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable

import pytest

from tongxue.engine.base import GenerationPlan, GenerationStats, LocalTextEngine
from tongxue.engine.errors import EngineError
from tongxue.engine.openai_backend import OpenAICompatibleEngine
from tongxue.engine.protocol import PRIORITY_HIGH, ChatMessage, ChatRequest
from tongxue.engine.queue import FairQueue
from tongxue.engine.template import ChatTemplate


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


async def _until(check: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while not check():
            await asyncio.sleep(0.001)


async def test_higher_priority_goes_first_and_arrival_order_within_a_level() -> None:
    queue = FairQueue()
    release = asyncio.Event()
    order: list[str] = []

    async def holder() -> None:
        async with queue.turn():
            order.append("running")
            await release.wait()

    async def waiter(name: str, priority: int) -> None:
        async with queue.turn(priority):
            order.append(name)

    tasks = [asyncio.create_task(holder())]
    await asyncio.sleep(0)
    arrivals = [("low 1", 0), ("low 2", 0), ("high 1", 10), ("mid", 5), ("high 2", 10)]
    for name, priority in arrivals:
        tasks.append(asyncio.create_task(waiter(name, priority)))
        await asyncio.sleep(0)  # each arrives before the next
    assert queue.waiting == 5
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["running", "high 1", "high 2", "mid", "low 1", "low 2"]
    assert not queue.busy and queue.waiting == 0


async def test_the_running_turn_is_not_taken_away() -> None:
    queue = FairQueue()
    release = asyncio.Event()
    order: list[str] = []

    async def low() -> None:
        async with queue.turn(0):
            order.append("low starts")
            await release.wait()
            order.append("low ends")

    async def high() -> None:
        async with queue.turn(100):
            order.append("high starts")

    first = asyncio.create_task(low())
    await asyncio.sleep(0)
    second = asyncio.create_task(high())
    await asyncio.sleep(0)
    assert order == ["low starts"] and queue.waiting == 1
    release.set()
    await asyncio.gather(first, second)
    assert order == ["low starts", "low ends", "high starts"]


async def test_a_cancelled_waiter_leaves_the_others_in_priority_order() -> None:
    queue = FairQueue()
    release = asyncio.Event()
    order: list[str] = []

    async def holder() -> None:
        async with queue.turn():
            await release.wait()

    async def waiter(name: str, priority: int) -> None:
        async with queue.turn(priority):
            order.append(name)

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    low = asyncio.create_task(waiter("low", 0))
    doomed = asyncio.create_task(waiter("doomed", 10))
    high = asyncio.create_task(waiter("high", 10))
    await asyncio.sleep(0)
    doomed.cancel()
    await asyncio.sleep(0)
    assert queue.waiting == 2
    release.set()
    await asyncio.gather(first, low, high)
    assert doomed.cancelled()
    assert order == ["high", "low"]


class _RecordingEngine(LocalTextEngine):
    """Generates each request's own text; the one that says "running" waits for `gate`."""

    backend = "recording"

    def __init__(self) -> None:
        super().__init__(ChatTemplate("{{ messages[-1].content }}"), "recording")
        self.served: list[str] = []
        self.gate = threading.Event()

    def _generate(
        self,
        plan: GenerationPlan,
        request: ChatRequest,
        cancel: threading.Event,
        emit: Callable[[str], None],
    ) -> GenerationStats:
        self.served.append(plan.prompt)
        if plan.prompt == "running":
            self.gate.wait(10)
        emit(plan.prompt)
        return GenerationStats(completion_tokens=1)


def _depth_is(engine: LocalTextEngine, depth: int) -> Callable[[], bool]:
    return lambda: engine.queue_depth == depth


def _ask(text: str, priority: int = 0) -> ChatRequest:
    return ChatRequest(messages=[ChatMessage(role="user", content=text)], priority=priority)


async def test_the_engine_serves_a_high_priority_request_next() -> None:
    engine = _RecordingEngine()
    try:
        tasks = [asyncio.create_task(engine.complete(_ask("running")))]
        await _until(lambda: engine.served == ["running"])
        for text, priority in [("low 1", 0), ("low 2", 0), ("high", PRIORITY_HIGH)]:
            waiting = engine.queue_depth + 1
            tasks.append(asyncio.create_task(engine.complete(_ask(text, priority))))
            await _until(_depth_is(engine, waiting))  # each arrives before the next
        engine.gate.set()
        results = await asyncio.gather(*tasks)
    finally:
        engine.gate.set()
        await engine.aclose()
    assert engine.served == ["running", "high", "low 1", "low 2"]
    assert [r.message.content for r in results] == ["running", "low 1", "low 2", "high"]


def test_priority_is_never_sent_to_a_model_server() -> None:
    request = _ask("hi", priority=PRIORITY_HIGH)
    assert request.priority == PRIORITY_HIGH
    assert "priority" not in request.model_dump()
    engine = OpenAICompatibleEngine("http://127.0.0.1:9/v1", model="m")
    payload = engine._payload(request, "m")
    assert "priority" not in payload and "priority" not in payload["extra_body"]


async def test_a_time_limit_counts_only_the_requests_own_generation() -> None:
    """Waiting behind another request never uses up a time limit; generating past it does."""
    engine = _RecordingEngine()
    try:
        running = asyncio.create_task(engine.complete(_ask("running")))
        await _until(lambda: engine.served == ["running"])
        limited = _ask("waiting").model_copy(update={"time_limit_s": 0.5})
        waiting = asyncio.create_task(engine.complete(limited))
        await _until(_depth_is(engine, 2))
        await asyncio.sleep(1.0)  # twice its limit, all of it in the queue
        engine.gate.set()
        await running
        assert (await waiting).message.content == "waiting"
        # Its own generation past the limit is an error (the model is freed a second later).
        engine.gate.clear()
        asyncio.get_running_loop().call_later(1.0, engine.gate.set)
        too_slow = _ask("running").model_copy(update={"time_limit_s": 0.3})
        with pytest.raises(EngineError, match=r"longer than 0\.3 s"):
            await engine.complete(too_slow)
    finally:
        engine.gate.set()
        await engine.aclose()
