"""Runs evaluation files (the contract's JSON Lines format, v1 and v2) against the assistant."""

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
from tongxue.dialogue.outcome import Outcome, report_status
from tongxue.dialogue.sessions import TurnInput, TurnResult

# Strings at these paths match when either contains the other (the contract).
_CONTAINMENT_PATHS = ("media.query", "navigation.destination", "navigation.waypoints")
_RULE_ROUTES = {"rules", "undo", "memory", "status"}


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    seat: Seat = "driver"
    state: dict[str, Any] = Field(default_factory=dict)
    turns: list[str] = Field(min_length=1)
    expect: dict[str, Any] = Field(default_factory=dict)
    unchanged: list[str] = Field(default_factory=list)
    refused: bool | None = None
    # Contract v2: strings the last reply must contain, and whether its outcome is unsupported.
    reply_contains: list[str] | None = None
    unsupported: bool | None = None
    # Owner's-manual questions: the section ids that answer it (any one of them will do);
    # [] for a question the manual cannot answer. The reply must cite one of them.
    sections: list[str] | None = None
    # Where a case came from (e.g. "macslu-dev:23" for evals/real-dev.jsonl); not checked.
    source: str | None = None

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
    outcome: Outcome | None = None
    actions: list[dict[str, Any]]
    latency_ms: float
    error: str | None = None
    citations: list[str] = Field(default_factory=list)


class CaseReport(BaseModel):
    id: str
    passed: bool
    final_state: dict[str, Any]
    refused: bool
    turns: list[TurnReport]
    category: str
    route: str
    outcome: Outcome | None = None
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
    by_outcome: dict[str, Tally] = Field(
        default_factory=dict, description="Cases by the last turn's outcome."
    )
    route_outcomes: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Turns counted by route, then by outcome."
    )
    rules_accepted_correct: Tally = Field(
        description="Cases understood by the deterministic path alone, and how many were right."
    )


def case_route(turns: Sequence[TurnResult]) -> str:
    routes = [t.route for t in turns]
    return "llm" if "llm" in routes else routes[-1]


def last_turn_refused(result: TurnResult) -> bool:
    """v2: refused exactly when the outcome is; turns without an outcome fall back to v1."""
    if result.outcome is None:
        return result.refused
    return result.outcome == "refused"


def check_case(
    case: EvalCase,
    start: dict[str, Any],
    final: dict[str, Any],
    refused: bool,
    *,
    reply: str = "",
    outcome: Outcome | None = None,
    citations: Sequence[str] = (),
) -> list[str]:
    """Why the case failed (empty when it passed); `reply` and `outcome` are the last turn's."""
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
    said = _norm(reply)
    for wanted in case.reply_contains or ():
        if _norm(wanted) not in said:
            failures.append(f"reply: expected to contain {wanted!r}, got {reply!r}")
    if case.sections and not set(citations) & set(case.sections):
        failures.append(f"citations: expected one of {case.sections}, got {list(citations)}")
    if case.sections == [] and citations:
        failures.append(f"citations: the manual has no answer, yet it cited {list(citations)}")
    if case.unsupported is not None and case.unsupported != (outcome == "unsupported"):
        want = "unsupported" if case.unsupported else "not unsupported"
        failures.append(f"outcome: expected {want}, got {outcome}")
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
    last = results[-1]
    refused = last_turn_refused(last)
    failures = check_case(
        case,
        start,
        final,
        refused,
        reply=last.reply,
        outcome=last.outcome,
        citations=[c.section_id for c in last.citations],
    )
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
                outcome=r.outcome,
                actions=[
                    {"name": a.name, "arguments": a.arguments, "status": report_status(a.status)}
                    for a in r.actions
                ],
                latency_ms=round(r.latency_ms, 3),
                error=r.error,
                citations=[c.section_id for c in r.citations],
            )
            for r in results
        ],
        category=case.category,
        route=case_route(results),
        outcome=last.outcome,
        failures=failures,
    )


def summarize(reports: Sequence[CaseReport]) -> EvalSummary:
    overall = Tally()
    by_route: dict[str, Tally] = defaultdict(Tally)
    by_category: dict[str, Tally] = defaultdict(Tally)
    by_outcome: dict[str, Tally] = defaultdict(Tally)
    route_outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rules = Tally()
    for report in reports:
        for turn in report.turns:
            route_outcomes[turn.route][_outcome_name(turn.outcome)] += 1
        outcome_tally = by_outcome[_outcome_name(report.outcome)]
        for tally in (overall, by_route[report.route], by_category[report.category], outcome_tally):
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
        by_outcome=dict(sorted(by_outcome.items())),
        route_outcomes={
            route: dict(sorted(counts.items())) for route, counts in sorted(route_outcomes.items())
        },
        rules_accepted_correct=rules,
    )


def _outcome_name(outcome: Outcome | None) -> str:
    # Agents older than contract v2 leave the outcome out.
    return outcome or "none"


def format_summary(summary: EvalSummary) -> str:
    def line(name: str, tally: Tally) -> str:
        return f"  {name:24} {tally.passed:4}/{tally.total:<4} {tally.rate:7.1%}"

    lines = ["by route:"]
    lines += [line(name, t) for name, t in summary.by_route.items()]
    lines.append("by category:")
    lines += [line(name, t) for name, t in summary.by_category.items()]
    lines.append("by outcome (last turn):")
    lines += [line(name, t) for name, t in summary.by_outcome.items()]
    lines += _route_outcome_table(summary.route_outcomes)
    lines.append(line("rules route, accepted", summary.rules_accepted_correct))
    lines.append(line("overall", summary.overall))
    return "\n".join(lines)


def _route_outcome_table(counts: dict[str, dict[str, int]]) -> list[str]:
    """Turns by route (rows) and outcome (columns)."""
    columns = sorted({outcome for row in counts.values() for outcome in row})
    if not columns:
        return []
    width = max(len(c) for c in columns) + 1
    lines = [
        "turns by route and outcome:",
        "  " + " " * 10 + "".join(f"{c:>{width}}" for c in columns),
    ]
    for route, row in counts.items():
        lines.append(f"  {route:10}" + "".join(f"{row.get(c, 0):>{width}}" for c in columns))
    return lines


def write_report(path: Path, reports: Sequence[CaseReport]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [r.model_dump() for r in reports]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def default_state() -> dict[str, Any]:
    return CarState().to_dict()
