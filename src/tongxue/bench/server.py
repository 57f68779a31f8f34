"""`tongxue bench server`: a bounded streaming load on loopback, Tongxue beside llama_cpp.server.

Both servers load the same GGUF with the same context and threads, run one at a time in
their own process, and get the same requests from the official `openai` client: a fixed
number of streamed chat completions shared by N concurrent clients. Reported per server:
throughput, time to first token (p50/p95/p99), whole-request latency and the errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx
from pydantic import BaseModel, Field

PROMPTS: tuple[str, ...] = (
    "用一句话介绍一下你自己。",
    "What should I check before a long highway drive?",
    "推荐一个适合周末自驾的地方。",
    "Explain regenerative braking in two sentences.",
    "冬天怎样让电动车的续航更长？",
    "Give me three tips for driving in the rain.",
    "讲一个很短的笑话。",
    "What is the difference between AWD and 4WD?",
)
SYSTEM = "You are Tongxue, a helpful in-car assistant. Answer briefly."
ALIAS = "bench-model"


class LoadResult(BaseModel):
    server: str
    clients: int
    requests: int
    ok: int
    errors: int
    wall_s: float
    requests_per_s: float
    completion_tokens: int
    tokens_per_s: float
    ttft_ms: dict[str, float] = Field(description="p50, p95, p99 of time to first token.")
    latency_ms: dict[str, float] = Field(description="p50, p95, p99 of whole requests.")
    finish_reasons: dict[str, int]
    cut_short: int = Field(0, description="Streams that ended without a finish reason.")
    error_samples: list[str] = Field(default_factory=list)


class ServerBenchReport(BaseModel):
    model: str
    clients: int
    requests: int
    max_tokens: int
    results: list[LoadResult]

    def format_table(self) -> str:
        head = (
            f"{'server':<21}{'ok':>5}{'cut':>5}{'err':>5}{'wall s':>8}{'req/s':>7}{'tok/s':>7}"
            f"{'TTFT p50':>10}{'p95':>8}{'p99':>8}{'total p50':>11}{'p95':>8}{'p99':>8}"
        )
        lines = [
            f"model {self.model}: {self.clients} concurrent clients, {self.requests} streamed "
            f"requests, max {self.max_tokens} tokens each (times in ms; cut: streams that "
            "ended without a finish reason; TTFT over streams that produced a token)",
            head,
            "-" * len(head),
        ]
        for r in self.results:
            t, lat = r.ttft_ms, r.latency_ms
            lines.append(
                f"{r.server:<21}{r.ok:>5}{r.cut_short:>5}{r.errors:>5}{r.wall_s:>8.1f}{r.requests_per_s:>7.2f}"
                f"{r.tokens_per_s:>7.1f}{t['p50']:>10.0f}{t['p95']:>8.0f}{t['p99']:>8.0f}"
                f"{lat['p50']:>11.0f}{lat['p95']:>8.0f}{lat['p99']:>8.0f}"
            )
        for r in self.results:
            reasons = ", ".join(f"{k}: {v}" for k, v in sorted(r.finish_reasons.items()))
            lines.append(f"{r.server}: finish reasons {reasons or 'none'}")
            for sample in r.error_samples:
                lines.append(f"  error: {sample}")
        return "\n".join(lines)


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """Nearest-rank p50/p95/p99 (NaN when there is nothing to rank)."""
    if not values:
        return {"p50": math.nan, "p95": math.nan, "p99": math.nan}
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]

    return {"p50": rank(50), "p95": rank(95), "p99": rank(99)}


_CUT = "none (stream cut short)"


class _Outcome(BaseModel):
    ttft_s: float | None = None
    total_s: float = 0.0
    tokens: int = 0
    finish: str | None = None
    error: str | None = None


async def _one_request(client: object, model: str, prompt: str, max_tokens: int) -> _Outcome:
    from openai import AsyncOpenAI, OpenAIError

    assert isinstance(client, AsyncOpenAI)
    started = time.perf_counter()
    outcome = _Outcome()
    try:
        stream = await client.chat.completions.create(
            model=model,
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
            max_tokens=max_tokens,
            temperature=0,
            seed=7,
            stream=True,
        )
        async for chunk in stream:
            if not chunk.choices:
                continue
            choice = chunk.choices[0]
            if choice.delta.content or choice.delta.tool_calls:
                if outcome.ttft_s is None:
                    outcome.ttft_s = time.perf_counter() - started
                outcome.tokens += 1  # both servers send one chunk per token
            if choice.finish_reason:
                outcome.finish = choice.finish_reason
    except (OpenAIError, httpx.HTTPError) as exc:
        outcome.error = f"{type(exc).__name__}: {str(exc)[:160]}"
    outcome.total_s = time.perf_counter() - started
    if outcome.error is None and outcome.finish is None:
        outcome.finish = _CUT
    return outcome


async def run_load(
    base_url: str,
    *,
    server: str,
    model: str,
    clients: int,
    requests: int,
    max_tokens: int,
    timeout_s: float = 600.0,
) -> LoadResult:
    """`requests` streamed completions shared by `clients` concurrent workers."""
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0, timeout=timeout_s)
    prompts = itertools.cycle(PROMPTS)
    jobs: asyncio.Queue[str] = asyncio.Queue()
    for _ in range(requests):
        jobs.put_nowait(next(prompts))
    outcomes: list[_Outcome] = []

    async def worker() -> None:
        while True:
            try:
                prompt = jobs.get_nowait()
            except asyncio.QueueEmpty:
                return
            outcomes.append(await _one_request(client, model, prompt, max_tokens))

    started = time.perf_counter()
    workers = [asyncio.ensure_future(worker()) for _ in range(clients)]
    try:
        # Bounded: whatever has not finished by the deadline counts as an error.
        await asyncio.wait(workers, timeout=timeout_s)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        await client.close()
    wall = time.perf_counter() - started
    good = [o for o in outcomes if o.error is None]
    tokens = sum(o.tokens for o in good)
    reasons: dict[str, int] = {}
    for o in good:
        reasons[o.finish or "none"] = reasons.get(o.finish or "none", 0) + 1
    errors = [o.error for o in outcomes if o.error is not None]
    if len(outcomes) < requests:
        errors.append(f"{requests - len(outcomes)} request(s) unfinished after {timeout_s:.0f} s")
    return LoadResult(
        server=server,
        clients=clients,
        requests=requests,
        ok=len(good),
        errors=requests - len(good),
        wall_s=wall,
        requests_per_s=len(good) / wall if wall > 0 else 0.0,
        completion_tokens=tokens,
        tokens_per_s=tokens / wall if wall > 0 else 0.0,
        ttft_ms=percentiles([o.ttft_s * 1000 for o in good if o.ttft_s is not None]),
        latency_ms=percentiles([o.total_s * 1000 for o in good]),
        finish_reasons=reasons,
        cut_short=sum(1 for o in good if o.finish == _CUT),
        error_samples=sorted(set(errors))[:3],
    )


# --- the servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running(
    command: list[str], base_url: str, *, env: dict[str, str] | None = None, start_s: float = 180
) -> Iterator[None]:
    """Start a server process, wait until `GET /models` answers, stop it afterwards."""
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        try:
            deadline = time.monotonic() + start_s
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"{command[2]} exited early:\n{log.read()[-2000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command[2]} did not start within {start_s:.0f} s")
                time.sleep(0.25)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def tongxue_server(
    model_path: Path, port: int, *, n_ctx: int, n_threads: int | None, data_dir: Path
) -> tuple[list[str], dict[str, str]]:
    env = {
        "TONGXUE_MODEL": str(model_path),
        "TONGXUE_BACKEND": "llama-cpp",
        "TONGXUE_HOST": "127.0.0.1",
        "TONGXUE_PORT": str(port),
        "TONGXUE_N_CTX": str(n_ctx),
        "TONGXUE_DATA_DIR": str(data_dir),
        # No keys file: loopback only, and no rate limit to trip over.
        "TONGXUE_API_KEYS_FILE": str(data_dir / "no-keys.json"),
        "TONGXUE_RATE_LIMIT_PER_MINUTE": "0",
        "TONGXUE_LOG_LEVEL": "WARNING",
    }
    if n_threads:
        env["TONGXUE_N_THREADS"] = str(n_threads)
    return [sys.executable, "-m", "tongxue.server"], env


def llama_cpp_server(
    model_path: Path, port: int, *, n_ctx: int, n_threads: int | None, interrupt: bool = True
) -> list[str]:
    """Its defaults, but the same threads and context; `interrupt` False makes it queue."""
    threads = str(n_threads or os.cpu_count() or 1)
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path), "--model_alias", ALIAS,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(n_ctx), "--n_threads", threads, "--n_threads_batch", threads,
        "--interrupt_requests", str(interrupt),
    ]  # fmt: skip


def bench_servers(
    model_path: Path,
    model_name: str,
    *,
    clients: int,
    requests: int,
    max_tokens: int,
    n_ctx: int = 4096,
    n_threads: int | None = None,
    baseline: bool = True,
    timeout_s: float = 900.0,
    progress: Callable[[str], None] = lambda _: None,
) -> ServerBenchReport:
    """Run the same load against Tongxue and (with `baseline`) llama_cpp.server."""
    results: list[LoadResult] = []
    with tempfile.TemporaryDirectory(prefix="tongxue-bench-") as tmp:
        port = free_port()
        command, env = tongxue_server(
            model_path, port, n_ctx=n_ctx, n_threads=n_threads, data_dir=Path(tmp)
        )
        url = f"http://127.0.0.1:{port}/v1"
        progress(f"starting tongxue serve on {url}")
        with running(command, url, env=env):
            results.append(
                _measure(
                    url,
                    "tongxue serve",
                    "tongxue",
                    clients,
                    requests,
                    max_tokens,
                    timeout_s,
                    progress,
                )
            )
        if baseline:
            # As it ships (a new request interrupts the running stream), then queueing as
            # Tongxue does: the second run is the like-for-like throughput comparison.
            for name, interrupt in (("llama_cpp.server", True), ("llama_cpp.server -i0", False)):
                port = free_port()
                url = f"http://127.0.0.1:{port}/v1"
                progress(f"starting {name} on {url}")
                command = llama_cpp_server(
                    model_path, port, n_ctx=n_ctx, n_threads=n_threads, interrupt=interrupt
                )
                with running(command, url):
                    results.append(
                        _measure(
                            url, name, ALIAS, clients, requests, max_tokens, timeout_s, progress
                        )
                    )
    return ServerBenchReport(
        model=model_name, clients=clients, requests=requests, max_tokens=max_tokens, results=results
    )


def _measure(
    url: str,
    server: str,
    model: str,
    clients: int,
    requests: int,
    max_tokens: int,
    timeout_s: float,
    progress: Callable[[str], None],
) -> LoadResult:
    progress(f"{server}: warming up")
    asyncio.run(
        run_load(
            url, server=server, model=model, clients=1, requests=1, max_tokens=max_tokens,
            timeout_s=timeout_s,
        )
    )  # fmt: skip
    progress(f"{server}: {requests} requests from {clients} clients")
    return asyncio.run(
        run_load(
            url,
            server=server,
            model=model,
            clients=clients,
            requests=requests,
            max_tokens=max_tokens,
            timeout_s=timeout_s,
        )
    )
