"""Sharing the one model: per-key shares, the car first, a cap on max_tokens.

A real server on the tiny model, with API keys. The engine records the order in which it
serves requests, and holds the one that says "hold" until the test lets it go, so the queue
behind it is in a known state: what is asserted is the order of service and the answers,
never how long anything took.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.server_kit import LiveServer
from tongxue.cabin.actions import Role
from tongxue.engine.base import GenerationPlan, GenerationStats
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.protocol import PRIORITY_HIGH, PRIORITY_NORMAL, ChatRequest

ServerFactory = Callable[..., contextlib.AbstractContextManager[LiveServer]]

HOLD = "hold"
# Small, because the tiny model writes only a few tokens a second on a 2-core machine.
CAP = 32
KEYS: dict[str, tuple[Role, str]] = {
    "car": ("car", "family"),
    "alice": ("phone", "alice"),
    "bob": ("phone", "bob"),
    "carol": ("phone", "carol"),
    "ops": ("admin", "ops"),
}


class RecordingEngine(LlamaCppEngine):
    """The tiny model, noting each request it serves; a request saying HOLD waits for `gate`."""

    def __init__(self, model_path: Path) -> None:
        super().__init__(model_path, model_name="tiny-qwen2", n_ctx=2048, n_threads=2, seed=1)
        self.served: list[ChatRequest] = []
        self.gate = threading.Event()

    def reset(self) -> None:
        self.served = []
        self.gate = threading.Event()

    def _generate(
        self,
        plan: GenerationPlan,
        request: ChatRequest,
        cancel: threading.Event,
        emit: Callable[[str], None],
    ) -> GenerationStats:
        self.served.append(request)
        if request.messages[-1].content == HOLD:
            gate, deadline = self.gate, time.monotonic() + 120
            while not gate.wait(0.02) and not cancel.is_set() and time.monotonic() < deadline:
                pass
        return super()._generate(plan, request, cancel, emit)

    @property
    def served_texts(self) -> list[str]:
        return [r.messages[-1].content or "" for r in self.served]


@pytest.fixture(scope="module")
def engine(tiny_model_path: Path) -> Iterator[RecordingEngine]:
    made = RecordingEngine(tiny_model_path)
    yield made
    asyncio.run(made.aclose())


@pytest.fixture(scope="module")
def shared(make_server: ServerFactory, engine: RecordingEngine) -> Iterator[LiveServer]:
    with make_server(
        engine=engine, keys=KEYS, model_requests_per_key=2, max_tokens_cap=CAP
    ) as live:
        yield live


@pytest.fixture
def recording(engine: RecordingEngine) -> Iterator[RecordingEngine]:
    engine.reset()
    try:
        yield engine
    finally:
        engine.gate.set()  # never leave the model held for the next test


def chat(text: str, max_tokens: int = 4, **extra: Any) -> dict[str, Any]:
    return {
        "model": "tongxue",
        "messages": [{"role": "user", "content": text}],
        "max_tokens": max_tokens,
        "temperature": 0,
        **extra,
    }


async def until(check: Callable[[], bool | Awaitable[bool]], what: str) -> None:
    """Wait for a state, however slow the machine (the deadline is only a hang guard)."""
    deadline = time.monotonic() + 60
    while True:
        outcome = check()
        if outcome if isinstance(outcome, bool) else await outcome:
            return
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.01)


class Clients:
    """One async client per key of the shared server, and the queue depth it reports."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.by_key = {name: live.async_client(name, timeout=120) for name in KEYS}

    def __getitem__(self, name: str) -> httpx.AsyncClient:
        return self.by_key[name]

    async def depth(self) -> int:
        health = await self.by_key["ops"].get("/healthz")
        return int(health.json()["queue_depth"])

    async def enqueue(self, name: str, path: str, body: dict[str, Any]) -> asyncio.Task[Any]:
        """Send a request and return once the engine has it in line (so arrivals are ordered)."""
        before = await self.depth()
        task = asyncio.create_task(self.by_key[name].post(path, json=body))

        async def queued() -> bool:
            return await self.depth() == before + 1

        await until(queued, f"{name}'s request never reached the model's queue")
        return task

    async def aclose(self) -> None:
        for client in self.by_key.values():
            await client.aclose()


@pytest.fixture
async def clients(shared: LiveServer) -> Any:
    made = Clients(shared)

    async def idle() -> bool:
        return await made.depth() == 0

    try:
        await until(idle, "the previous test left work in the model's queue")
        yield made
    finally:
        await made.aclose()


def in_flight(live: LiveServer, name: str) -> int:
    key_id = live.keys[name].split("-")[1]
    return live.context.quota.in_flight(key_id)


async def test_a_key_over_its_share_gets_429_while_its_own_requests_complete(
    shared: LiveServer, recording: RecordingEngine, clients: Clients
) -> None:
    completions = "/v1/chat/completions"
    held = await clients.enqueue("bob", completions, chat(HOLD))
    await until(lambda: recording.served_texts == [HOLD], "bob's request never ran")
    first = await clients.enqueue("alice", completions, chat("alice 1"))
    second = await clients.enqueue("alice", completions, chat("alice 2", stream=True))
    assert in_flight(shared, "alice") == 2

    over = await clients["alice"].post(completions, json=chat("alice 3"))
    assert over.status_code == 429
    assert int(over.headers["Retry-After"]) >= 1
    error = over.json()["error"]
    assert error["type"] == "rate_limit_error"
    assert error["code"] == "too_many_concurrent_requests"
    # An assistant turn is a model request too; it is refused the same way, at once.
    turn = await clients["alice"].post("/v1/assistant/turns", json={"text": "打开车窗"})
    assert turn.status_code == 429
    assert turn.json()["error"]["code"] == "too_many_concurrent_requests"
    # Other keys are not touched by alice's share: the car still acts at once.
    car_turn = await clients["car"].post(
        "/v1/assistant/turns", json={"text": "打开车窗", "seat": "passenger"}
    )
    assert car_turn.status_code == 200 and car_turn.json()["route"] == "rules"
    shared.reset_car()
    assert await clients.depth() == 3, "refused requests never joined the queue"

    recording.gate.set()
    answers = await asyncio.gather(held, first, second)
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[1].json()["choices"][0]["finish_reason"] in ("stop", "length")
    assert answers[2].text.rstrip().endswith("data: [DONE]")
    await until(lambda: in_flight(shared, "alice") == 0, "alice's share never came back")
    again = await clients["alice"].post(completions, json=chat("alice 4"))
    assert again.status_code == 200
    assert recording.served_texts == [HOLD, "alice 1", "alice 2", "alice 4"]


async def test_the_cars_request_is_served_next_after_the_running_one(
    shared: LiveServer, recording: RecordingEngine, clients: Clients
) -> None:
    completions = "/v1/chat/completions"
    held = await clients.enqueue("alice", completions, chat(HOLD))
    await until(lambda: recording.served_texts == [HOLD], "alice's request never ran")
    # Long generations from API keys, in line before the car asks.
    waiting = [("bob", "bob 1"), ("carol", "carol 1"), ("bob", "bob 2"), ("ops", "ops 1")]
    low = [
        await clients.enqueue(name, completions, chat(text, max_tokens=CAP))
        for name, text in waiting
    ]
    car = await clients.enqueue("car", completions, chat("car"))
    assert await clients.depth() == 6

    recording.gate.set()
    assert (await held).status_code == 200
    answer = await car
    assert answer.status_code == 200
    assert answer.json()["choices"][0]["finish_reason"] in ("stop", "length")
    # The API chats would keep the model for minutes more: their clients give up now.
    for task in low:
        task.cancel()
    await asyncio.gather(*low, return_exceptions=True)

    async def idle() -> bool:
        return await clients.depth() == 0

    await until(idle, "the abandoned API chats kept the model")
    served = recording.served_texts
    assert served[:2] == [HOLD, "car"], "the car's request must come right after the running one"
    # Those that got the model before their clients left, in arrival order.
    assert served[2:] == [text for _, text in waiting][: len(served) - 2]
    priorities = {r.messages[-1].content: r.priority for r in recording.served}
    assert priorities["car"] == PRIORITY_HIGH
    assert all(priorities[text] == PRIORITY_NORMAL for text in served[2:])


async def test_max_tokens_above_the_cap_is_refused(
    shared: LiveServer, recording: RecordingEngine, clients: Clients
) -> None:
    completions = "/v1/chat/completions"
    for field in ("max_tokens", "max_completion_tokens"):
        body = {**chat("too long"), field: CAP + 1}
        if field == "max_completion_tokens":
            del body["max_tokens"]
        refused = await clients["alice"].post(completions, json=body)
        assert refused.status_code == 400
        error = refused.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["code"] == "max_tokens_too_large"
        assert error["param"] == field
        assert str(CAP) in error["message"]
    # At the cap is fine, and without max_tokens the default is brought within the cap.
    at_cap = await clients["alice"].post(completions, json=chat("at the cap", max_tokens=CAP))
    assert at_cap.status_code == 200
    unset = {"model": "tongxue", "messages": [{"role": "user", "content": "no limit given"}]}
    assert (await clients["alice"].post(completions, json=unset)).status_code == 200
    assert recording.served_texts == ["at the cap", "no limit given"]
    assert [r.max_tokens for r in recording.served] == [CAP, CAP]
    assert in_flight(shared, "alice") == 0, "a refused request kept part of the share"


async def test_the_share_comes_back_however_a_request_ends(
    shared: LiveServer, recording: RecordingEngine, clients: Clients
) -> None:
    """Finished, abandoned while queued, or failed: none keeps a slot of its key."""
    completions = "/v1/chat/completions"
    held = await clients.enqueue("bob", completions, chat(HOLD))
    await until(lambda: recording.served_texts == [HOLD], "bob's request never ran")
    async with shared.async_client("alice", timeout=120) as leaving:
        body = chat("abandoned", stream=True)
        async with leaving.stream("POST", completions, json=body) as response:
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    break  # the role chunk: the request is in line; now hang up
    await until(lambda: in_flight(shared, "alice") == 0, "an abandoned stream kept its slot")
    missing = await clients["alice"].post(
        "/v1/assistant/turns", json={"text": "打开车窗", "session_id": "nope"}
    )
    assert missing.status_code == 404
    assert in_flight(shared, "alice") == 0
    recording.gate.set()
    assert (await held).status_code == 200
    await until(lambda: in_flight(shared, "bob") == 0, "a finished request kept its slot")
    assert "abandoned" not in recording.served_texts


async def test_a_car_assistant_turn_goes_first_and_its_time_limit_ignores_the_wait(
    shared: LiveServer, recording: RecordingEngine, clients: Clients
) -> None:
    """The car's spoken turn needs the model while API chats wait and one holds it for far
    longer than the turn's own time limit: it is served next and is not timed out."""
    agent = shared.context.agent
    # A short answer, so the turn's own generation fits its limit on any machine.
    limit, tokens = agent.llm_timeout, agent.max_tokens
    agent.llm_timeout, agent.max_tokens = 3.0, 2
    try:
        completions = "/v1/chat/completions"
        held = await clients.enqueue("alice", completions, chat(HOLD))
        await until(lambda: recording.served_texts == [HOLD], "alice's request never ran")
        low = await clients.enqueue("bob", completions, chat("bob 1", max_tokens=CAP))
        joke = {"text": "给我讲个笑话吧", "seat": "driver"}
        car = await clients.enqueue("car", "/v1/assistant/turns", joke)
        # Held well past the car turn's 3 s limit before the model is free.
        await asyncio.sleep(5)
        recording.gate.set()
        turn = (await car).json()
        assert (await held).status_code == 200
        low.cancel()
        await asyncio.gather(low, return_exceptions=True)
    finally:
        agent.llm_timeout, agent.max_tokens = limit, tokens
    assert turn["route"] == "llm"
    assert turn["error"] != "timeout", turn
    served = recording.served
    assert served[0].messages[-1].content == HOLD
    assert served[1].priority == PRIORITY_HIGH
    assert "笑话" in (served[1].messages[-1].content or "")
    assert served[1].time_limit_s == 3.0
