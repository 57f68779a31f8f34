"""Fixtures for the rule parser tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tongxue.cabin.actions import CabinAction
from tongxue.dialogue.rules import RuleContext, RuleParse, RuleParser

Parse = Callable[..., tuple[CabinAction, ...] | None]


@pytest.fixture(scope="session")
def parser() -> RuleParser:
    return RuleParser()


@pytest.fixture(scope="session")
def actions_of(parser: RuleParser) -> Parse:
    """The actions of an 'actions' parse, None when the parser hands the turn on."""

    def run(text: str, *previous: CabinAction) -> tuple[CabinAction, ...] | None:
        result: RuleParse | None = parser.parse(text, RuleContext(previous_actions=previous))
        if result is None:
            return None
        assert result.kind == "actions", f"{text!r} parsed as {result.kind}"
        return result.actions

    return run
