"""One local model, many callers: they queue fairly, none fails, and leaving cancels."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

import httpx
import openai

from server.server_kit import LiveServer

HELLO = [{"role": "user", "content": "你好"}]
# 1,000 tokens (within the server's max_tokens_cap) that keep the tiny model busy for most
# of a minute unless cancelled. The grammar keeps the text plain ASCII: llama-cpp-python
# holds back random multibyte text for long stretches, and the engine can only notice a
# cancellation between the pieces it is given.
LONG = {
    "model": "tongxue",
    "messages": HELLO,
    "max_tokens": 1000,
    "response_format": {
        "type": "json_schema",
        "json_schema": {
            "name": "letters",
            "schema": {"type": "string", "pattern": "^[a-z]{8000}$"},
        },
    },
}


def _counter(metrics: str, name: str, **labels: str) -> float:
    """A sample's value from a Prometheus exposition (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in metrics.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
        if not wanted and line.startswith(f"{name} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def _stream_times(client: openai.AsyncOpenAI) -> tuple[float, float, str]:
    """(when the server accepted it, when its first token came, how it finished)."""
    stream = await client.chat.completions.create(
        model="tongxue",
        messages=HELLO,  # type: ignore[arg-type]
        max_tokens=24,
        temperature=0,
        stream=True,
    )
    accepted: float | None = None
    first: float | None = None
    finish = ""
    async for chunk in stream:
        now = time.perf_counter()
        if accepted is None:
            accepted = now  # the role chunk: sent as soon as the request is in line
        if chunk.choices and chunk.choices[0].delta.content and first is None:
            first = now
        if chunk.choices and chunk.choices[0].finish_reason:
            finish = chunk.choices[0].finish_reason
    end = time.perf_counter()
    return accepted or end, first or end, finish


async def test_concurrent_requests_all_succeed_in_arrival_order(open_server: LiveServer) -> None:
    client = openai.AsyncOpenAI(base_url=open_server.v1, api_key="x", max_retries=0, timeout=120)
    await client.models.list()  # the client's own start-up cost is not part of the race
    depths: list[int] = []
    done = asyncio.Event()

    async def watch_queue() -> None:
        async with open_server.async_client() as http:
            while not done.is_set():
                depths.append((await http.get("/healthz")).json()["queue_depth"])
                await asyncio.sleep(0.01)

    watcher = asyncio.create_task(watch_queue())
    tasks = []
    for _ in range(4):
        tasks.append(asyncio.create_task(_stream_times(client)))
        await asyncio.sleep(0.05)
    results = await asyncio.gather(*tasks)
    done.set()
    await watcher
    await client.close()
    assert all(finish in ("stop", "length") for _, _, finish in results)
    arrival = sorted(range(4), key=lambda i: results[i][0])
    served = sorted(range(4), key=lambda i: results[i][1])
    assert served == arrival, "requests must get the model in the order they came"
    assert max(depths) >= 2, "the later requests waited in the queue"


async def test_a_client_that_leaves_a_stream_cancels_its_generation(
    open_server: LiveServer,
) -> None:
    async with open_server.async_client(timeout=120) as http:
        before = _counter(
            (await http.get("/metrics")).text, "tongxue_generations_total", outcome="client_gone"
        )
        body = {**LONG, "stream": True}
        async with http.stream("POST", "/v1/chat/completions", json=body) as response:
            async for line in response.aiter_lines():
                if '"content": "' in line and '"content": ""' not in line:
                    break  # the model is generating: now hang up
        # 1,000 tokens would keep the model busy for most of a minute; a cancelled one frees
        # it at once.
        started = time.perf_counter()
        quick = {"model": "tongxue", "messages": HELLO, "max_tokens": 2}
        reply = await http.post("/v1/chat/completions", json=quick)
        waited = time.perf_counter() - started
        assert reply.status_code == 200
        assert waited < 30, f"the next request waited {waited:.1f} s behind a dead stream"
        after = _counter(
            (await http.get("/metrics")).text, "tongxue_generations_total", outcome="client_gone"
        )
    assert after == before + 1


async def test_a_client_that_leaves_a_plain_request_cancels_it(open_server: LiveServer) -> None:
    async with open_server.async_client() as http:
        before = _counter(
            (await http.get("/metrics")).text, "tongxue_generations_total", outcome="client_gone"
        )
    async with open_server.async_client(timeout=1.5) as impatient:
        with contextlib.suppress(httpx.TimeoutException):
            await impatient.post("/v1/chat/completions", json=LONG)
    async with open_server.async_client(timeout=60) as http:
        deadline = time.monotonic() + 20
        while True:
            text = (await http.get("/metrics")).text
            if _counter(text, "tongxue_generations_total", outcome="client_gone") == before + 1:
                break
            assert time.monotonic() < deadline, "the abandoned request was not cancelled"
            await asyncio.sleep(0.1)
        health = (await http.get("/healthz")).json()
        assert health["queue_depth"] == 0


async def test_a_queued_client_that_leaves_gives_up_its_place(open_server: LiveServer) -> None:
    """A request still waiting for the model leaves the queue when its client goes."""

    async def gone(http: httpx.AsyncClient) -> float:
        text = (await http.get("/metrics")).text
        return _counter(text, "tongxue_generations_total", outcome="client_gone")

    async def wait_for(check: Callable[[], Awaitable[bool]], what: str) -> None:
        deadline = time.monotonic() + 20
        while not await check():
            assert time.monotonic() < deadline, what
            await asyncio.sleep(0.05)

    generating = asyncio.Event()

    async def keep_the_model_busy(http: httpx.AsyncClient) -> None:
        streamed = {**LONG, "stream": True}
        async with http.stream("POST", "/v1/chat/completions", json=streamed) as busy:
            async for line in busy.aiter_lines():  # read on: breaking out would hang up
                if '"content": "' in line and '"content": ""' not in line:
                    generating.set()

    async with open_server.async_client(timeout=120) as http:
        before = await gone(http)
        busy = asyncio.create_task(keep_the_model_busy(http))
        await asyncio.wait_for(generating.wait(), 60)
        quick = {"model": "tongxue", "messages": HELLO, "max_tokens": 2}
        async with open_server.async_client(timeout=0.5) as impatient:
            with contextlib.suppress(httpx.TimeoutException):
                await impatient.post("/v1/chat/completions", json=quick)

        async def left_the_queue() -> bool:
            depth = (await http.get("/healthz")).json()["queue_depth"]
            return depth == 1 and await gone(http) == before + 1

        await wait_for(left_the_queue, "the queued request kept its place")
        # Now the running one's client leaves too, and the model is free.
        busy.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await busy

        async def all_free() -> bool:
            depth = (await http.get("/healthz")).json()["queue_depth"]
            return depth == 0 and await gone(http) == before + 2

        await wait_for(all_free, "the running request was not cancelled")
