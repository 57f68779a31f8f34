"""`tongxue bench assistant`: how fast the assistant answers, per route, through the server.

A fixed, committed set of turns (chat the model answers, colloquial commands the rules hand
to the model, and clear commands the rules carry out) goes one by one, each in a new
session, to `POST /v1/assistant/turns` of a real `tongxue serve` subprocess, streamed.
Per turn: the time to the first reply text, the time to the `done` event and the route the
turn took. Reported per route group: p50/p95 in milliseconds and in token-times, where one
token-time is what raw llama-cpp-python takes to decode one token of the same model on the
same threads, measured in this run, so the figures read the same on a slow or a fast CPU.

The server runs with the engine's prefix cache on and (as the baseline) off, one server at
a time, never beside the raw decode measurement.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

from tongxue.bench.server import free_port, percentiles, running, tongxue_server
from tongxue.config import Settings

Kind = Literal["chat", "model_command", "rules"]
Progress = Callable[[str], None]

TURNS_FILE: Traversable = resources.files("tongxue.bench").joinpath("data", "assistant-turns.jsonl")
# "model" pools the two kinds that wait for the model, which is what the target is about.
GROUPS: dict[str, tuple[Kind, ...]] = {
    "chat": ("chat",),
    "model_command": ("model_command",),
    "rules": ("rules",),
    "model": ("chat", "model_command"),
}
EXPECTED_ROUTE: dict[Kind, str] = {"chat": "llm", "model_command": "llm", "rules": "rules"}
TARGET_FIRST_TEXT_P50_TT = 40.0
TARGET_FIRST_TEXT_P95_TT = 80.0
TARGET_LINE = (
    f"target: model turns first text p50 ≤ {TARGET_FIRST_TEXT_P50_TT:.0f}, "
    f"p95 ≤ {TARGET_FIRST_TEXT_P95_TT:.0f} token-times"
)
# Not in the set: the first turn of a fresh server pays for lazy loading (the tool router's
# embeddings, the first prompt), which no later turn does; a greeting reaches the model.
WARM_UP_TEXT = "Hi, nice to meet you"
# Any text decodes at the same speed; this one keeps a small model writing.
DECODE_PROMPT = "Count from 1 to 500 in words, one number per line:\n"
TURNS_PATH = "/v1/assistant/turns"


# --- the turn set -------------------------------------------------------------------------


class BenchTurn(BaseModel):
    """One committed turn and the route group it belongs to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    language: Literal["zh", "en"]
    kind: Kind


def load_turns(source: Traversable | Path = TURNS_FILE) -> list[BenchTurn]:
    """The turns of a JSONL file, in file order (blank lines skipped)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    return [BenchTurn.model_validate_json(line) for line in lines if line.strip()]


# --- the report ---------------------------------------------------------------------------


class TurnTiming(BaseModel):
    id: str
    kind: Kind
    language: Literal["zh", "en"]
    text: str
    expected_route: str
    route: str | None = Field(None, description="The route the server's `done` event gave.")
    route_matches: bool = False
    first_text_ms: float | None = Field(None, description="Request sent to first text delta.")
    total_ms: float | None = Field(None, description="Request sent to the `done` event.")
    reply: str = ""
    error: str | None = None
    model: str | None = Field(None, description="The model that answered (None: no model).")
    prompt_tokens: int | None = None
    cached_prompt_tokens: int | None = Field(
        None, description="Prompt tokens restored or kept rather than prefilled."
    )


class Spread(BaseModel):
    p50: float
    p95: float


class GroupStats(BaseModel):
    """One route group of one run; NaN (null in JSON) where no turn of it finished."""

    n: int
    first_text_ms: Spread
    total_ms: Spread
    first_text_tt: Spread = Field(description="The same in token-times of raw decode.")
    total_tt: Spread
    prompt_tokens: Spread = Field(description="The model's prompt, over turns that used it.")
    prefilled_tokens: Spread = Field(description="Prompt tokens that had to be prefilled.")


class RunResult(BaseModel):
    label: str
    model: str
    prefix_cache: bool
    token_ms: float = Field(description="One token-time of this model, in ms.")
    wall_s: float
    turns: list[TurnTiming]
    groups: dict[str, GroupStats]
    route_mismatches: int
    errors: int
    targets: dict[str, bool]


class RawDecode(BaseModel):
    model: str
    tokens: int = Field(description="Tokens decoded greedily per run, after the prefill.")
    runs_tokens_per_s: list[float]
    tokens_per_s: float = Field(description="Median of the runs.")
    token_ms: float


class AssistantBenchReport(BaseModel):
    model: str
    n_ctx: int
    n_threads: int | None
    turns: int
    timeout_s: float
    decode: list[RawDecode]
    runs: list[RunResult]

    def format_table(self) -> str:
        return format_table(self)


# --- the pure parts: conversions, statistics, the table -----------------------------------


def token_ms(tokens_per_s: float) -> float:
    """Milliseconds of one token-time at a decode speed."""
    if tokens_per_s <= 0:
        raise ValueError(f"decode speed must be positive, got {tokens_per_s}")
    return 1000.0 / tokens_per_s


def in_token_times(ms: float, one_token_ms: float) -> float:
    return ms / one_token_ms


def _spread(values: Sequence[float]) -> Spread:
    ranked = percentiles(values)
    return Spread(p50=ranked["p50"], p95=ranked["p95"])


def _scaled(spread: Spread, one_token_ms: float) -> Spread:
    return Spread(
        p50=in_token_times(spread.p50, one_token_ms), p95=in_token_times(spread.p95, one_token_ms)
    )


def group_stats(timings: Sequence[TurnTiming], one_token_ms: float) -> dict[str, GroupStats]:
    """Nearest-rank p50/p95 per route group, over the turns that finished without error."""
    stats: dict[str, GroupStats] = {}
    for group, kinds in GROUPS.items():
        done = [
            t for t in timings if t.kind in kinds and t.error is None and t.total_ms is not None
        ]
        # A turn may finish without any text (an empty reply); it still has a total.
        first = _spread([t.first_text_ms for t in done if t.first_text_ms is not None])
        total = _spread([t.total_ms for t in done if t.total_ms is not None])
        used = [t for t in done if t.prompt_tokens is not None]
        stats[group] = GroupStats(
            n=len(done),
            first_text_ms=first,
            total_ms=total,
            first_text_tt=_scaled(first, one_token_ms),
            total_tt=_scaled(total, one_token_ms),
            prompt_tokens=_spread([float(t.prompt_tokens or 0) for t in used]),
            prefilled_tokens=_spread(
                [float((t.prompt_tokens or 0) - (t.cached_prompt_tokens or 0)) for t in used]
            ),
        )
    return stats


def targets_met(groups: Mapping[str, GroupStats]) -> dict[str, bool]:
    """The model turns' first-text targets; a group with no finished turn misses them."""
    model = groups["model"].first_text_tt
    return {
        "model_first_text_p50": not math.isnan(model.p50) and model.p50 <= TARGET_FIRST_TEXT_P50_TT,
        "model_first_text_p95": not math.isnan(model.p95) and model.p95 <= TARGET_FIRST_TEXT_P95_TT,
    }


def summarize_run(
    label: str,
    model: str,
    prefix_cache: bool,
    one_token_ms: float,
    timings: list[TurnTiming],
    wall_s: float,
) -> RunResult:
    groups = group_stats(timings, one_token_ms)
    return RunResult(
        label=label,
        model=model,
        prefix_cache=prefix_cache,
        token_ms=one_token_ms,
        wall_s=wall_s,
        turns=timings,
        groups=groups,
        # An errored turn has no route to compare; it is counted under errors instead.
        route_mismatches=sum(1 for t in timings if t.error is None and not t.route_matches),
        errors=sum(1 for t in timings if t.error is not None),
        targets=targets_met(groups),
    )


_LABEL_WIDTH = 27
_MS_WIDTH = 8
_TT_WIDTH = 7


def _number(value: float, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if math.isnan(value) else f"{value:>{width}.{digits}f}"


def _cell(ms: float, tt: float, width: int) -> str:
    return f"{_number(ms, _MS_WIDTH, 0)}{_number(tt, _TT_WIDTH, 1)}".ljust(width)


def _widths(runs: Sequence[RunResult]) -> list[int]:
    # A long model name in a label widens its column rather than shifting the others.
    return [max(_MS_WIDTH + _TT_WIDTH + 2, len(r.label) + 2) for r in runs]


def _figures(s: GroupStats) -> dict[str, tuple[float, float]]:
    """The table's rows of a group: (ms, token-times) per figure."""
    return {
        "first p50": (s.first_text_ms.p50, s.first_text_tt.p50),
        "first p95": (s.first_text_ms.p95, s.first_text_tt.p95),
        "total p50": (s.total_ms.p50, s.total_tt.p50),
        "total p95": (s.total_ms.p95, s.total_tt.p95),
        # Token counts, not times: the second figure is the p50 of tokens prefilled.
        "prompt p50": (s.prompt_tokens.p50, s.prefilled_tokens.p50),
    }


def _group_rows(group: str, runs: Sequence[RunResult], widths: list[int]) -> list[str]:
    stats = [r.groups[group] for r in runs]
    counts = "".join(f"{s.n:>{_MS_WIDTH}}".ljust(w) for s, w in zip(stats, widths, strict=True))
    rows = [f"{group:<16}{'n':<11}{counts}"]
    figures = [_figures(s) for s in stats]
    for name in figures[0] if figures else ():
        cells = "".join(_cell(*f[name], w) for f, w in zip(figures, widths, strict=True))
        rows.append(f"{'':<16}{name:<11}{cells}")
    return rows


def _run_rows(runs: Sequence[RunResult], widths: list[int]) -> list[str]:
    def row(name: str, values: Iterable[str]) -> str:
        cells = "".join(f"{v:>{_MS_WIDTH}}".ljust(w) for v, w in zip(values, widths, strict=True))
        return f"{name:<{_LABEL_WIDTH}}{cells}"

    return [
        row("route mismatches", (str(r.route_mismatches) for r in runs)),
        row("errors", (str(r.errors) for r in runs)),
        row(
            "target (model first text)",
            ("met" if all(r.targets.values()) else "MISSED" for r in runs),
        ),
    ]


def _notes(runs: Sequence[RunResult]) -> list[str]:
    """The turns a reader should look at: those that took another route, or failed."""
    lines: list[str] = []
    for run in runs:
        for t in run.turns:
            if t.error is not None:
                lines.append(f"{run.label}: {t.id} {t.text!r} failed: {t.error}")
            elif not t.route_matches:
                lines.append(
                    f"{run.label}: {t.id} {t.text!r} took route {t.route}, "
                    f"expected {t.expected_route}"
                )
    return lines


def format_table(report: AssistantBenchReport) -> str:
    runs = report.runs
    widths = _widths(runs)
    decode = "; ".join(
        f"{d.model} {d.tokens_per_s:.1f} tok/s, 1 token-time = {d.token_ms:.1f} ms"
        for d in report.decode
    )
    lines = [
        f"model {report.model}: {report.turns} turns streamed to POST {TURNS_PATH}, a session "
        f"each, n_ctx {report.n_ctx}, threads {report.n_threads or 'all'}",
        f"raw llama-cpp decode (median of runs): {decode}",
        TARGET_LINE,
        "each cell: ms, then token-times; first = first reply text, total = done event; "
        "model = chat + model_command; prompt p50 = prompt tokens, then tokens prefilled",
        # Each label over its own two columns, right-aligned as the numbers are.
        " " * _LABEL_WIDTH
        + "".join(
            r.label.rjust(_MS_WIDTH + _TT_WIDTH).ljust(w) for r, w in zip(runs, widths, strict=True)
        ),
    ]
    columns = f"{'group':<16}{'figure':<11}" + "".join(
        f"{'ms':>{_MS_WIDTH}}{'tt':>{_TT_WIDTH}}".ljust(w) for w in widths
    )
    rule = "-" * len(columns.rstrip())
    lines += [columns, rule]
    for group in GROUPS:
        lines += _group_rows(group, runs, widths)
    lines.append(rule)
    lines += _run_rows(runs, widths)
    lines += _notes(runs)
    return "\n".join(line.rstrip() for line in lines)


# --- one turn over HTTP -------------------------------------------------------------------


def iter_sse(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(event name, data) per server-sent event; an unnamed event is called "message"."""
    event = "message"
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[len("event:") :].strip()
        elif line.startswith("data:"):
            data.append(line[len("data:") :].removeprefix(" "))
    if data:
        yield event, "\n".join(data)


def _new_timing(turn: BenchTurn) -> TurnTiming:
    return TurnTiming(
        id=turn.id,
        kind=turn.kind,
        language=turn.language,
        text=turn.text,
        expected_route=EXPECTED_ROUTE[turn.kind],
    )


def time_turn(client: httpx.Client, base_url: str, turn: BenchTurn, timeout_s: float) -> TurnTiming:
    """Send one turn streamed, in a new session from the driver's seat, and time it."""
    timing = _new_timing(turn)
    body = {"text": turn.text, "seat": "driver", "stream": True}
    started = time.perf_counter()
    deadline = started + timeout_s
    try:
        with client.stream("POST", f"{base_url}{TURNS_PATH}", json=body) as response:
            if response.status_code != 200:
                response.read()
                timing.error = f"HTTP {response.status_code}: {response.text[:160]}"
                return timing
            _read_events(response.iter_lines(), timing, started, deadline)
    except httpx.HTTPError as exc:
        timing.error = f"{type(exc).__name__}: {str(exc)[:160]}"
    if timing.error is None and timing.total_ms is None:
        timing.error = "the stream ended without a done event"
    return timing


def _read_events(lines: Iterable[str], timing: TurnTiming, started: float, deadline: float) -> None:
    for event, data in iter_sse(lines):
        now = time.perf_counter()
        if event == "text" and timing.first_text_ms is None and json.loads(data).get("text"):
            timing.first_text_ms = (now - started) * 1000
        elif event == "done":
            turn = json.loads(data)["turn"]
            timing.total_ms = (now - started) * 1000
            timing.route = turn.get("route")
            timing.route_matches = timing.route == timing.expected_route
            timing.reply = str(turn.get("reply") or "")
            usage = turn.get("model_usage")
            if usage:
                timing.model = usage.get("model")
                timing.prompt_tokens = usage.get("prompt_tokens")
                timing.cached_prompt_tokens = usage.get("cached_prompt_tokens")
            return
        elif event == "error":
            timing.error = f"error event: {data[:160]}"
            return
        if now > deadline:
            # Leaving closes the stream, and the server stops generating for nobody.
            timing.error = f"unfinished after {deadline - started:.0f} s"
            return


# --- the server: readiness, prefix warm-up, a configuration's run -------------------------


def prefixes_pending(health: Mapping[str, Any]) -> tuple[int, int] | None:
    """(done, total) from `/healthz` while the engine still warms its prompt prefixes; None
    when it is finished, or when the server does not report prefixes at all. A prefix left
    out (`skipped`: the cache's memory budget was reached) is done too: it never warms."""
    prefixes = health.get("prefixes")
    if not isinstance(prefixes, Mapping):
        return None
    warmed, total = prefixes.get("warmed"), prefixes.get("total")
    skipped = prefixes.get("skipped") or 0  # absent from servers that never skip
    if not (isinstance(warmed, int) and isinstance(skipped, int) and isinstance(total, int)):
        return None
    done = warmed + skipped
    return (done, total) if done < total else None


def wait_for_prefixes(
    root_url: str, progress: Progress, *, timeout_s: float = 600.0, poll_s: float = 0.5
) -> None:
    """Wait until the engine's prefix warm-up is over: a turn timed during it would queue
    behind the warm-up and measure that instead."""
    deadline = time.monotonic() + timeout_s
    said: tuple[int, int] | None = None
    while True:
        health = httpx.get(f"{root_url}/healthz", timeout=10).json()
        pending = prefixes_pending(health)
        if pending is None:
            if said is not None:
                progress("prefix warm-up finished")
            return
        if pending != said:
            progress(f"waiting for the prefix warm-up: {pending[0]}/{pending[1]} done")
            said = pending
        if time.monotonic() > deadline:
            raise RuntimeError(f"prefix warm-up unfinished after {timeout_s:.0f} s ({pending})")
        time.sleep(poll_s)


@dataclass(frozen=True)
class ServerConfig:
    """One configuration to measure: which model, and the prefix cache on or off."""

    label: str
    model_name: str
    model_path: Path
    prefix_cache: bool


def server_settings_env(settings: Settings) -> dict[str, str]:
    """The user's settings that shape a turn, for the server subprocess: a flag given on the
    command line is not in the environment it inherits. (Model, context and threads are
    `tongxue_server`'s; the data folder is the bench's own.)"""
    return {
        "TONGXUE_CACHE_DIR": str(settings.cache_dir),
        "TONGXUE_CAR_PROFILE": settings.car_profile,
        "TONGXUE_N_BATCH": str(settings.n_batch),
        "TONGXUE_N_GPU_LAYERS": str(settings.n_gpu_layers),
        "TONGXUE_SEED": str(settings.seed),
        "TONGXUE_LLM_TIMEOUT": str(settings.llm_timeout),
        "TONGXUE_MANUAL": "true" if settings.manual else "false",
        "TONGXUE_MANUAL_ANSWERS": settings.manual_answers,
    }


def run_config(
    config: ServerConfig,
    turns: Sequence[BenchTurn],
    *,
    one_token_ms: float,
    n_ctx: int,
    n_threads: int | None,
    extra_env: Mapping[str, str],
    timeout_s: float,
    progress: Progress,
) -> RunResult:
    """Start a server in its own data folder (every configuration starts from the same car
    state), warm it up, and time every turn."""
    with tempfile.TemporaryDirectory(prefix="tongxue-bench-assistant-") as tmp:
        port = free_port()
        command, env = tongxue_server(
            config.model_path, port, n_ctx=n_ctx, n_threads=n_threads, data_dir=Path(tmp)
        )
        # Set either way: an inherited TONGXUE_PREFIX_CACHE=0 would mislabel the "on" run.
        env = {**env, **extra_env, "TONGXUE_PREFIX_CACHE": "1" if config.prefix_cache else "0"}
        root = f"http://127.0.0.1:{port}"
        progress(f"{config.label}: starting tongxue serve on {root}")
        with running(command, f"{root}/v1", env=env):
            wait_for_prefixes(root, progress)
            started = time.perf_counter()
            timings = _timed_turns(root, config.label, turns, timeout_s, progress)
            wall = time.perf_counter() - started
    return summarize_run(
        config.label, config.model_name, config.prefix_cache, one_token_ms, timings, wall
    )


def _timed_turns(
    root: str, label: str, turns: Sequence[BenchTurn], timeout_s: float, progress: Progress
) -> list[TurnTiming]:
    timings: list[TurnTiming] = []
    # Reads time out on their own too, so a server that stops sending cannot hang the bench.
    with httpx.Client(timeout=httpx.Timeout(timeout_s, connect=10)) as client:
        progress(f"{label}: warm-up turn")
        warm = BenchTurn(id="warm-up", text=WARM_UP_TEXT, language="en", kind="chat")
        time_turn(client, root, warm, timeout_s)
        for index, turn in enumerate(turns, 1):
            timing = time_turn(client, root, turn, timeout_s)
            timings.append(timing)
            progress(f"{label}: {index}/{len(turns)} {_turn_line(timing)}")
    return timings


def _turn_line(t: TurnTiming) -> str:
    if t.error is not None:
        return f"{t.id} failed: {t.error}"
    first = "-" if t.first_text_ms is None else f"{t.first_text_ms:.0f}"
    return f"{t.id} route {t.route}, first text {first} ms, total {t.total_ms:.0f} ms"


# --- raw llama-cpp-python decode speed ----------------------------------------------------


def raw_decode(
    model_path: Path,
    model_name: str,
    *,
    n_ctx: int,
    n_threads: int | None,
    n_batch: int = 512,
    n_gpu_layers: int = 0,
    tokens: int = 64,
    repeats: int = 3,
) -> RawDecode:
    """Greedy decode speed of plain llama-cpp-python on the model, with the threads the
    engine uses (all cores unless set); the model is freed before this returns."""
    from llama_cpp import Llama

    threads = n_threads or os.cpu_count() or 1
    llm = Llama(
        model_path=str(model_path),
        n_ctx=n_ctx,
        n_threads=threads,
        n_threads_batch=threads,
        n_batch=n_batch,
        n_gpu_layers=n_gpu_layers,
        verbose=False,
    )
    try:
        prompt = llm.tokenize(DECODE_PROMPT.encode("utf-8"), add_bos=True, special=True)
        rates = [_decode_once(llm, prompt, tokens) for _ in range(repeats)]
    finally:
        llm.close()
    rate = statistics.median(rates)
    return RawDecode(
        model=model_name,
        tokens=tokens,
        runs_tokens_per_s=rates,
        tokens_per_s=rate,
        token_ms=token_ms(rate),
    )


def _decode_once(llm: Any, prompt: list[int], tokens: int) -> float:
    """Tokens per second after the first token: the prefill ends when it is sampled.
    `generate` never stops by itself, so exactly `tokens` tokens are decoded."""
    llm.reset()
    first: float | None = None
    produced = 0
    for _ in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
        produced += 1
        if first is None:
            first = time.perf_counter()
        if produced >= tokens:
            break
    assert first is not None
    return (produced - 1) / (time.perf_counter() - first)


# --- the whole bench ----------------------------------------------------------------------


def bench_assistant(
    model_path: Path,
    model_name: str,
    *,
    turns: Sequence[BenchTurn],
    n_ctx: int = 4096,
    n_threads: int | None = None,
    n_batch: int = 512,
    n_gpu_layers: int = 0,
    baseline: bool = True,
    compare: tuple[str, Path] | None = None,
    extra_env: Mapping[str, str] | None = None,
    timeout_s: float = 120.0,
    progress: Progress = lambda _: None,
) -> AssistantBenchReport:
    """Raw decode speed of each model first (no server running), then one server per
    configuration, one after the other: cache on, cache off (`baseline`), and the cache-on
    run of the `compare` model (name, path)."""
    models = [(model_name, model_path)] + ([compare] if compare else [])
    decode: dict[str, RawDecode] = {}
    for name, path in models:
        progress(f"raw llama-cpp decode speed of {name}")
        decode[name] = raw_decode(
            path, name, n_ctx=n_ctx, n_threads=n_threads, n_batch=n_batch,
            n_gpu_layers=n_gpu_layers,
        )  # fmt: skip
    configs = [ServerConfig("cache on", model_name, model_path, True)]
    if baseline:
        configs.append(ServerConfig("cache off", model_name, model_path, False))
    if compare:
        configs.append(ServerConfig(f"{compare[0]}, cache on", compare[0], compare[1], True))
    runs = [
        run_config(
            config,
            turns,
            one_token_ms=decode[config.model_name].token_ms,
            n_ctx=n_ctx,
            n_threads=n_threads,
            extra_env=extra_env or {},
            timeout_s=timeout_s,
            progress=progress,
        )
        for config in configs
    ]
    return AssistantBenchReport(
        model=model_name,
        n_ctx=n_ctx,
        n_threads=n_threads,
        turns=len(turns),
        timeout_s=timeout_s,
        decode=list(decode.values()),
        runs=runs,
    )
