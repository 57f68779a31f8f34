"""The public evaluation set as a development corpus: what the rules accept must be right.

Each case runs through the parser and the simulated car (`Vehicle.execute`, `undo`, and a
minimal stand-in for the memory store). A case the parser hands on is skipped; a case it
accepts must meet every `expect`, keep every `unchanged` path, and match `refused`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tongxue.cabin.actions import ActionContext, CabinAction
from tongxue.cabin.vehicle import Vehicle
from tongxue.dialogue.evaluation import EvalCase, load_cases, values_match
from tongxue.dialogue.rules import RuleContext, RuleParser

EVAL_FILE = Path(__file__).resolve().parents[3] / "evals" / "public.jsonl"
# Categories the README expects to need the model for many cases.
_MODEL_CATEGORIES = {"chitchat", "colloquial"}

pytestmark = pytest.mark.skipif(not EVAL_FILE.exists(), reason="no public evaluation set")


def _get(state: dict[str, Any], path: str) -> Any:
    node: Any = state
    for key in path.split("."):
        node = node[key]
    return node


def _run(parser: RuleParser, case: EvalCase) -> list[str] | None:
    """The failures of an accepted case; None when the parser handed a turn on."""
    vehicle = Vehicle()
    vehicle.set_many(case.state)
    start = vehicle.snapshot()
    previous: tuple[CabinAction, ...] = ()
    remembered: dict[str, tuple[CabinAction, ...]] = {}
    refused = False
    for number, text in enumerate(case.turns):
        parse = parser.parse(text, RuleContext(previous_actions=previous))
        if parse is None:
            return None
        actions: tuple[CabinAction, ...] = parse.actions
        if parse.kind == "undo":
            vehicle.undo(ActionContext(speaker=case.seat))
            previous, refused = (), False
            continue
        if parse.kind == "memory_save":
            remembered[",".join(sorted(a.name for a in actions))] = actions
            previous = ()
            continue
        if parse.kind == "memory_apply":
            actions = tuple(a for saved in remembered.values() for a in saved)
        elif parse.kind != "actions":
            return None
        results = vehicle.execute(list(actions), ActionContext(speaker=case.seat), f"t{number}")
        refused = any(result.refused for result in results)
        previous = actions
    state = vehicle.snapshot()
    failures = [
        f"{path}: expected {want!r}, got {_get(state, path)!r}"
        for path, want in case.expect.items()
        if not (want is None and _get(state, path) is None)
        and not values_match(path, want, _get(state, path))
    ]
    failures += [
        f"{path} changed" for path in case.unchanged if _get(state, path) != _get(start, path)
    ]
    if case.refused is not None and case.refused != refused:
        failures.append(f"refused: expected {case.refused}, got {refused}")
    return failures


def test_every_accepted_case_is_right_and_most_everyday_cases_are_accepted() -> None:
    parser = RuleParser()
    cases = load_cases(EVAL_FILE)
    wrong: dict[str, list[str]] = {}
    accepted_everyday = everyday = 0
    for case in cases:
        failures = _run(parser, case)
        if case.category not in _MODEL_CATEGORIES:
            everyday += 1
            accepted_everyday += failures is not None
        if failures:
            wrong[case.id] = failures
    assert wrong == {}
    assert accepted_everyday >= 0.95 * everyday, f"{accepted_everyday}/{everyday} accepted"


def test_chit_chat_never_acts() -> None:
    # Handed on to the model, or (contract v2) answered offline or from the state.
    parser = RuleParser()
    chit_chat = [case for case in load_cases(EVAL_FILE) if case.category == "chitchat"]
    assert chit_chat
    acting = [
        case.id
        for case in chit_chat
        for text in case.turns
        if (parse := parser.parse(text)) is not None and parse.actions
    ]
    assert acting == []
