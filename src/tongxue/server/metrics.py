"""Prometheus metrics: requests, latency histograms, tokens, the model's queue.

Each app has its own registry, so several servers (tests, benchmarks) can live in one
process without sharing counters.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tongxue.engine.protocol import ChatResult

CONTENT_TYPE = CONTENT_TYPE_LATEST

# The methods that get their own label; any other (made up by a client) is counted as
# "other", since labels are made before authentication and each one is a new series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "other"
UNMATCHED_ROUTE = "unmatched"

# Seconds; CPU generation of a reply runs from tens of milliseconds to a minute.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class ServerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "tongxue_http_requests",
            "HTTP requests answered.",
            ["method", "route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "tongxue_http_request_duration_seconds",
            "Time from request to the end of the response (whole stream included).",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.in_flight = Gauge(
            "tongxue_http_requests_in_flight", "HTTP requests being answered.", registry=r
        )
        self.ttft = Histogram(
            "tongxue_time_to_first_token_seconds",
            "Time from a generation request to its first token, queue wait included.",
            ["endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.queue_wait = Histogram(
            "tongxue_queue_wait_seconds",
            "Time a generation waited for the model.",
            ["endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.tokens = Counter(
            "tongxue_tokens", "Tokens processed by the model.", ["kind"], registry=r
        )
        self.generations = Counter(
            "tongxue_generations",
            "Model generations by how they ended.",
            ["endpoint", "outcome"],
            registry=r,
        )
        self.queue_depth = Gauge(
            "tongxue_engine_queue_depth",
            "Generations running or waiting for the one local model.",
            registry=r,
        )
        self.turns = Counter(
            "tongxue_assistant_turns",
            "Assistant turns by the path that answered them.",
            ["route"],
            registry=r,
        )
        self.actions = Counter(
            "tongxue_vehicle_actions",
            "Cabin actions by outcome.",
            ["source", "status"],
            registry=r,
        )
        self.rate_limited = Counter(
            "tongxue_rate_limited", "Requests refused by a rate limit.", ["role"], registry=r
        )
        self.websockets = Gauge(
            "tongxue_vehicle_event_clients", "WebSocket clients watching the car.", registry=r
        )

    def watch_queue(self, depth: Callable[[], int]) -> None:
        self.queue_depth.set_function(lambda: float(depth()))

    def observe_generation(self, endpoint: str, result: ChatResult) -> None:
        timings = result.timings
        if timings.time_to_first_token_ms is not None:
            self.ttft.labels(endpoint).observe(timings.time_to_first_token_ms / 1000)
        self.queue_wait.labels(endpoint).observe(timings.queued_ms / 1000)
        self.tokens.labels("prompt").inc(result.usage.prompt_tokens)
        self.tokens.labels("completion").inc(result.usage.completion_tokens)
        self.tokens.labels("cached_prompt").inc(result.usage.cached_prompt_tokens)
        self.generations.labels(endpoint, result.finish_reason).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def request_labels(scope: Scope) -> tuple[str, str]:
    """(method, route) labels from a bounded set, whatever the client sent."""
    method = str(scope.get("method", "GET"))
    route = scope.get("route")
    template = getattr(route, "path", None)
    return (
        method if method in KNOWN_METHODS else OTHER_METHOD,
        template if isinstance(template, str) and template else UNMATCHED_ROUTE,
    )


class MetricsMiddleware:
    """Counts and times every HTTP request by its route template (not its raw path).

    Labels come only from bounded sets (the app's routes, the standard methods): a client
    sending made-up methods or paths must not be able to grow the series without end.
    """

    def __init__(self, app: ASGIApp, metrics: ServerMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self.metrics.in_flight.dec()
            method, template = request_labels(scope)
            self.metrics.requests.labels(method, template, str(status)).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - started)
