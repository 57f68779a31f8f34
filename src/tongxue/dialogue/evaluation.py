"""Runs evaluation files (the contract's JSON Lines format) against the assistant."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tongxue.cabin.seats import Seat
from tongxue.cabin.state import CarState
from tongxue.dialogue.agent import Agent
from tongxue.dialogue.sessions import TurnInput, TurnResult

# Strings at these paths match when either contains the other (the contract).
_CONTAINMENT_PATHS = ("media.query", "navigation.destination", "navigation.waypoints")
_RULE_ROUTES = {"rules", "undo", "memory"}


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    seat: Seat = "driver"
    state: dict[str, Any] = Field(default_factory=dict)
    turns: list[str] = Field(min_length=1)
    expect: dict[str, Any] = Field(default_factory=dict)
    unchanged: list[str] = Field(default_factory=list)
    refused: bool | None = None

    @property
    def category(self) -> str:
        head, _, _ = self.id.partition("-")
        return head


class EvalFileError(ValueError):
    pass


def load_cases(path: Path) -> list[EvalCase]:
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = EvalCase.model_validate_json(line)
        except ValidationError as exc:
            raise EvalFileError(f"{path}:{number}: not a valid case: {exc}") from exc
        if case.id in seen:
            raise EvalFileError(f"{path}:{number}: duplicate id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    return cases


def _get(state: dict[str, Any], path: str) -> Any:
    node: Any = state
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise KeyError(path)
        node = node[key]
    return node


def _norm(text: str) -> str:
    return text.strip().casefold()


def values_match(path: str, expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual if isinstance(expected, bool) else False
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(expected, actual, abs_tol=0.01)
    if isinstance(expected, str) and isinstance(actual, str):
        if path.startswith(_CONTAINMENT_PATHS):
            a, b = _norm(expected), _norm(actual)
            return a in b or b in a
        return _norm(expected) == _norm(actual)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            values_match(path, e, a) for e, a in zip(expected, actual, strict=True)
        )
    return bool(expected == actual)


class TurnReport(BaseModel):
    text: str
    reply: str
    route: str
    actions: list[dict[str, Any]]
    latency_ms: float
    error: str | None = None


class CaseReport(BaseModel):
    id: str
    passed: bool
    final_state: dict[str, Any]
    refused: bool
    turns: list[TurnReport]
    category: str
    route: str
    failures: list[str] = Field(default_factory=list)


class Tally(BaseModel):
    passed: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


class EvalSummary(BaseModel):
    overall: Tally
    by_route: dict[str, Tally]
    by_category: dict[str, Tally]
    rules_accepted_correct: Tally = Field(
        description="Cases understood by the deterministic path alone, and how many were right."
    )


def case_route(turns: Sequence[TurnResult]) -> str:
    routes = [t.route for t in turns]
    return "llm" if "llm" in routes else routes[-1]


def check_case(
    case: EvalCase, start: dict[str, Any], final: dict[str, Any], refused: bool
) -> list[str]:
    failures: list[str] = []
    for path, expected in case.expect.items():
        try:
            actual = _get(final, path)
        except KeyError:
            failures.append(f"{path}: no such path")
            continue
        if not values_match(path, expected, actual):
            failures.append(f"{path}: expected {expected!r}, got {actual!r}")
    for path in case.unchanged:
        try:
            before, after = _get(start, path), _get(final, path)
        except KeyError:
            failures.append(f"{path}: no such path")
            continue
        if before != after:
            failures.append(f"{path}: changed from {before!r} to {after!r}")
    if case.refused is not None and case.refused != refused:
        failures.append(f"refused: expected {case.refused}, got {refused}")
    return failures


AgentFactory = Callable[[dict[str, Any]], tuple[Agent, Callable[[], dict[str, Any]]]]


async def run_case(case: EvalCase, make_agent: AgentFactory) -> CaseReport:
    """Run one case on a fresh car, session and memory, made by `make_agent(state)`."""
    agent, snapshot = make_agent(case.state)
    start = snapshot()
    session_id = f"eval-{case.id}"
    results: list[TurnResult] = []
    for text in case.turns:
        results.append(
            await agent.handle(TurnInput(text=text, seat=case.seat, session_id=session_id))
        )
    final = snapshot()
    refused = results[-1].refused
    failures = check_case(case, start, final, refused)
    return CaseReport(
        id=case.id,
        passed=not failures,
        final_state=final,
        refused=refused,
        turns=[
            TurnReport(
                text=r.text,
                reply=r.reply,
                route=r.route,
                actions=[
                    {"name": a.name, "arguments": a.arguments, "status": a.status}
                    for a in r.actions
                ],
                latency_ms=round(r.latency_ms, 3),
                error=r.error,
            )
            for r in results
        ],
        category=case.category,
        route=case_route(results),
        failures=failures,
    )


def summarize(reports: Sequence[CaseReport]) -> EvalSummary:
    overall = Tally()
    by_route: dict[str, Tally] = defaultdict(Tally)
    by_category: dict[str, Tally] = defaultdict(Tally)
    rules = Tally()
    for report in reports:
        for tally in (overall, by_route[report.route], by_category[report.category]):
            if report.passed:
                tally.passed += 1
            else:
                tally.failed += 1
        if all(t.route in _RULE_ROUTES for t in report.turns):
            if report.passed:
                rules.passed += 1
            else:
                rules.failed += 1
    return EvalSummary(
        overall=overall,
        by_route=dict(sorted(by_route.items())),
        by_category=dict(sorted(by_category.items())),
        rules_accepted_correct=rules,
    )


def format_summary(summary: EvalSummary) -> str:
    def line(name: str, tally: Tally) -> str:
        return f"  {name:24} {tally.passed:4}/{tally.total:<4} {tally.rate:7.1%}"

    lines = ["by route:"]
    lines += [line(name, t) for name, t in summary.by_route.items()]
    lines.append("by category:")
    lines += [line(name, t) for name, t in summary.by_category.items()]
    lines.append(line("rules route, accepted", summary.rules_accepted_correct))
    lines.append(line("overall", summary.overall))
    return "\n".join(lines)


def write_report(path: Path, reports: Sequence[CaseReport]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [r.model_dump() for r in reports]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def default_state() -> dict[str, Any]:
    return CarState().to_dict()
