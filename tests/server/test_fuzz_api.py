"""The whole HTTP API fuzzed from its own OpenAPI schema (schemathesis on Hypothesis).

A real server (rules only, keys for a car, two phones and an admin) answers the requests
schemathesis derives from the app's OpenAPI schema: the schema's examples, the edge cases
of every parameter (the coverage phase: boundaries, wrong types, missing fields, other
methods) and random valid and invalid requests. Each request carries a key or none: the
schema says nothing of authentication, so the test's copy of it gets an `Authorization`
header whose values name the server's keys (admin, car, phones alice and bob); the
invalid cases garble it or leave it out. The copy also names the car's tools, its state
paths and a few things people say (see `_openapi`). Every answer must:

1. not be a 5xx, except the documented 503 `model_not_loaded` (this server has no model);
2. when it is a 4xx, have left the car as it was (its state and its undo log);
3. have the content type and body the schema declares for its status.

A status the schema does not declare, and an SSE answer to a request that asked for a
stream (the schema declares JSON only), are counted in the figures, not failed.

Left out: `POST /v1/audio/speech` (see `EXCLUDED`). The events WebSocket and the web app's
files are not in the schema.

The run is derandomized (the same requests every time) with `TONGXUE_FUZZ_EXAMPLES`
random examples per operation (default 80, about a minute on two cores; the coverage
phase adds its own). The figures go to `reports/fuzz.json` and to one line on the terminal.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.server_kit import LiveServer, server_settings
from tongxue.cabin.tools import tool_schemas
from tongxue.server.app import build_context, create_app

logger = logging.getLogger(__name__)

EXAMPLES = int(os.environ.get("TONGXUE_FUZZ_EXAMPLES", "80"))
REPORT = Path(__file__).parents[2] / "reports" / "fuzz.json"

# The keys a request may name (`keyed_server`'s): an admin reaches everything, the car
# everything but the admin's endpoints, the phones less (and only their own user's data).
SENT_KEYS = ("admin", "car", "alice", "bob")
KEY_PREFIX = "Bearer "

# Left out, and why. Every valid request to `/v1/audio/speech` loads the voice models
# (seconds) and synthesizes up to 4096 random characters (tens of seconds at speed 0.25).
# `/v1/audio/transcriptions` stays in: nothing generated is a decodable recording, so it
# is refused before any model loads.
EXCLUDED = {"POST /v1/audio/speech"}


# Things people say, for `/v1/assistant/turns` beside random text: the rules parser acts on
# these (and the policy judges them, for a phone too); "记住…" and "老样子" use memories.
SAYINGS = (
    "打开车窗",
    "关闭所有车窗",
    "解锁车门",
    "锁车",
    "撤销",
    "打开远光灯",
    "把空调调到23度",
    "打开座椅加热",
    "打开后备箱",
    "打开儿童锁",
    "播放音乐",
    "导航到机场",
    "记住我喜欢把温度调到22度",
    "还是老样子",
    "open the sunroof",
    "turn on the heated seat",
    # Contract v2: compounds with a provider part, questions, calls, radio, drive modes.
    "打开雾灯，明天下雨吗",
    "续航还有多少",
    "打电话给妈妈",
    "收听FM101.7",
    "切换到运动模式",
    "打开香氛然后座椅通风",
    "are the windows closed",
)


def _openapi() -> dict[str, Any]:
    """The schema of a server like `keyed_server`, made now: the items are per operation.

    The test's copy gets what the schema cannot say, so that requests get past the first
    checks: an `Authorization` header naming our keys (the invalid cases leave it out or
    garble it), the tools this car offers (names and arguments) for an action, the car's
    state paths for the simulation, and `SAYINGS` for a turn. The schema's own shapes stay
    as alternatives (unknown tools, paths and words).
    """
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        context = build_context(server_settings(Path(tmp)), engine=None)
        spec = copy.deepcopy(create_app(context).openapi())
        profile = context.vehicle.profile
        paths = sorted(_flatten(context.vehicle.snapshot()))
    header = {
        "name": "Authorization",
        "in": "header",
        "required": True,
        "schema": {"type": "string", "enum": [KEY_PREFIX + name for name in SENT_KEYS]},
    }
    for operations in spec["paths"].values():
        for operation in operations.values():
            operation.setdefault("parameters", []).append(header)
    components = spec["components"]["schemas"]
    offered = tool_schemas(profile)
    tools = [
        {
            "type": "object",
            "properties": {
                "name": {"const": tool["function"]["name"]},
                "arguments": tool["function"]["parameters"],
            },
            "required": ["name", "arguments"],
            "additionalProperties": False,
        }
        for tool in offered
    ]
    # Each alternative leaves out what the others give: the generator keeps only the
    # widest of alternatives that contain one another.
    unknown = copy.deepcopy(components["ActionCall"])
    unknown["properties"]["name"]["not"] = {"enum": [t["function"]["name"] for t in offered]}
    # The tools go in a `oneOf` (their names make them exclusive, so it means the same):
    # schemathesis's canonicalizer gives up on one flat `anyOf` of 70-odd tools beside the
    # unknown names, and the operation would not be fuzzed at all.
    components["ActionCall"] = {"anyOf": [{"oneOf": tools}, unknown]}
    values = components["SimulationRequest"]["properties"]
    state = {"type": "object", "propertyNames": {"enum": paths}, "minProperties": 1}
    other = {**values["values"], "propertyNames": {"not": {"enum": paths}}}
    drive = {"enum": [{"drive.speed_kmh": 60, "drive.gear": "D"}, {"drive.speed_kmh": 0}]}
    values["values"] = {"anyOf": [drive, state, other]}
    turn = components["TurnRequest"]["properties"]
    said = {"type": "string", "enum": list(SAYINGS)}
    turn["text"] = {"anyOf": [said, {**turn["text"], "not": {"enum": list(SAYINGS)}}]}
    return spec


def _flatten(values: dict[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in values.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


schema = schemathesis.openapi.from_dict(
    _openapi(),
    config=SchemathesisConfig.from_dict(
        {
            "seed": 20240601,
            "generation": {"deterministic": True, "database": "none", "max-examples": EXAMPLES},
            "phases": {"stateful": {"enabled": False}},
        }
    ),
).exclude(func=lambda ctx: f"{ctx.operation.method.upper()} {ctx.operation.path}" in EXCLUDED)


@dataclass
class FuzzStats:
    """What the fuzzing sent and got, for `reports/fuzz.json`."""

    started: float = field(default_factory=time.monotonic)
    requests: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    by_operation: defaultdict[str, Counter[int]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    by_key: Counter[str] = field(default_factory=Counter)
    model_not_loaded: int = 0
    server_errors: list[dict[str, Any]] = field(default_factory=list)
    rejected_checked: int = 0
    state_changed: list[dict[str, Any]] = field(default_factory=list)
    undocumented: Counter[str] = field(default_factory=Counter)
    nonconforming: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "examples_per_operation": EXAMPLES,
            "excluded": sorted(EXCLUDED),
            "seconds": round(time.monotonic() - self.started, 1),
            "requests": self.requests,
            # Distinct ones: Hypothesis replays a failing request while it shrinks it.
            "server_errors": len({json.dumps(e, default=str) for e in self.server_errors}),
            "model_not_loaded_503": self.model_not_loaded,
            "rejected_checked_unchanged": self.rejected_checked,
            "rejected_that_changed_state": len(self.state_changed),
            "nonconforming_responses": len(self.nonconforming),
            "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            "by_key": dict(sorted(self.by_key.items())),
            "by_operation": {
                label: {str(k): v for k, v in sorted(statuses.items())}
                for label, statuses in sorted(self.by_operation.items())
            },
            "undocumented_answers": dict(sorted(self.undocumented.items())),
            "server_error_cases": self.server_errors,
            "state_change_cases": self.state_changed,
            "nonconforming_cases": self.nonconforming[:50],
        }


STATS = FuzzStats()


class ErrorLog(logging.Handler):
    """The errors the server logs (its tracebacks), for a 5xx's reproduction."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # `handle` holds the handler's lock while it calls this.
        self.records.append(self.format(record))

    def take(self) -> list[str]:
        with self.lock:  # type: ignore[union-attr]
            taken, self.records = self.records, []
        return taken


@pytest.fixture(scope="module")
def server_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    # uvicorn's own loggers do not propagate to the root.
    targets = [logging.getLogger(), logging.getLogger("uvicorn")]
    for target in targets:
        target.addHandler(handler)
    STATS.started = time.monotonic()
    yield handler
    for target in targets:
        target.removeHandler(handler)


def _car(server: LiveServer) -> tuple[dict[str, Any], int]:
    vehicle = server.context.vehicle
    return vehicle.snapshot(), len(vehicle.history)


def _diff(before: Any, after: Any, path: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[str] = []
        for key in sorted(set(before) | set(after)):
            found += _diff(before.get(key), after.get(key), f"{path}.{key}" if path else key)
        return found
    return [] if before == after else [f"{path}: {before!r} -> {after!r}"]


def _error_code(response: Response) -> str | None:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


def _key(case: Any, server: LiveServer) -> tuple[str, dict[str, str]]:
    """Who the case speaks as, and the headers that make it so (the real key for a name)."""
    value = (case.headers or {}).get("Authorization")
    if value is None:
        return "none", {}
    name = value.removeprefix(KEY_PREFIX)
    if value.startswith(KEY_PREFIX) and name in server.keys:
        return name, {"Authorization": KEY_PREFIX + server.keys[name]}
    return "invalid", {}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case: Any, keyed_server: LiveServer, server_log: ErrorLog) -> None:
    who, headers = _key(case, keyed_server)
    server_log.take()
    before = _car(keyed_server)
    response = case.call(base_url=keyed_server.url, headers=headers, timeout=60)
    after = _car(keyed_server)
    status = response.status_code
    operation = case.operation.label
    STATS.requests += 1
    STATS.by_status[status] += 1
    STATS.by_operation[operation][status] += 1
    STATS.by_key[who] += 1
    seen = {
        "operation": operation,
        "request": f"{case.method.upper()} {case.formatted_path}",
        "key": who,
        "query": case.query,
        "body": case.body if isinstance(case.body, (dict, list, str, int, float)) else None,
        "status": status,
        "response": response.text[:300],
    }
    if status == 503 and _error_code(response) == "model_not_loaded":
        STATS.model_not_loaded += 1
    elif status >= 500:
        time.sleep(0.1)  # the traceback is logged as the answer leaves
        seen["server_log"] = server_log.take()
        STATS.server_errors.append(seen)
        pytest.fail(f"a 5xx: {json.dumps(seen, ensure_ascii=False, indent=1, default=str)}")
    if 400 <= status < 500:
        if after != before:
            seen["changed"] = [*_diff(before[0], after[0]), f"history {before[1]} -> {after[1]}"]
            STATS.state_changed.append(seen)
            pytest.fail(f"refused, yet the car changed: {json.dumps(seen, default=str)}")
        STATS.rejected_checked += 1
    try:
        case.validate_response(response, checks=[status_code_conformance])
    except FailureGroup:
        STATS.undocumented[f"{operation} -> {status}"] += 1
    try:
        case.validate_response(response, checks=[content_type_conformance])
    except FailureGroup as failures:
        if not _streamed(case, response):
            _nonconforming(seen, failures)
        STATS.undocumented[f"{operation} -> {status} {_media_type(response)}"] += 1
    try:
        case.validate_response(response, checks=[response_schema_conformance])
    except FailureGroup as failures:
        _nonconforming(seen, failures)


def _streamed(case: Any, response: Response) -> bool:
    """An SSE answer to a request that asked for a stream (the schema does not say so)."""
    asked = isinstance(case.body, dict) and case.body.get("stream") is True
    return asked and _media_type(response) == "text/event-stream"


def _media_type(response: Response) -> str:
    return (response.headers.get("content-type") or [""])[0].split(";")[0].strip()


def _nonconforming(seen: dict[str, Any], failures: FailureGroup) -> None:
    seen["failures"] = [str(failure) for failure in failures.exceptions]
    STATS.nonconforming.append(seen)
    raise failures


def test_fuzz_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """After the fuzzing: writes the figures; no 5xx, no refused request changed the car."""
    if STATS.requests == 0:
        pytest.skip("the fuzzing did not run")
    figures = STATS.figures()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, ensure_ascii=False, indent=2, default=str) + "\n")
    line = (
        f"API fuzz: {figures['requests']} requests, {figures['server_errors']} 5xx "
        f"(besides {figures['model_not_loaded_503']} × 503 model_not_loaded), "
        f"{figures['rejected_checked_unchanged']} refused requests left the car unchanged, "
        f"{figures['rejected_that_changed_state']} changed it, "
        f"{figures['nonconforming_responses']} off-schema answers; {figures['seconds']} s "
        f"({EXAMPLES} examples per operation; {REPORT.name})"
    )
    logger.info(line)
    with capsys.disabled():
        print(f"\n{line}")
    assert figures["server_errors"] == 0, figures["server_error_cases"]
    assert figures["rejected_that_changed_state"] == 0, figures["state_change_cases"]
    assert figures["nonconforming_responses"] == 0, figures["nonconforming_cases"]
